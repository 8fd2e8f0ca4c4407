package herald.account;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.auth.UserService;
import herald.platform.database.Ids;
import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import herald.platform.security.AuthCache;
import herald.platform.security.Passwords;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Creates and changes tenants, each in one transaction with its audit entries. Creating an account
 * also creates its first admin user in the same transaction.
 */
public final class AccountService {
  private final Pool pool;
  private final Passwords passwords;
  private final AuthCache authCache;

  public AccountService(Pool pool, Passwords passwords, AuthCache authCache) {
    this.pool = pool;
    this.passwords = passwords;
    this.authCache = authCache;
  }

  /** Creates the account and its admin; answers the account's JSON with {@code admin_user}. */
  public Future<JsonObject> create(
      Actor actor, String name, JsonObject settings, UserService.NewUser admin) {
    UUID accountId = Ids.newId();
    return passwords
        .hash(admin.password())
        .compose(
            hash ->
                pool.withTransaction(
                    tx ->
                        AccountStore.insert(tx, accountId, name, false, settings)
                            .recover(err -> Future.failedFuture(taken(err, name)))
                            .compose(
                                account ->
                                    AuditStore.record(
                                            tx,
                                            actor,
                                            "create",
                                            "account",
                                            accountId,
                                            null,
                                            account.toJson())
                                        .compose(
                                            v ->
                                                UserService.insert(
                                                    tx, actor, accountId, admin, hash))
                                        .map(
                                            user ->
                                                account
                                                    .toJson()
                                                    .put("admin_user", user.toJson())))));
  }

  /**
   * Renames, suspends or resumes the account and changes its settings: null {@code name} and {@code
   * status} keep theirs, {@code settings} turns a copy of the current settings into the new ones
   * (it may fail with field errors, after the account was found). 404 when there is no such
   * account; 409 for suspending the platform account or a taken name.
   */
  public Future<JsonObject> update(
      Actor actor, UUID id, String name, String status, UnaryOperator<JsonObject> settings) {
    return pool.withTransaction(
            tx ->
                AccountStore.getForUpdate(tx, id)
                    .compose(
                        before -> {
                          Responses.found(before, "Account");
                          JsonObject merged = settings.apply(before.settings().copy());
                          if (before.platform() && "suspended".equals(status)) {
                            throw ApiException.conflict("The platform account cannot be suspended");
                          }
                          Account after =
                              new Account(
                                  before.id(),
                                  name != null ? name : before.name(),
                                  before.parentId(),
                                  before.platform(),
                                  status != null ? status : before.status(),
                                  merged,
                                  before.createdAt(),
                                  before.updatedAt());
                          return AccountStore.update(tx, after)
                              .recover(err -> Future.failedFuture(taken(err, after.name())))
                              .compose(
                                  saved ->
                                      AuditStore.record(
                                              tx,
                                              actor,
                                              "update",
                                              "account",
                                              id,
                                              before.toJson(),
                                              saved.toJson())
                                          .map(saved.toJson()));
                        }))
        .onSuccess(saved -> authCache.invalidate());
  }

  private static Throwable taken(Throwable err, String name) {
    return Rows.isUniqueViolation(err)
        ? ApiException.conflict("An account named '" + name + "' exists")
        : err;
  }
}
