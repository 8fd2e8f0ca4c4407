package herald.message;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A message as the API shows it. */
public record Message(
    UUID id,
    UUID accountId,
    UUID senderId,
    UUID campaignId,
    String direction,
    String channel,
    String to,
    String from,
    String body,
    String encoding,
    int segments,
    String status,
    int attempts,
    String providerMessageId,
    String errorCode,
    String errorMessage,
    JsonObject metadata,
    String callbackUrl,
    String scheduledAt,
    String createdAt,
    String updatedAt,
    String sentAt,
    String doneAt,
    JsonObject content,
    JsonObject pricing) {

  static Message from(Row row) {
    return new Message(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("sender_id"),
        row.getUUID("campaign_id"),
        row.getString("direction"),
        row.getString("channel"),
        row.getString("to_number"),
        row.getString("from_number"),
        row.getString("body"),
        row.getString("encoding"),
        row.getInteger("segments"),
        row.getString("status"),
        row.getInteger("attempts"),
        row.getString("provider_message_id"),
        row.getString("error_code"),
        row.getString("error_message"),
        row.getJsonObject("metadata"),
        row.getString("callback_url"),
        Rows.iso(row, "scheduled_at"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"),
        Rows.iso(row, "sent_at"),
        Rows.iso(row, "done_at"),
        row.getJsonObject("content"),
        row.getJsonObject("pricing"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("direction", direction)
        .put("channel", channel)
        .put("status", status)
        .put("to", to)
        .put("from", from)
        .put("body", body)
        .put("content", content)
        .put("pricing", pricing)
        .put("encoding", encoding)
        .put("segments", segments)
        .put("sender_id", senderId == null ? null : senderId.toString())
        .put("campaign_id", campaignId == null ? null : campaignId.toString())
        .put("attempts", attempts)
        .put("provider_message_id", providerMessageId)
        .put("error_code", errorCode)
        .put("error_message", errorMessage)
        .put("metadata", metadata)
        .put("callback_url", callbackUrl)
        .put("scheduled_at", scheduledAt)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt)
        .put("sent_at", sentAt)
        .put("done_at", doneAt);
  }
}
