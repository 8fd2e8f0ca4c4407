package herald.routing;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * One inbound routing rule of an account. Rules are tried in {@code position} order (then by id)
 * after the opt-out keywords; the first whose every set condition holds handles the message. Unset
 * conditions (null) always hold.
 *
 * @param matchSenderId the receiving sender
 * @param matchNumber the receiving number (compared by digits)
 * @param matchKeyword the text's first word, case-insensitive
 * @param matchRegex a regular expression found anywhere in the text (case-insensitive)
 * @param matchGroupId a contact group the sending number's contact belongs to
 * @param matchTier the tier of the sending number's contact
 * @param action {@code reply} (fixed text), {@code template}, {@code agent} or {@code webhook} (no
 *     reply: the {@code message.received} webhook is all)
 */
public record InboundRule(
    UUID id,
    UUID accountId,
    String name,
    int position,
    boolean enabled,
    UUID matchSenderId,
    String matchNumber,
    String matchKeyword,
    String matchRegex,
    UUID matchGroupId,
    String matchTier,
    String action,
    String replyText,
    UUID templateId,
    UUID agentId,
    String createdAt,
    String updatedAt) {

  static final String COLUMNS =
      "id, account_id, name, position, enabled, match_sender_id, match_number, match_keyword,"
          + " match_regex, match_group_id, match_tier, action, reply_text, template_id, agent_id,"
          + " created_at, updated_at";

  static InboundRule from(Row row) {
    return new InboundRule(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("name"),
        row.getInteger("position"),
        row.getBoolean("enabled"),
        row.getUUID("match_sender_id"),
        row.getString("match_number"),
        row.getString("match_keyword"),
        row.getString("match_regex"),
        row.getUUID("match_group_id"),
        row.getString("match_tier"),
        row.getString("action"),
        row.getString("reply_text"),
        row.getUUID("template_id"),
        row.getUUID("agent_id"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  boolean needsContact() {
    return matchGroupId != null || matchTier != null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("position", position)
        .put("enabled", enabled)
        .put(
            "match",
            new JsonObject()
                .put("sender_id", str(matchSenderId))
                .put("number", matchNumber)
                .put("keyword", matchKeyword)
                .put("regex", matchRegex)
                .put("group_id", str(matchGroupId))
                .put("tier", matchTier))
        .put("action", action)
        .put("reply_text", replyText)
        .put("template_id", str(templateId))
        .put("agent_id", str(agentId))
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }

  private static String str(UUID id) {
    return id == null ? null : id.toString();
  }
}
