package herald.monitoring;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Monitoring's read-only SQL: the database's round trip, lane leases, and the events stream. */
final class MonitoringStore {
  private final Pool pool;

  MonitoringStore(Pool pool) {
    this.pool = pool;
  }

  /** A round trip to PostgreSQL: its latency in milliseconds. */
  Future<Double> ping() {
    long started = System.nanoTime();
    return pool.query("SELECT 1").execute().map(rows -> (System.nanoTime() - started) / 1e6);
  }

  /** The database's clock now. */
  Future<OffsetDateTime> now() {
    return pool.query("SELECT now() AS now")
        .execute()
        .map(rows -> rows.iterator().next().getOffsetDateTime("now"));
  }

  /** The lane lease of each sender id: its owner and whether the lease is current. */
  Future<List<Row>> laneLeases(List<UUID> senderIds) {
    return pool.preparedQuery(
            "SELECT key, owner, expires_at > now() AS current, expires_at FROM cluster_leases"
                + " WHERE kind = 'lane' AND key = ANY($1)")
        .execute(Tuple.of(senderIds.stream().map(UUID::toString).toArray(String[]::new)))
        .map(rows -> Rows.map(rows, row -> row));
  }

  /** An event of the stream. */
  record StreamEvent(UUID id, String type, UUID subjectId, JsonObject data, OffsetDateTime at) {}

  /**
   * The account's committed events of the given type prefixes written since {@code since}, in id
   * order, at most {@code limit}.
   */
  Future<List<StreamEvent>> events(
      UUID accountId, String[] likePatterns, OffsetDateTime since, int limit) {
    return pool.preparedQuery(
            "SELECT id, type, subject_id, data, created_at FROM events WHERE account_id = $1"
                + " AND created_at >= $2 AND type LIKE ANY($3) ORDER BY created_at, id LIMIT $4")
        .execute(Tuple.of(accountId, since, likePatterns, limit))
        .map(
            rows ->
                Rows.map(
                    rows,
                    row ->
                        new StreamEvent(
                            row.getUUID("id"),
                            row.getString("type"),
                            row.getUUID("subject_id"),
                            (JsonObject) row.getJson("data"),
                            row.getOffsetDateTime("created_at"))));
  }

  /** When the account's event {@code id} was written, or null (unknown, or another account's). */
  Future<OffsetDateTime> eventTime(UUID accountId, UUID id) {
    return pool.preparedQuery("SELECT created_at FROM events WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, row -> row.getOffsetDateTime("created_at")));
  }
}
