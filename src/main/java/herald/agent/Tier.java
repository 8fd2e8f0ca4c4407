package herald.agent;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A service tier of end users (contacts): quotas of requests to the agents, the longest reply, the
 * categories it may ask about and its priority in the agent workers' queue.
 *
 * @param requestsPerHour null for no limit (likewise per day and per month)
 * @param maxReplyChars null for no limit beyond the agent's segment limit
 * @param allowedCategories null for every category
 * @param priority higher tiers' tasks are claimed first
 * @param overQuotaMessage the answer, without calling the model, when a quota is used up or the
 *     category is not allowed
 */
public record Tier(
    UUID id,
    UUID accountId,
    String name,
    Integer requestsPerHour,
    Integer requestsPerDay,
    Integer requestsPerMonth,
    Integer maxReplyChars,
    List<String> allowedCategories,
    int priority,
    String overQuotaMessage,
    String createdAt,
    String updatedAt) {

  static final String COLUMNS =
      "id, account_id, name, requests_per_hour, requests_per_day, requests_per_month,"
          + " max_reply_chars, allowed_categories, priority, over_quota_message, created_at,"
          + " updated_at";

  static Tier from(Row row) {
    String[] categories = row.getArrayOfStrings("allowed_categories");
    return new Tier(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("name"),
        row.getInteger("requests_per_hour"),
        row.getInteger("requests_per_day"),
        row.getInteger("requests_per_month"),
        row.getInteger("max_reply_chars"),
        categories == null ? null : Arrays.asList(categories),
        row.getInteger("priority"),
        row.getString("over_quota_message"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  public boolean allows(String category) {
    return allowedCategories == null || allowedCategories.contains(category);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("requests_per_hour", requestsPerHour)
        .put("requests_per_day", requestsPerDay)
        .put("requests_per_month", requestsPerMonth)
        .put("max_reply_chars", maxReplyChars)
        .put(
            "allowed_categories",
            allowedCategories == null ? null : new JsonArray(allowedCategories))
        .put("priority", priority)
        .put("over_quota_message", overQuotaMessage)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
