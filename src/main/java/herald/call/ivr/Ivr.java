package herald.call.ivr;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * An IVR: menus as data ({@code definition} holds {@code start} and {@code menus}, as {@link
 * IvrDefinition} normalised them).
 */
public record Ivr(
    UUID id,
    UUID accountId,
    String name,
    JsonObject definition,
    String createdAt,
    String updatedAt) {

  static Ivr from(Row row) {
    return new Ivr(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("name"),
        row.getJsonObject("definition"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("start", definition.getString("start"))
        .put("menus", definition.getJsonObject("menus"))
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
