package herald.campaign;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A campaign: its {@link CampaignSpec}, where it is in its life, and the recipients skipped before
 * any message was made (by reason).
 *
 * @param parentId the recurring campaign this is a run of, or null
 * @param nextRunAt a recurring campaign's next run
 * @param audienceReady true once groups and contacts are snapshotted into recipients
 */
public record Campaign(
    UUID id,
    UUID accountId,
    UUID parentId,
    String status,
    CampaignSpec spec,
    Instant nextRunAt,
    boolean audienceReady,
    JsonObject skipped,
    String error,
    String createdAt,
    String updatedAt,
    String startedAt,
    String finishedAt) {

  public static final Set<String> STATUSES =
      Set.of("draft", "scheduled", "running", "paused", "completed", "stopped", "failed");

  /** Statuses in which the spec may still be edited. */
  static final Set<String> EDITABLE = Set.of("draft", "scheduled", "paused");

  static final String COLUMNS =
      "id, account_id, parent_id, name, channel, status, sender_ids, message, template_id, variants,"
          + " group_ids, contact_ids, start_at, recurrence, next_run_at, rate_per_second,"
          + " delay_between_messages_ms, weight, quiet_hours, max_attempts, retry_delay_seconds,"
          + " missing_variables, audience_ready, skipped, error, created_at, updated_at, started_at,"
          + " finished_at, content";

  static Campaign from(Row row) {
    JsonObject recurrence = (JsonObject) row.getJson("recurrence");
    JsonObject quiet = (JsonObject) row.getJson("quiet_hours");
    CampaignSpec spec =
        new CampaignSpec(
            row.getString("name"),
            row.getString("channel"),
            uuids(row.getArrayOfUUIDs("sender_ids")),
            row.getString("message"),
            row.getUUID("template_id"),
            Variant.fromJson((JsonArray) row.getJson("variants")),
            uuids(row.getArrayOfUUIDs("group_ids")),
            uuids(row.getArrayOfUUIDs("contact_ids")),
            instant(row, "start_at"),
            recurrence == null ? null : Recurrence.fromJson(recurrence),
            row.getDouble("rate_per_second"),
            row.getInteger("delay_between_messages_ms"),
            row.getInteger("weight"),
            QuietHours.fromJson(quiet),
            row.getInteger("max_attempts"),
            row.getInteger("retry_delay_seconds"),
            row.getString("missing_variables"),
            row.getJsonObject("content"));
    return new Campaign(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("parent_id"),
        row.getString("status"),
        spec,
        instant(row, "next_run_at"),
        row.getBoolean("audience_ready"),
        row.getJsonObject("skipped"),
        row.getString("error"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"),
        Rows.iso(row, "started_at"),
        Rows.iso(row, "finished_at"));
  }

  private static List<UUID> uuids(UUID[] ids) {
    return ids == null ? List.of() : List.copyOf(Arrays.asList(ids));
  }

  private static Instant instant(Row row, String column) {
    var value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  Campaign withAudienceReady() {
    return new Campaign(
        id,
        accountId,
        parentId,
        status,
        spec,
        nextRunAt,
        true,
        skipped,
        error,
        createdAt,
        updatedAt,
        startedAt,
        finishedAt);
  }

  /** The id A/B assignment hashes with: a recurring campaign's runs share their parent's. */
  UUID variantKey() {
    return parentId != null ? parentId : id;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("parent_id", parentId == null ? null : parentId.toString())
        .put("status", status)
        .mergeIn(spec.toJson())
        .put("next_run_at", nextRunAt == null ? null : nextRunAt.toString())
        .put("skipped", skipped)
        .put("error", error)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt)
        .put("started_at", startedAt)
        .put("finished_at", finishedAt);
  }
}
