package herald.auth;

import herald.platform.database.Rows;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** All SQL about API keys. */
public final class ApiKeyStore {
  private static final String COLUMNS =
      "id, account_id, user_id, name, prefix, scopes, expires_at, last_used_at, revoked_at, created_at";
  private static final String K_COLUMNS =
      "k.id, k.account_id, k.user_id, k.name, k.prefix, k.scopes, k.expires_at, k.last_used_at,"
          + " k.revoked_at, k.created_at";

  /**
   * What the authenticator needs for a key: the key, its hash, its owner and the account's state.
   */
  public record Presented(
      ApiKey key,
      byte[] hash,
      User owner,
      boolean platformAccount,
      boolean accountActive,
      boolean usable) {}

  private final Pool pool;

  public ApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  /** One round trip per key-authenticated request. {@code usable}: not revoked and not expired. */
  public Future<Presented> byPrefix(String prefix) {
    return pool.preparedQuery(
            "SELECT "
                + K_COLUMNS
                + ", k.key_hash,"
                + " k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AS usable,"
                + UserStore.U_PREFIXED
                + ", a.is_platform, a.status = 'active' AS account_active"
                + " FROM api_keys k JOIN users u ON u.id = k.user_id JOIN accounts a ON a.id = k.account_id"
                + " WHERE k.prefix = $1")
        .execute(Tuple.of(prefix))
        .map(
            rows ->
                Rows.first(
                    rows,
                    row ->
                        new Presented(
                            ApiKey.from(row),
                            row.getBuffer("key_hash").getBytes(),
                            User.from(row, "u_"),
                            row.getBoolean("is_platform"),
                            row.getBoolean("account_active"),
                            row.getBoolean("usable"))));
  }

  public static Future<ApiKey> insert(
      SqlClient tx,
      UUID id,
      UUID accountId,
      UUID userId,
      String name,
      String prefix,
      byte[] hash,
      List<String> scopes,
      Instant expiresAt) {
    return tx.preparedQuery(
            "INSERT INTO api_keys (id, account_id, user_id, name, prefix, key_hash, scopes, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  id,
                  accountId,
                  userId,
                  name,
                  prefix,
                  io.vertx.core.buffer.Buffer.buffer(hash),
                  scopes.toArray(String[]::new),
                  expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC)
                }))
        .map(rows -> Rows.first(rows, ApiKey::from));
  }

  /** The account's keys, or only {@code userId}'s when it is not null; newest first. */
  public Future<List<ApiKey>> list(UUID accountId, UUID userId, PageRequest page) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM api_keys WHERE account_id = $1"
                + " AND ($2::uuid IS NULL OR user_id = $2) AND ($3::uuid IS NULL OR id < $3)"
                + " ORDER BY id DESC LIMIT $4")
        .execute(Tuple.of(accountId, userId, page.after(), page.limit() + 1))
        .map(rows -> Rows.map(rows, ApiKey::from));
  }

  public Future<ApiKey> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM api_keys WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, ApiKey::from));
  }

  public static Future<ApiKey> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "SELECT " + COLUMNS + " FROM api_keys WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, ApiKey::from));
  }

  public static Future<ApiKey> revoke(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())"
                + " WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, ApiKey::from));
  }

  /** Records use at most once a minute per key, so busy keys do not write on every request. */
  public Future<Void> touch(UUID id) {
    return pool.preparedQuery(
            "UPDATE api_keys SET last_used_at = now() WHERE id = $1"
                + " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
        .execute(Tuple.of(id))
        .mapEmpty();
  }
}
