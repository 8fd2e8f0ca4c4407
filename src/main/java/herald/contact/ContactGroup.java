package herald.contact;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A named set of the account's contacts; {@code memberCount} is exact (kept by the database). */
public record ContactGroup(
    UUID id,
    UUID accountId,
    String name,
    String description,
    long memberCount,
    String createdAt,
    String updatedAt) {

  static ContactGroup from(Row row) {
    return new ContactGroup(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("name"),
        row.getString("description"),
        row.getInteger("member_count"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("description", description)
        .put("member_count", memberCount)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
