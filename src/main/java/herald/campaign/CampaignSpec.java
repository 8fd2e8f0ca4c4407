package herald.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a campaign sends, to whom, when and how fast: the part of a campaign a client edits while it
 * is a draft or paused, and what a clone or a recurring run copies.
 *
 * @param senderIds the senders, used round-robin; empty for the account's default sender
 * @param message inline content, or null when {@code templateId} gives it
 * @param variants A/B variants (percentages summing to 100); empty for none
 * @param groupIds contact groups in the audience (snapshotted when the campaign starts)
 * @param contactIds single contacts in the audience
 * @param startAt when a scheduled campaign starts; null to start on demand
 * @param recurrence repeat runs, each a child campaign; null for a one-off campaign
 * @param ratePerSecond the campaign's own rate cap; null for the senders' full rate
 * @param delayMs seed 002's delay between messages; null for none
 * @param weight share of a sender against other campaigns running on it
 * @param maxAttempts times a recipient is tried in all (a failed message is re-sent after {@code
 *     retryDelaySeconds} until then)
 * @param missingVariables {@code blank} sends with missing variables left empty; {@code skip} skips
 *     such recipients (counted as {@code missing_variable})
 * @param content a WhatsApp campaign's message ({@code {"type": "template", ...}}, {@code "text"},
 *     {@code "image"}, ...), its texts (template parameters, text body, caption) filled per
 *     recipient; null for SMS
 */
public record CampaignSpec(
    String name,
    String channel,
    List<UUID> senderIds,
    String message,
    UUID templateId,
    List<Variant> variants,
    List<UUID> groupIds,
    List<UUID> contactIds,
    Instant startAt,
    Recurrence recurrence,
    Double ratePerSecond,
    Integer delayMs,
    int weight,
    QuietHours quietHours,
    int maxAttempts,
    int retryDelaySeconds,
    String missingVariables,
    JsonObject content) {

  /** The campaign's own rate cap in messages per second, or null when it has none. */
  public Double rateCap() {
    Double byDelay = delayMs == null || delayMs == 0 ? null : 1000.0 / delayMs;
    if (ratePerSecond == null) {
      return byDelay;
    }
    return byDelay == null ? ratePerSecond : Math.min(ratePerSecond, byDelay);
  }

  /** The spec of one run of this recurring campaign, due at {@code due}: no schedule of its own. */
  CampaignSpec asRun(Instant due) {
    String runName = name + " (" + due + ")";
    return new CampaignSpec(
        runName.length() > 200 ? runName.substring(0, 200) : runName,
        channel,
        senderIds,
        message,
        templateId,
        variants,
        groupIds,
        contactIds,
        null,
        null,
        ratePerSecond,
        delayMs,
        weight,
        quietHours,
        maxAttempts,
        retryDelaySeconds,
        missingVariables,
        content);
  }

  /** This spec under another name (a clone's). */
  CampaignSpec named(String newName) {
    return with(newName, message, templateId, variants, recurrence);
  }

  /** This spec with inline content instead of a template (seed 003's send with a message). */
  CampaignSpec withMessage(String text) {
    return with(name, text, null, variants, recurrence);
  }

  /** This spec with other typed content (a WhatsApp file's provider id added). */
  CampaignSpec withContent(JsonObject newContent) {
    return new CampaignSpec(
        name,
        channel,
        senderIds,
        message,
        templateId,
        variants,
        groupIds,
        contactIds,
        startAt,
        recurrence,
        ratePerSecond,
        delayMs,
        weight,
        quietHours,
        maxAttempts,
        retryDelaySeconds,
        missingVariables,
        newContent);
  }

  CampaignSpec withVariants(List<Variant> newVariants) {
    return with(name, message, templateId, newVariants, recurrence);
  }

  CampaignSpec withRecurrence(Recurrence newRecurrence) {
    return with(name, message, templateId, variants, newRecurrence);
  }

  private CampaignSpec with(
      String newName,
      String newMessage,
      UUID newTemplate,
      List<Variant> newVariants,
      Recurrence newRecurrence) {
    return new CampaignSpec(
        newName,
        channel,
        senderIds,
        newMessage,
        newTemplate,
        newVariants,
        groupIds,
        contactIds,
        startAt,
        newRecurrence,
        ratePerSecond,
        delayMs,
        weight,
        quietHours,
        maxAttempts,
        retryDelaySeconds,
        missingVariables,
        content);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("channel", channel)
        .put("sender_ids", ids(senderIds))
        .put("message", message)
        .put("template_id", templateId == null ? null : templateId.toString())
        .put("variants", Variant.toJson(variants))
        .put(
            "audience",
            new JsonObject().put("group_ids", ids(groupIds)).put("contact_ids", ids(contactIds)))
        .put("scheduled_at", startAt == null ? null : startAt.toString())
        .put("recurrence", recurrence == null ? null : recurrence.toJson())
        .put("rate_per_second", ratePerSecond)
        .put("delay_between_messages_ms", delayMs)
        .put("weight", weight)
        .put("quiet_hours", quietHours == null ? null : quietHours.toJson())
        .put("max_attempts", maxAttempts)
        .put("retry_delay_seconds", retryDelaySeconds)
        .put("missing_variables", missingVariables)
        .put(voice() ? "voice" : "content", voice() ? voiceSpec().toJson() : content);
  }

  /** Whether this is a voice campaign (its content is a {@link VoiceSpec}). */
  boolean voice() {
    return "voice".equals(channel);
  }

  /** A voice campaign's calls and dialler settings. */
  VoiceSpec voiceSpec() {
    return VoiceSpec.of(content);
  }

  private static JsonArray ids(List<UUID> ids) {
    JsonArray out = new JsonArray();
    ids.forEach(id -> out.add(id.toString()));
    return out;
  }
}
