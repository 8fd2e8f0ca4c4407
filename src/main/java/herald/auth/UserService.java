package herald.auth;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.database.Ids;
import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import herald.platform.security.AuthCache;
import herald.platform.security.Passwords;
import herald.platform.security.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/**
 * Creates, changes and deactivates users, each change in one transaction with its audit entry.
 * Passwords are hashed before the transaction opens.
 */
public final class UserService {
  /** Validated fields of a new user; shared with account creation, which makes the first admin. */
  public record NewUser(String username, String password, Role role, String name, String email) {}

  /**
   * A validated PATCH: null {@code password}, {@code role} and {@code active} keep the value; name
   * and email change only when given (an explicit null clears them).
   */
  public record Patch(
      String password,
      Role role,
      boolean nameGiven,
      String name,
      boolean emailGiven,
      String email,
      Boolean active) {}

  private final Pool pool;
  private final Passwords passwords;
  private final AuthCache authCache;

  public UserService(Pool pool, Passwords passwords, AuthCache authCache) {
    this.pool = pool;
    this.passwords = passwords;
    this.authCache = authCache;
  }

  /** Creates a user in the actor's account; a taken username answers 409. */
  public Future<User> create(Actor actor, NewUser user) {
    return passwords
        .hash(user.password())
        .compose(
            hash -> pool.withTransaction(tx -> insert(tx, actor, actor.accountId(), user, hash)));
  }

  /** Inserts a user with its audit entry in {@code tx}; a taken username answers 409. */
  public static Future<User> insert(
      SqlClient tx, Actor actor, UUID accountId, NewUser user, String hash) {
    return UserStore.insert(
            tx,
            Ids.newId(),
            accountId,
            user.username(),
            user.name(),
            user.email(),
            hash,
            user.role())
        .recover(
            err ->
                Future.failedFuture(
                    Rows.isUniqueViolation(err)
                        ? ApiException.conflict("Username '" + user.username() + "' is taken")
                        : err))
        .compose(
            created ->
                AuditStore.record(tx, actor, "create", "user", created.id(), null, created.toJson())
                    .map(created));
  }

  /**
   * Applies {@code patch}; 404 when the user is not the account's, 409 if admins lock themselves
   * out.
   */
  public Future<User> update(Actor actor, UUID id, Patch patch) {
    Future<String> hash =
        patch.password() == null ? Future.succeededFuture(null) : passwords.hash(patch.password());
    return hash.compose(
        newHash ->
            pool.withTransaction(
                    tx ->
                        UserStore.getForUpdate(tx, actor.accountId(), id)
                            .compose(
                                before -> {
                                  Responses.found(before, "User");
                                  User after =
                                      before.with(
                                          patch.nameGiven() ? patch.name() : before.name(),
                                          patch.emailGiven() ? patch.email() : before.email(),
                                          patch.role() != null ? patch.role() : before.role(),
                                          patch.active() != null
                                              ? patch.active()
                                              : before.active());
                                  guardSelf(actor, after);
                                  return save(tx, actor, before, after, newHash, "update");
                                }))
                .onSuccess(saved -> authCache.invalidate()));
  }

  /** Deactivates the user (history is kept); 404 when not the account's. */
  public Future<User> deactivate(Actor actor, UUID id) {
    return pool.withTransaction(
            tx ->
                UserStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "User");
                          User after =
                              before.with(before.name(), before.email(), before.role(), false);
                          guardSelf(actor, after);
                          return save(tx, actor, before, after, null, "delete");
                        }))
        .onSuccess(saved -> authCache.invalidate());
  }

  /** Admins cannot lock themselves out; another admin must do it. */
  private static void guardSelf(Actor actor, User after) {
    if (after.id().equals(actor.userId()) && (!after.active() || after.role() != Role.ADMIN)) {
      throw ApiException.conflict("You cannot deactivate yourself or give up your own admin role");
    }
  }

  private static Future<User> save(
      SqlClient tx, Actor actor, User before, User after, String hash, String action) {
    return UserStore.update(tx, after, hash)
        .compose(
            saved ->
                AuditStore.record(
                        tx, actor, action, "user", saved.id(), before.toJson(), saved.toJson())
                    .map(saved));
  }
}
