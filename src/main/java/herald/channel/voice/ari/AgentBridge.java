package herald.channel.voice.ari;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's agent leg: the callee waits in a mixing bridge (Herald's id: the callee's channel id)
 * with music on hold while the agent's channel ({@code <channel id>-agent}) is originated into the
 * same Stasis application; once the agent is {@code Up} the hold music stops and the agent joins
 * the bridge (recorded when the call asked for {@code record}). When either leg hangs up the other
 * is hung up. The call itself (and its lane slot) still ends only on the callee's {@code
 * ChannelDestroyed}.
 *
 * <p>Dial strings: {@code extension} → {@code Local/{value}@{agent_context}}, {@code queue} →
 * {@code Local/{value}@{queue_context}}, {@code sip} → {@code PJSIP/{value}}.
 */
final class AgentBridge {
  private static final Logger LOG = LoggerFactory.getLogger(AgentBridge.class);

  private final CallHost call;
  private final JsonObject agent;
  private final String legId;
  private String status = "dialing";
  private boolean legOriginated;
  private boolean legGone;
  private Instant answeredAt;
  private Instant endedAt;

  AgentBridge(CallHost call, JsonObject agent) {
    this.call = call;
    this.agent = agent;
    this.legId = legId(call.channelId());
  }

  /** The agent leg's channel id for a callee's channel id. */
  static String legId(String channelId) {
    return channelId + "-agent";
  }

  String legId() {
    return legId;
  }

  /** The ARI dial string of an agent destination. */
  static String endpoint(JsonObject agent, AriType.Settings settings) {
    String value = agent.getString("value");
    return switch (agent.getString("type")) {
      case "queue" -> "Local/" + value + "@" + settings.queueContext();
      case "sip" -> "PJSIP/" + value;
      default -> "Local/" + value + "@" + settings.agentContext();
    };
  }

  /** Puts the callee on hold in the bridge and dials the agent. */
  void start() {
    call.write("agent", new JsonObject().put("status", status));
    AriClient ari = call.ari();
    String bridge = call.channelId();
    ari.createBridge(bridge)
        .compose(b -> ari.addChannel(bridge, call.channelId()))
        .compose(v -> ari.bridgeMoh(bridge, true))
        .onFailure(
            err -> {
              LOG.warn("Holding call {} in a bridge failed: {}", call.callId(), err.getMessage());
              call.hangup();
            });
    ari.originate(
            legId,
            endpoint(agent, call.settings()),
            call.number(),
            agent.getInteger("timeout_seconds", 30),
            "agent," + call.callId(),
            new JsonObject())
        .onSuccess(snapshot -> legOriginated = true)
        .onFailure(
            err -> {
              LOG.warn("Dialling the agent of call {} failed: {}", call.callId(), err.getMessage());
              ended(null);
            });
  }

  /** An event about the agent's channel. */
  void event(String type, JsonObject event) {
    JsonObject channel = event.getJsonObject("channel", new JsonObject());
    switch (type) {
      case "StasisStart", "ChannelStateChange" -> {
        if ("Up".equals(channel.getString("state")) && answeredAt == null && !legGone) {
          if (type.equals("StasisStart") || inStasis(channel)) {
            answered();
          }
        }
      }
      case "ChannelDestroyed" -> ended(event.getInteger("cause"));
      default -> {}
    }
  }

  private static boolean inStasis(JsonObject channel) {
    return "Stasis"
        .equals(channel.getJsonObject("dialplan", new JsonObject()).getString("app_name"));
  }

  private void answered() {
    answeredAt = Instant.now();
    status = "answered";
    call.write("agent", new JsonObject().put("status", status));
    AriClient ari = call.ari();
    String bridge = call.channelId();
    ari.bridgeMoh(bridge, false)
        .otherwiseEmpty()
        .compose(v -> ari.addChannel(bridge, legId))
        .compose(
            v -> {
              if (!call.recordWanted()) {
                return Future.succeededFuture();
              }
              String name = "herald-" + call.callId();
              // written before ARI answers, so a call that ends at once still names it
              call.write(
                  "recording",
                  new JsonObject().put("name", name).put("kind", "bridge").put("format", "wav"));
              return ari.recordBridge(bridge, name, "wav")
                  .<Void>mapEmpty()
                  .onFailure(
                      err ->
                          call.write(
                              "recording_finished",
                              new JsonObject().put("name", name).put("failed", true)));
            })
        .onFailure(
            err -> {
              LOG.warn("Bridging call {} to its agent failed: {}", call.callId(), err.getMessage());
              call.hangup();
            });
  }

  /** The agent's leg is gone (or could not be dialled): the callee is hung up. */
  void ended(Integer cause) {
    if (legGone) {
      return;
    }
    legGone = true;
    if (answeredAt != null) {
      endedAt = Instant.now();
    } else {
      status =
          cause == null
              ? "failed"
              : switch (cause) {
                case 17, 21 -> "busy";
                case 18, 19 -> "no_answer";
                case 16 -> "no_answer"; // hung up before answering
                default -> "failed";
              };
    }
    call.write("agent", new JsonObject().put("status", status).put("ended", true));
    call.hangup();
  }

  /** The callee's channel is gone: the agent's leg is hung up and the bridge destroyed. */
  void calleeGone() {
    if (!legGone) {
      legGone = true;
      if (answeredAt != null) {
        endedAt = Instant.now();
      } else {
        status = "abandoned";
      }
      if (legOriginated) {
        call.ari().hangup(legId, "normal").onFailure(err -> LOG.debug("{}", err.toString()));
      }
    }
    call.ari().destroyBridge(call.channelId()).onFailure(err -> LOG.debug("{}", err.toString()));
  }

  /** Whether the agent's channel should still exist (a reconciliation checks it). */
  boolean legLive() {
    return legOriginated && !legGone;
  }

  /** The agent leg's outcome, added to the call's end. */
  JsonObject describe(JsonObject detail) {
    return detail
        .put("agent_status", status)
        .put("agent_answered_at", answeredAt == null ? null : answeredAt.toString())
        .put("agent_ended_at", endedAt == null ? null : endedAt.toString());
  }
}
