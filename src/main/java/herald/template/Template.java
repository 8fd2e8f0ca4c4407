package herald.template;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;

/** A reusable message text with placeholders (see {@link Renderer}). */
public record Template(
    UUID id,
    UUID accountId,
    String name,
    String channel,
    String content,
    String category,
    boolean isPublic,
    long usageCount,
    String createdAt,
    String updatedAt) {

  /** The categories a template may have (seed 003's). */
  public static final List<String> CATEGORIES =
      List.of(
          "marketing",
          "notifications",
          "alerts",
          "reminders",
          "confirmations",
          "promotions",
          "other");

  static Template from(Row row) {
    return new Template(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("name"),
        row.getString("channel"),
        row.getString("content"),
        row.getString("category"),
        row.getBoolean("is_public"),
        row.getLong("usage_count"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("channel", channel)
        .put("content", content)
        .put("category", category)
        .put("is_public", isPublic)
        .put("usage_count", usageCount)
        .put("variables", new JsonArray(Renderer.variables(content)))
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
