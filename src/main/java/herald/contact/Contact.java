package herald.contact;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A contact: someone the account sends to, identified within the account by an E.164 phone number.
 *
 * @param groupIds the groups the contact belongs to, sorted
 * @param tier the service tier (see {@code /api/v1/tiers}) the AI agents judge its quotas by, or
 *     null for the agent's default
 * @param totalRequests messages of this number handed to an AI agent, ever
 * @param lastRequestAt when the last one was, or null
 */
public record Contact(
    UUID id,
    UUID accountId,
    String phoneNumber,
    String name,
    String firstName,
    String lastName,
    String email,
    String status,
    String timezone,
    String language,
    JsonObject customFields,
    List<UUID> groupIds,
    String createdAt,
    String updatedAt,
    String tier,
    long totalRequests,
    String lastRequestAt) {

  /** A contact without agent usage (a new one, or one built for rendering). */
  public Contact(
      UUID id,
      UUID accountId,
      String phoneNumber,
      String name,
      String firstName,
      String lastName,
      String email,
      String status,
      String timezone,
      String language,
      JsonObject customFields,
      List<UUID> groupIds,
      String createdAt,
      String updatedAt) {
    this(
        id,
        accountId,
        phoneNumber,
        name,
        firstName,
        lastName,
        email,
        status,
        timezone,
        language,
        customFields,
        groupIds,
        createdAt,
        updatedAt,
        null,
        0,
        null);
  }

  static Contact from(Row row) {
    UUID[] groups = row.getArrayOfUUIDs("group_ids");
    return new Contact(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("phone_number"),
        row.getString("name"),
        row.getString("first_name"),
        row.getString("last_name"),
        row.getString("email"),
        row.getString("status"),
        row.getString("timezone"),
        row.getString("language"),
        row.getJsonObject("custom_fields"),
        groups == null ? List.of() : new ArrayList<>(Arrays.asList(groups)),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"),
        row.getString("tier"),
        row.getLong("total_requests"),
        Rows.iso(row, "last_request_at"));
  }

  /** The same contact with other groups. */
  Contact withGroups(List<UUID> groups) {
    return new Contact(
        id,
        accountId,
        phoneNumber,
        name,
        firstName,
        lastName,
        email,
        status,
        timezone,
        language,
        customFields,
        groups.stream().sorted().toList(),
        createdAt,
        updatedAt,
        tier,
        totalRequests,
        lastRequestAt);
  }

  public JsonObject toJson() {
    JsonArray groups = new JsonArray();
    groupIds.forEach(g -> groups.add(g.toString()));
    return new JsonObject()
        .put("id", id.toString())
        .put("phone_number", phoneNumber)
        .put("name", name)
        .put("first_name", firstName)
        .put("last_name", lastName)
        .put("email", email)
        .put("status", status)
        .put("timezone", timezone)
        .put("language", language)
        .put("custom_fields", customFields.copy())
        .put("group_ids", groups)
        .put("tier", tier)
        .put("total_requests", totalRequests)
        .put("last_request_at", lastRequestAt)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
