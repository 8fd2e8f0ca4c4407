package herald.webhook;

import herald.event.EventType;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** All SQL about webhook endpoints. */
public final class EndpointStore {
  private static final String COLUMNS = Endpoint.COLUMNS;

  private final Pool pool;

  public EndpointStore(Pool pool) {
    this.pool = pool;
  }

  static Future<Endpoint> insert(SqlClient tx, Endpoint e) {
    return tx.preparedQuery(
            "INSERT INTO webhook_endpoints (id, account_id, sender_id, name, url, events, secret,"
                + " retry_limit, timeout_seconds, rate_limit_per_second, ordered, is_active)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  e.id(),
                  e.accountId(),
                  e.senderId(),
                  e.name(),
                  e.url(),
                  e.events().toArray(String[]::new),
                  e.secret(),
                  e.retryLimit(),
                  e.timeoutSeconds(),
                  e.rateLimitPerSecond(),
                  e.ordered(),
                  e.active()
                }))
        .map(rows -> Rows.first(rows, Endpoint::from));
  }

  /** Saves every field but the secrets and the failure streak (which the dispatcher owns). */
  static Future<Endpoint> update(SqlClient tx, Endpoint e) {
    return tx.preparedQuery(
            "UPDATE webhook_endpoints SET sender_id = $3, name = $4, url = $5, events = $6,"
                + " retry_limit = $7, timeout_seconds = $8, rate_limit_per_second = $9,"
                + " ordered = $10, is_active = $11, disabled_reason = $12,"
                + " failing_since = CASE WHEN $11 AND NOT is_active THEN NULL ELSE failing_since END,"
                + " updated_at = now() WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  e.accountId(),
                  e.id(),
                  e.senderId(),
                  e.name(),
                  e.url(),
                  e.events().toArray(String[]::new),
                  e.retryLimit(),
                  e.timeoutSeconds(),
                  e.rateLimitPerSecond(),
                  e.ordered(),
                  e.active(),
                  e.disabledReason()
                }))
        .map(rows -> Rows.first(rows, Endpoint::from));
  }

  /** Makes {@code secret} current; the old one keeps signing for {@code overlap}. */
  static Future<Endpoint> rotate(SqlClient tx, Endpoint e, String secret, Duration overlap) {
    return tx.preparedQuery(
            "UPDATE webhook_endpoints SET previous_secret = secret, secret = $3,"
                + " previous_secret_until = now() + ($4::bigint) * interval '1 second', updated_at = now()"
                + " WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(e.accountId(), e.id(), secret, overlap.toSeconds()))
        .map(rows -> Rows.first(rows, Endpoint::from));
  }

  static Future<Void> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery("DELETE FROM webhook_endpoints WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .mapEmpty();
  }

  public Future<Endpoint> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Endpoint::from));
  }

  static Future<Endpoint> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Endpoint::from));
  }

  /** Any account's endpoint, for the dispatcher. */
  Future<Endpoint> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Endpoint::from));
  }

  /** Ids of the active endpoints: the keys the dispatchers' ownership shares out. */
  Future<Set<String>> activeIds() {
    return pool.preparedQuery("SELECT id FROM webhook_endpoints WHERE is_active")
        .execute()
        .map(rows -> new HashSet<>(Rows.map(rows, row -> row.getUUID("id").toString())));
  }

  public Future<List<Endpoint>> list(UUID accountId, PageRequest page) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE account_id = $1"
                + " AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(accountId, page.after(), page.limit() + 1))
        .map(rows -> Rows.map(rows, Endpoint::from));
  }

  /** Whether a sender of this account exists, for {@code sender_id} on an endpoint. */
  Future<Boolean> senderExists(UUID accountId, UUID senderId) {
    return pool.preparedQuery("SELECT 1 FROM senders WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, senderId))
        .map(rows -> rows.size() > 0);
  }

  /** Records the start of a failure streak (no-op when one is running); returns its start. */
  Future<Instant> markFailing(UUID id) {
    return pool.preparedQuery(
            "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now())"
                + " WHERE id = $1 RETURNING failing_since")
        .execute(Tuple.of(id))
        .map(
            rows ->
                Rows.first(
                    rows,
                    row -> {
                      var at = row.getOffsetDateTime("failing_since");
                      return at == null ? null : at.toInstant();
                    }));
  }

  Future<Void> markHealthy(UUID id) {
    return pool.preparedQuery(
            "UPDATE webhook_endpoints SET failing_since = NULL"
                + " WHERE id = $1 AND failing_since IS NOT NULL")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  /**
   * Disables an active endpoint and emits {@code webhook.disabled} in the same transaction. Returns
   * false when it was already inactive (someone else disabled it first).
   */
  Future<Boolean> disable(Endpoint e, String reason, String detail) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE webhook_endpoints SET is_active = false, disabled_reason = $2,"
                        + " updated_at = now() WHERE id = $1 AND is_active RETURNING id")
                .execute(Tuple.of(e.id(), reason))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.succeededFuture(false)
                            : Outbox.append(
                                    tx,
                                    e.accountId(),
                                    EventType.WEBHOOK_DISABLED,
                                    e.id(),
                                    new JsonObject()
                                        .put("webhook_id", e.id().toString())
                                        .put("webhook_name", e.name())
                                        .put("url", e.url())
                                        .put("reason", reason)
                                        .put("detail", detail)
                                        .put(
                                            "disabled_at",
                                            Instant.now().atOffset(ZoneOffset.UTC).toString()))
                                .map(true)));
  }
}
