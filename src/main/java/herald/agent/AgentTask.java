package herald.agent;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * A message handed to an agent (or a task run by hand), durable from the moment the inbound message
 * is stored until its reply is committed.
 *
 * @param status {@code pending}, {@code running}, {@code done}, {@code failed} (the model failed:
 *     the fallback reply was sent) or {@code rejected} (answered without the model: over quota,
 *     unknown tier, category not allowed)
 * @param phoneNumber the end user's address as received
 * @param prompt the chat messages sent to the model, once it ran
 * @param processingMs time from claim to the committed reply
 */
public record AgentTask(
    UUID id,
    UUID accountId,
    UUID agentId,
    UUID ruleId,
    UUID inboundMessageId,
    UUID senderId,
    String channel,
    String phoneNumber,
    String ourNumber,
    String content,
    String category,
    String categorySource,
    String tier,
    int priority,
    Integer maxReplyChars,
    String status,
    int attempts,
    UUID claimToken,
    JsonArray prompt,
    String reply,
    UUID replyMessageId,
    Boolean success,
    String errorType,
    String errorMessage,
    String model,
    Integer promptTokens,
    Integer completionTokens,
    Integer tokensUsed,
    Integer processingMs,
    String createdAt,
    String completedAt) {

  static final String COLUMNS =
      "id, account_id, agent_id, rule_id, inbound_message_id, sender_id, channel, phone_number,"
          + " our_number, content, category, category_source, tier, priority, max_reply_chars, status, attempts,"
          + " claim_token, prompt, reply, reply_message_id, success, error_type, error_message,"
          + " model, prompt_tokens, completion_tokens, tokens_used, processing_ms, created_at,"
          + " completed_at";

  static AgentTask from(Row row) {
    Object prompt = row.getValue("prompt");
    return new AgentTask(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("agent_id"),
        row.getUUID("rule_id"),
        row.getUUID("inbound_message_id"),
        row.getUUID("sender_id"),
        row.getString("channel"),
        row.getString("phone_number"),
        row.getString("our_number"),
        row.getString("content"),
        row.getString("category"),
        row.getString("category_source"),
        row.getString("tier"),
        row.getInteger("priority"),
        row.getInteger("max_reply_chars"),
        row.getString("status"),
        row.getInteger("attempts"),
        row.getUUID("claim_token"),
        prompt instanceof JsonArray array ? array : null,
        row.getString("reply"),
        row.getUUID("reply_message_id"),
        row.getBoolean("success"),
        row.getString("error_type"),
        row.getString("error_message"),
        row.getString("model"),
        row.getInteger("prompt_tokens"),
        row.getInteger("completion_tokens"),
        row.getInteger("tokens_used"),
        row.getInteger("processing_ms"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "completed_at"));
  }

  /** The list view: everything but the prompt. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("agent_id", agentId.toString())
        .put("rule_id", ruleId == null ? null : ruleId.toString())
        .put("inbound_message_id", inboundMessageId == null ? null : inboundMessageId.toString())
        .put("sender_id", senderId == null ? null : senderId.toString())
        .put("channel", channel)
        .put("phone_number", phoneNumber)
        .put("content", content)
        .put("category", category)
        .put("category_source", categorySource)
        .put("tier", tier)
        .put("status", status)
        .put("attempts", attempts)
        .put("reply", reply)
        .put("reply_message_id", replyMessageId == null ? null : replyMessageId.toString())
        .put("success", success)
        .put("error_type", errorType)
        .put("error_message", errorMessage)
        .put("model", model)
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("tokens_used", tokensUsed)
        .put("processing_ms", processingMs)
        .put("created_at", createdAt)
        .put("completed_at", completedAt);
  }

  /** The detail view: {@link #toJson()} with the prompt sent to the model. */
  public JsonObject toDetailJson() {
    return toJson().put("prompt", prompt);
  }
}
