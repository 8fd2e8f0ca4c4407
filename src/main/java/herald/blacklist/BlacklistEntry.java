package herald.blacklist;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * A number the account never sends to.
 *
 * @param source {@code api} (added through the API), {@code inbound_stop} (the number replied STOP)
 *     or {@code import}
 * @param createdAt null until stored
 */
public record BlacklistEntry(
    UUID id, UUID accountId, String phoneNumber, String reason, String source, String createdAt) {

  static BlacklistEntry from(Row row) {
    return new BlacklistEntry(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("phone_number"),
        row.getString("reason"),
        row.getString("source"),
        Rows.iso(row, "created_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("phone_number", phoneNumber)
        .put("reason", reason)
        .put("source", source)
        .put("created_at", createdAt);
  }
}
