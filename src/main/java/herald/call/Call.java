package herald.call;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Set;
import java.util.UUID;

/**
 * One call attempt: queued by the API, dialled by its sender's lane, ended by the provider's
 * outcome. {@code status} runs {@code queued → dialing → ringing → answered} and ends in one of
 * {@link #FINAL}.
 *
 * @param options what the request asked for: {@code play}, {@code record}, {@code amd}, {@code
 *     timeout_seconds}, {@code variables}, {@code ivr} (a snapshot of the IVR: {@code id}, {@code
 *     start}, {@code menus}), {@code agent} ({@code type}, {@code value}, {@code timeout_seconds})
 * @param ivrPath the IVR menus visited and keys pressed, in order
 * @param agentStatus the agent leg's outcome: dialing, answered, no_answer, busy, failed, abandoned
 * @param channelId the ARI channel id (Herald's own, set when the lane claims the call)
 * @param campaignId the voice campaign this call is an attempt of, or null
 * @param recipientSeq the campaign recipient it calls, or null
 */
public record Call(
    UUID id,
    UUID accountId,
    UUID senderId,
    String to,
    String callerId,
    String status,
    JsonObject options,
    String channelId,
    int attempts,
    boolean hangupRequested,
    Integer hangupCause,
    String hangupCauseText,
    String amdStatus,
    String amdCause,
    String dtmf,
    String recording,
    String error,
    String createdAt,
    String dialedAt,
    String ringingAt,
    String answeredAt,
    String endedAt,
    UUID campaignId,
    Long recipientSeq,
    JsonArray ivrPath,
    String agentStatus,
    String agentAnsweredAt,
    String agentEndedAt) {

  /** A call without IVR or agent progress (a new one, as the API or a campaign queues it). */
  public Call(
      UUID id,
      UUID accountId,
      UUID senderId,
      String to,
      String callerId,
      String status,
      JsonObject options,
      String channelId,
      int attempts,
      boolean hangupRequested,
      Integer hangupCause,
      String hangupCauseText,
      String amdStatus,
      String amdCause,
      String dtmf,
      String recording,
      String error,
      String createdAt,
      String dialedAt,
      String ringingAt,
      String answeredAt,
      String endedAt,
      UUID campaignId,
      Long recipientSeq) {
    this(
        id,
        accountId,
        senderId,
        to,
        callerId,
        status,
        options,
        channelId,
        attempts,
        hangupRequested,
        hangupCause,
        hangupCauseText,
        amdStatus,
        amdCause,
        dtmf,
        recording,
        error,
        createdAt,
        dialedAt,
        ringingAt,
        answeredAt,
        endedAt,
        campaignId,
        recipientSeq,
        new JsonArray(),
        null,
        null,
        null);
  }

  /**
   * A new call in {@code queued}, as the API or a campaign queues it: nothing dialled yet.
   *
   * @param campaignId the voice campaign it belongs to, or null for a single call
   * @param recipientSeq the campaign recipient it calls, or null
   */
  public static Call queued(
      UUID id,
      UUID accountId,
      UUID senderId,
      String to,
      String callerId,
      JsonObject options,
      UUID campaignId,
      Long recipientSeq) {
    return new Call(
        id,
        accountId,
        senderId,
        to,
        callerId,
        "queued",
        options,
        null,
        0,
        false,
        null,
        null,
        null,
        null,
        "",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        campaignId,
        recipientSeq);
  }

  /** States a call is still live in (a lane holds it, or will). */
  public static final Set<String> LIVE = Set.of("queued", "dialing", "ringing", "answered");

  /** The dispositions a call ends with. */
  public static final Set<String> FINAL =
      Set.of("completed", "busy", "no_answer", "failed", "canceled", "machine");

  static Call from(Row row) {
    return new Call(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("sender_id"),
        row.getString("to_number"),
        row.getString("caller_id"),
        row.getString("status"),
        row.getJsonObject("options"),
        row.getString("channel_id"),
        row.getInteger("attempts"),
        row.getBoolean("hangup_requested"),
        row.getInteger("hangup_cause"),
        row.getString("hangup_cause_text"),
        row.getString("amd_status"),
        row.getString("amd_cause"),
        row.getString("dtmf"),
        row.getString("recording"),
        row.getString("error"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "dialed_at"),
        Rows.iso(row, "ringing_at"),
        Rows.iso(row, "answered_at"),
        Rows.iso(row, "ended_at"),
        row.getUUID("campaign_id"),
        row.getLong("recipient_seq"),
        (JsonArray) row.getJson("ivr_path"),
        row.getString("agent_status"),
        Rows.iso(row, "agent_answered_at"),
        Rows.iso(row, "agent_ended_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("sender_id", senderId.toString())
        .put("to", to)
        .put("caller_id", callerId)
        .put("status", status)
        .put("play", options.getString("play"))
        .put("record", options.getBoolean("record", false))
        .put("amd", options.getBoolean("amd", false))
        .put("timeout_seconds", options.getInteger("timeout_seconds"))
        .put("variables", options.getJsonObject("variables", new JsonObject()))
        .put("machine_action", options.getString("machine_action"))
        .put("machine_message", options.getString("machine_message"))
        .put("channel_id", channelId)
        .put("attempts", attempts)
        .put("hangup_cause", hangupCause)
        .put("hangup_cause_text", hangupCauseText)
        .put("amd_status", amdStatus)
        .put("amd_cause", amdCause)
        .put("dtmf", dtmf)
        .put("recording", recording)
        .put("error", error)
        .put("created_at", createdAt)
        .put("dialed_at", dialedAt)
        .put("ringing_at", ringingAt)
        .put("answered_at", answeredAt)
        .put("ended_at", endedAt)
        .put("campaign_id", campaignId == null ? null : campaignId.toString())
        .put("recipient_seq", recipientSeq)
        .put("ivr_id", ivrId())
        .put("ivr_path", ivrPath == null ? new JsonArray() : ivrPath)
        .put("agent", options.getJsonObject("agent"))
        .put("agent_status", agentStatus)
        .put("agent_answered_at", agentAnsweredAt)
        .put("agent_ended_at", agentEndedAt);
  }

  /** The IVR the call runs (its snapshot is in the options), or null. */
  public String ivrId() {
    JsonObject ivr = options.getJsonObject("ivr");
    return ivr == null ? null : ivr.getString("id");
  }
}
