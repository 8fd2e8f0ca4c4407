package herald.call;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * A recording Herald asked ARI for: the whole call ({@code call}), the agent bridge ({@code
 * bridge}) or a caller's message left in an IVR ({@code message}). The audio is Asterisk's stored
 * recording {@code name} on the sender's Asterisk.
 */
public record Recording(
    UUID id,
    UUID accountId,
    UUID callId,
    UUID senderId,
    String name,
    String format,
    String kind,
    String state,
    Integer durationSeconds,
    String createdAt,
    String finishedAt) {

  static Recording from(Row row) {
    return new Recording(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("call_id"),
        row.getUUID("sender_id"),
        row.getString("name"),
        row.getString("format"),
        row.getString("kind"),
        row.getString("state"),
        row.getInteger("duration_seconds"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "finished_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("call_id", callId.toString())
        .put("sender_id", senderId.toString())
        .put("name", name)
        .put("format", format)
        .put("kind", kind)
        .put("state", state)
        .put("duration_seconds", durationSeconds)
        .put("file_url", "/api/v1/recordings/" + id + "/file")
        .put("created_at", createdAt)
        .put("finished_at", finishedAt);
  }
}
