package herald.account;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * A tenant. Every other resource belongs to exactly one account.
 *
 * @param settings account-wide defaults: {@code default_region} (ISO 3166 code used to read
 *     national phone numbers) and {@code timezone}
 */
public record Account(
    UUID id,
    String name,
    UUID parentId,
    boolean platform,
    String status,
    JsonObject settings,
    String createdAt,
    String updatedAt) {

  static Account from(Row row) {
    return new Account(
        row.getUUID("id"),
        row.getString("name"),
        row.getUUID("parent_id"),
        row.getBoolean("is_platform"),
        row.getString("status"),
        row.getJsonObject("settings"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("parent_id", parentId == null ? null : parentId.toString())
        .put("is_platform", platform)
        .put("status", status)
        .put("settings", settings)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
