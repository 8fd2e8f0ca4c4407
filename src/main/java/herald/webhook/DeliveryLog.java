package herald.webhook;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The delivery log as the API reads it: deliveries of an endpoint with filters, the latest few,
 * stats, and retrying one or every failed delivery since a time. The dispatcher's side (fan-out,
 * claims, results) is {@link DeliveryStore}.
 */
final class DeliveryLog {
  private final Pool pool;

  DeliveryLog(Pool pool) {
    this.pool = pool;
  }

  /** Filters of the delivery log; null fields do not filter. */
  record Filter(String eventType, String status, Instant since, Instant until) {}

  Future<List<Delivery>> list(UUID accountId, UUID endpointId, Filter f, PageRequest page) {
    Where where =
        new Where("d.account_id = ", accountId)
            .and("d.endpoint_id = ", endpointId)
            .and("d.event_type = ", f.eventType())
            .and("d.status = ", f.status())
            .and("d.created_at >= ", f.since())
            .and("d.created_at < ", f.until())
            .and("d.id < ", page.after());
    List<Object> args = new ArrayList<>(where.args());
    args.add(page.limit() + 1);
    return pool.preparedQuery(
            "SELECT "
                + Delivery.COLUMNS
                + ", "
                + Delivery.HISTORY
                + " FROM webhook_deliveries d WHERE "
                + where.sql()
                + " ORDER BY d.id DESC LIMIT $"
                + args.size())
        .execute(Tuple.from(args))
        .map(rows -> Rows.map(rows, Delivery::from));
  }

  /** The latest {@code n} deliveries of an endpoint, without their attempt history. */
  Future<List<Delivery>> latest(UUID endpointId, int n) {
    return pool.preparedQuery(
            "SELECT "
                + Delivery.COLUMNS
                + ", NULL::json AS history FROM webhook_deliveries d WHERE d.endpoint_id = $1"
                + " ORDER BY d.id DESC LIMIT $2")
        .execute(Tuple.of(endpointId, n))
        .map(rows -> Rows.map(rows, Delivery::from));
  }

  Future<JsonObject> stats(UUID endpointId) {
    Future<JsonObject> totals =
        pool.preparedQuery(
                "SELECT count(*) AS total,"
                    + " count(*) FILTER (WHERE status = 'succeeded') AS succeeded,"
                    + " count(*) FILTER (WHERE status = 'failed') AS failed,"
                    + " count(*) FILTER (WHERE status = 'pending') AS pending,"
                    + " coalesce(sum(attempts), 0) AS attempts,"
                    + " max(done_at) FILTER (WHERE status = 'succeeded') AS last_success_at,"
                    + " max(last_attempt_at) AS last_attempt_at,"
                    + " avg(latency_ms) FILTER (WHERE status = 'succeeded') AS avg_latency"
                    + " FROM webhook_deliveries WHERE endpoint_id = $1")
            .execute(Tuple.of(endpointId))
            .map(rows -> totals(rows.iterator().next()));
    Future<String> lastFailure =
        pool.preparedQuery(
                "SELECT max(a.attempted_at) AS at FROM webhook_deliveries d CROSS JOIN LATERAL "
                    + Delivery.ATTEMPTS
                    + " a WHERE d.endpoint_id = $1"
                    + " AND (a.response_status IS NULL OR a.response_status NOT BETWEEN 200 AND 299)")
            .execute(Tuple.of(endpointId))
            .map(rows -> Rows.iso(rows.iterator().next(), "at"));
    Future<JsonArray> byType =
        pool.preparedQuery(
                "SELECT event_type, count(*) AS total,"
                    + " count(*) FILTER (WHERE status = 'succeeded') AS succeeded,"
                    + " count(*) FILTER (WHERE status = 'failed') AS failed,"
                    + " count(*) FILTER (WHERE status = 'pending') AS pending"
                    + " FROM webhook_deliveries WHERE endpoint_id = $1"
                    + " GROUP BY event_type ORDER BY event_type")
            .execute(Tuple.of(endpointId))
            .map(
                rows -> {
                  JsonArray out = new JsonArray();
                  rows.forEach(
                      row ->
                          out.add(
                              new JsonObject()
                                  .put("event", row.getString("event_type"))
                                  .put("count", row.getLong("total"))
                                  .put("succeeded", row.getLong("succeeded"))
                                  .put("failed", row.getLong("failed"))
                                  .put("pending", row.getLong("pending"))));
                  return out;
                });
    return Future.all(totals, lastFailure, byType)
        .map(
            all ->
                totals
                    .result()
                    .put("last_failure_at", lastFailure.result())
                    .put("events_by_type", byType.result()));
  }

  private static JsonObject totals(Row row) {
    long succeeded = row.getLong("succeeded");
    long failed = row.getLong("failed");
    Double rate =
        succeeded + failed == 0
            ? null
            : Math.round(succeeded * 10_000.0 / (succeeded + failed)) / 100.0;
    Object avg = row.getValue("avg_latency");
    return new JsonObject()
        .put("total_deliveries", row.getLong("total"))
        .put("succeeded", succeeded)
        .put("failed", failed)
        .put("pending", row.getLong("pending"))
        .put("attempts", row.getLong("attempts"))
        .put("success_rate", rate)
        .put("average_latency_ms", avg == null ? null : Math.round(((Number) avg).doubleValue()))
        .put("last_success_at", Rows.iso(row, "last_success_at"))
        .put("last_attempt_at", Rows.iso(row, "last_attempt_at"));
  }

  /**
   * Puts a finished delivery back in the queue for one immediate attempt (same webhook-id). Null
   * when there is no such delivery of this endpoint; {@code false} when it is still pending.
   */
  Future<Boolean> retry(UUID accountId, UUID endpointId, UUID deliveryId) {
    return pool.preparedQuery(
            "WITH target AS (SELECT id, status FROM webhook_deliveries"
                + "  WHERE account_id = $1 AND endpoint_id = $2 AND id = $3 FOR UPDATE),"
                + " reset AS (UPDATE webhook_deliveries d SET status = 'pending', retries_left = 0,"
                + "  next_attempt_at = now(), done_at = NULL FROM target t"
                + "  WHERE d.id = t.id AND t.status <> 'pending' RETURNING d.id)"
                + " SELECT t.status, (SELECT count(*) FROM reset) AS reset FROM target t")
        .execute(Tuple.of(accountId, endpointId, deliveryId))
        .map(rows -> Rows.first(rows, row -> row.getLong("reset") > 0));
  }

  /** Re-queues every failed delivery of the endpoint created since {@code since}; the count. */
  Future<Long> recover(UUID accountId, UUID endpointId, Instant since) {
    return pool.preparedQuery(
            "UPDATE webhook_deliveries SET status = 'pending', retries_left = 0,"
                + " next_attempt_at = now(), done_at = NULL"
                + " WHERE account_id = $1 AND endpoint_id = $2 AND status = 'failed'"
                + " AND created_at >= $3")
        .execute(Tuple.of(accountId, endpointId, since.atOffset(ZoneOffset.UTC)))
        .map(rows -> (long) rows.rowCount());
  }
}
