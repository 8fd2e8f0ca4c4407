package herald.webhook;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * One event for one endpoint, as the delivery log shows it: its state, the outcome of the latest
 * attempt, and (when loaded) every attempt.
 *
 * @param status {@code pending} (more attempts due), {@code succeeded} or {@code failed}
 * @param history the attempts, oldest first, or null when not loaded
 */
public record Delivery(
    UUID id,
    UUID endpointId,
    UUID eventId,
    String eventType,
    String status,
    int attempts,
    String nextAttemptAt,
    String lastAttemptAt,
    Integer responseStatus,
    Integer latencyMs,
    String responseBody,
    String error,
    String createdAt,
    String doneAt,
    JsonArray history) {

  static final String COLUMNS =
      "d.id, d.endpoint_id, d.event_id, d.event_type, d.status, d.attempts, d.next_attempt_at,"
          + " d.last_attempt_at, d.response_status, d.latency_ms, d.response_body, d.error,"
          + " d.created_at, d.done_at";

  /**
   * Every attempt of the delivery row {@code d}, as a row source with columns {@code attempt,
   * attempted_at, response_status, latency_ms, response_body, error}: the earlier ones from {@code
   * webhook_attempts}, the latest from the delivery row itself, which is the only place a delivery
   * answered on its first attempt keeps it (no history row is written for it). Rows written before
   * that rule also hold the latest attempt in {@code webhook_attempts}; it is read once.
   */
  static final String ATTEMPTS =
      "(SELECT h.attempt, h.attempted_at, h.response_status, h.latency_ms, h.response_body, h.error"
          + " FROM webhook_attempts h WHERE h.delivery_id = d.id AND h.attempt <> d.attempts"
          + " UNION ALL SELECT d.attempts, d.last_attempt_at, d.response_status, d.latency_ms,"
          + " d.response_body, d.error WHERE d.attempts > 0 AND d.last_attempt_at IS NOT NULL)";

  /**
   * The attempts of {@code d} ({@link #ATTEMPTS}), as a JSON array column named {@code history}.
   */
  static final String HISTORY =
      "(SELECT coalesce(json_agg(json_build_object('attempt', a.attempt, 'attempted_at',"
          + " to_char(a.attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
          + " 'response_status', a.response_status, 'latency_ms', a.latency_ms, 'response_body',"
          + " a.response_body, 'error', a.error) ORDER BY a.attempt), '[]'::json)"
          + " FROM "
          + ATTEMPTS
          + " a) AS history";

  static Delivery from(Row row) {
    Object history = row.getValue("history");
    return new Delivery(
        row.getUUID("id"),
        row.getUUID("endpoint_id"),
        row.getUUID("event_id"),
        row.getString("event_type"),
        row.getString("status"),
        row.getInteger("attempts"),
        Rows.iso(row, "next_attempt_at"),
        Rows.iso(row, "last_attempt_at"),
        row.getInteger("response_status"),
        row.getInteger("latency_ms"),
        row.getString("response_body"),
        row.getString("error"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "done_at"),
        history instanceof JsonArray array ? array : null);
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("webhook_id", endpointId.toString())
            .put("event_id", eventId.toString())
            .put("event_type", eventType)
            .put("status", status)
            .put("success", "succeeded".equals(status))
            .put("attempts", attempts)
            .put("next_attempt_at", "pending".equals(status) ? nextAttemptAt : null)
            .put("last_attempt_at", lastAttemptAt)
            .put("response_status", responseStatus)
            .put("latency_ms", latencyMs)
            .put("response_body", responseBody)
            .put("error", error)
            .put("created_at", createdAt)
            .put("done_at", doneAt);
    if (history != null) {
      json.put("history", history);
    }
    return json;
  }
}
