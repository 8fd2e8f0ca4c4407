package herald.call;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * The call detail record of one dialled attempt, written in the transaction that ends the call.
 * Ring seconds run from the dial to the answer (or the end), talk seconds from the answer to the
 * end; agent talk seconds from the agent's answer to the end of either leg. The IVR path lists the
 * menus visited and keys pressed.
 */
public record Cdr(
    UUID id,
    UUID callId,
    UUID senderId,
    String to,
    String callerId,
    String startedAt,
    String answeredAt,
    String endedAt,
    double ringSeconds,
    double talkSeconds,
    String disposition,
    Integer hangupCause,
    String hangupCauseText,
    String amdStatus,
    String amdCause,
    String dtmf,
    String recording,
    UUID campaignId,
    Long recipientSeq,
    UUID ivrId,
    JsonArray ivrPath,
    String agentStatus,
    double agentTalkSeconds) {

  static Cdr from(Row row) {
    return new Cdr(
        row.getUUID("id"),
        row.getUUID("call_id"),
        row.getUUID("sender_id"),
        row.getString("to_number"),
        row.getString("caller_id"),
        Rows.iso(row, "started_at"),
        Rows.iso(row, "answered_at"),
        Rows.iso(row, "ended_at"),
        seconds(row.getBigDecimal("ring_seconds")),
        seconds(row.getBigDecimal("talk_seconds")),
        row.getString("disposition"),
        row.getInteger("hangup_cause"),
        row.getString("hangup_cause_text"),
        row.getString("amd_status"),
        row.getString("amd_cause"),
        row.getString("dtmf"),
        row.getString("recording"),
        row.getUUID("campaign_id"),
        row.getLong("recipient_seq"),
        row.getUUID("ivr_id"),
        (JsonArray) row.getJson("ivr_path"),
        row.getString("agent_status"),
        seconds(row.getBigDecimal("agent_talk_seconds")));
  }

  private static double seconds(BigDecimal value) {
    return value == null ? 0 : value.doubleValue();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("call_id", callId.toString())
        .put("sender_id", senderId.toString())
        .put("to", to)
        .put("caller_id", callerId)
        .put("started_at", startedAt)
        .put("answered_at", answeredAt)
        .put("ended_at", endedAt)
        .put("ring_seconds", ringSeconds)
        .put("talk_seconds", talkSeconds)
        .put("disposition", disposition)
        .put("hangup_cause", hangupCause)
        .put("hangup_cause_text", hangupCauseText)
        .put("amd_status", amdStatus)
        .put("amd_cause", amdCause)
        .put("dtmf", dtmf)
        .put("recording", recording)
        .put("campaign_id", campaignId == null ? null : campaignId.toString())
        .put("recipient_seq", recipientSeq)
        .put("ivr_id", ivrId == null ? null : ivrId.toString())
        .put("ivr_path", ivrPath == null ? new JsonArray() : ivrPath)
        .put("agent_status", agentStatus)
        .put("agent_talk_seconds", agentTalkSeconds);
  }
}
