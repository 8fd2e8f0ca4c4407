package herald.campaign;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;

/**
 * What became of one recipient of a campaign, read with its latest message.
 *
 * @param seq the recipient's place in the campaign (the list's cursor)
 * @param status {@code pending}, {@code skipped} or {@code canceled} from the recipient's state,
 *     else its latest message's status ({@code queued} until the message exists)
 * @param reason why it was skipped or canceled
 * @param data its variables (CSV columns, inline fields), or null
 */
record RecipientResult(
    long seq,
    String phoneNumber,
    String status,
    String reason,
    String variant,
    String operator,
    int attempts,
    UUID messageId,
    String providerMessageId,
    String errorCode,
    String errorMessage,
    String timezone,
    JsonObject data,
    String sentAt,
    String doneAt) {

  /** Every status a recipient can have, for the {@code status} filter. */
  static final List<String> STATUSES =
      List.of(
          "pending",
          "queued",
          "sending",
          "sent",
          "delivered",
          "undelivered",
          "failed",
          "skipped",
          "canceled");

  /** The recipient's status in SQL, over {@code r} (recipients) and {@code m} (its message). */
  static final String STATUS_SQL =
      "CASE WHEN r.state = 'queued' THEN coalesce(m.status, 'queued') ELSE r.state END";

  static final String COLUMNS =
      "r.seq, r.phone_number, "
          + STATUS_SQL
          + " AS status, r.reason, r.variant, r.operator, r.attempts, r.message_id,"
          + " m.provider_message_id, m.error_code, m.error_message, r.timezone, r.data, m.sent_at,"
          + " m.done_at";

  static RecipientResult from(Row row) {
    return new RecipientResult(
        row.getLong("seq"),
        row.getString("phone_number"),
        row.getString("status"),
        row.getString("reason"),
        row.getString("variant"),
        row.getString("operator"),
        row.getInteger("attempts"),
        row.getUUID("message_id"),
        row.getString("provider_message_id"),
        row.getString("error_code"),
        row.getString("error_message"),
        row.getString("timezone"),
        (JsonObject) row.getJson("data"),
        Rows.iso(row, "sent_at"),
        Rows.iso(row, "done_at"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("phone_number", phoneNumber)
        .put("status", status)
        .put("reason", reason)
        .put("variant", variant)
        .put("operator", operator)
        .put("attempts", attempts)
        .put("message_id", messageId == null ? null : messageId.toString())
        .put("provider_message_id", providerMessageId)
        .put("error_code", errorCode)
        .put("error_message", errorMessage)
        .put("timezone", timezone)
        .put("data", data == null ? new JsonObject() : data)
        .put("sent_at", sentAt)
        .put("done_at", doneAt);
  }
}
