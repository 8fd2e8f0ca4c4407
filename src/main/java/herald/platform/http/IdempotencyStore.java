package herald.platform.http;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * {@code Idempotency-Key} support: the first response to a key is stored in the same transaction as
 * the work it reports, and a repeat with the same key and body gets that response again. The same
 * key with a different body is refused.
 */
public final class IdempotencyStore {
  /** A stored first response. */
  public record Stored(byte[] requestHash, int status, JsonObject response) {}

  private final Pool pool;

  public IdempotencyStore(Pool pool) {
    this.pool = pool;
  }

  /** The key from the request, validated; null when the client sent none. */
  public static String key(io.vertx.ext.web.RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null) {
      return null;
    }
    if (key.isBlank() || key.length() > 255) {
      throw ApiException.badRequest("Idempotency-Key must be 1 to 255 characters");
    }
    return key;
  }

  public static byte[] hash(Buffer body) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(body == null ? new byte[0] : body.getBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Future<Stored> find(UUID accountId, String key) {
    return pool.preparedQuery(
            "SELECT request_hash, status, response FROM idempotency_keys"
                + " WHERE account_id = $1 AND key = $2")
        .execute(Tuple.of(accountId, key))
        .map(
            rows ->
                Rows.first(
                    rows,
                    row ->
                        new Stored(
                            row.getBuffer("request_hash").getBytes(),
                            row.getInteger("status"),
                            row.getJsonObject("response"))));
  }

  /**
   * Stores the response in {@code tx}; a concurrent first use of the key fails with SQLSTATE 23505.
   */
  public static Future<Void> save(
      SqlClient tx, UUID accountId, String key, byte[] hash, int status, JsonObject response) {
    return tx.preparedQuery(
            "INSERT INTO idempotency_keys (account_id, key, request_hash, status, response)"
                + " VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(accountId, key, Buffer.buffer(hash), status, response))
        .mapEmpty();
  }

  /** The stored response for a repeat, or a 422 when the key was used for another body. */
  public static Stored replay(Stored stored, byte[] hash) {
    if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
      throw ApiException.validation(
          "Idempotency-Key",
          "key_reused",
          "This Idempotency-Key was already used with a different request body");
    }
    return stored;
  }
}
