package herald.account;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.auth.UserStore;
import herald.platform.config.AdminConfig;
import herald.platform.database.Ids;
import herald.platform.security.Passwords;
import herald.platform.security.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start on an empty database: creates the platform (operator) account and its admin user.
 * Runs under a transaction-scoped advisory lock, so nodes starting together create it once.
 */
public final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
  private static final long LOCK_ID = 0x4865_7261_6c64L;

  private Bootstrap() {}

  /** Creates the platform account and admin if missing; does nothing otherwise. */
  public static Future<Void> ensurePlatformAccount(
      Pool pool, Passwords passwords, AdminConfig admin) {
    return AccountStore.platform(pool)
        .compose(
            existing ->
                existing != null ? Future.succeededFuture() : create(pool, passwords, admin));
  }

  private static Future<Void> create(Pool pool, Passwords passwords, AdminConfig admin) {
    String password = admin.password() != null ? admin.password() : generatePassword();
    return pool.withTransaction(
        tx ->
            tx.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
                .execute()
                .compose(v -> AccountStore.platform(tx))
                .compose(
                    existing -> {
                      if (existing != null) {
                        return Future.succeededFuture();
                      }
                      UUID accountId = Ids.newId();
                      Actor system = Actor.system(accountId);
                      return passwords
                          .hash(password)
                          .compose(
                              hash ->
                                  AccountStore.insert(
                                          tx, accountId, "platform", true, new JsonObject())
                                      .compose(
                                          account ->
                                              AuditStore.record(
                                                  tx,
                                                  system,
                                                  "create",
                                                  "account",
                                                  accountId,
                                                  null,
                                                  account.toJson()))
                                      .compose(
                                          x ->
                                              UserStore.insert(
                                                  tx,
                                                  Ids.newId(),
                                                  accountId,
                                                  admin.username(),
                                                  "Administrator",
                                                  null,
                                                  hash,
                                                  Role.ADMIN))
                                      .compose(
                                          user ->
                                              AuditStore.record(
                                                  tx,
                                                  system,
                                                  "create",
                                                  "user",
                                                  user.id(),
                                                  null,
                                                  user.toJson())))
                          .onSuccess(
                              x -> {
                                if (admin.password() == null) {
                                  LOG.warn(
                                      "Created platform admin '{}' with generated password: {}  (shown once; set"
                                          + " HERALD_ADMIN_PASSWORD to choose it)",
                                      admin.username(),
                                      password);
                                } else {
                                  LOG.info("Created platform admin '{}'", admin.username());
                                }
                              });
                    }));
  }

  private static String generatePassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
