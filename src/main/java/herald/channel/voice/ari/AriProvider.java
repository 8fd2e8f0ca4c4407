package herald.channel.voice.ari;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.ProgressSink;
import herald.channel.Provider;
import herald.channel.ProviderContext;
import herald.channel.SendOutcome;
import herald.platform.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ARI sender's calls. {@link #send} places a call and completes when its channel is destroyed
 * (so the lane's slot is held exactly while the channel exists); the outcome's detail carries the
 * disposition, hang-up cause, answer time, AMD verdict, DTMF path and recording. Interim states go
 * to the {@link ProgressSink}.
 *
 * <p>A call's channel id is Herald's own ({@code herald-<call id>-<attempt>}), chosen before the
 * originate, so a call is never lost: after the events socket comes back, live channels are
 * reconciled with {@code GET /channels} (a call whose channel is gone ends at once); a call adopted
 * from a lane that is gone (a crash, a restart) is hung up if its channel still lives and ended
 * when it is destroyed, or ended at once when it is gone.
 *
 * <p>Runs on the lane's context only.
 */
final class AriProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(AriProvider.class);
  private static final long CONNECT_WAIT_MS = 5000;
  private static final long VERIFY_MS = 10_000;
  private static final long STOP_POLL_MS = 2000;

  /** A call this provider follows. */
  private static final class LiveCall {
    final OutboundItem item;
    final JsonObject options;
    final String channelId;
    final Promise<SendOutcome> outcome = Promise.promise();
    Future<Void> writes = Future.succeededFuture();
    boolean originated;
    boolean ringing;
    boolean answered;
    Instant answeredAt;
    boolean inStasis;
    boolean acted;
    boolean hangupWanted;
    boolean machine;
    String amdStatus;
    String amdCause;
    String recording;
    String playbackId;
    Integer cause;
    String causeText;
    final StringBuilder dtmf = new StringBuilder();
    final List<Long> timers = new ArrayList<>();
    IvrRun ivr;
    AgentBridge agent;

    LiveCall(OutboundItem item, JsonObject options) {
      this.item = item;
      this.options = options;
      this.channelId = options.getString("channel_id");
    }
  }

  private final Vertx vertx;
  private final ProgressSink progress;
  private final ChannelSender sender;
  private final AriType.Settings settings;
  private final Map<String, LiveCall> byChannel = new HashMap<>();
  private final Map<UUID, LiveCall> byCall = new HashMap<>();
  private final List<Promise<Void>> waiting = new ArrayList<>();
  private final Set<UUID> hangupsPending = new HashSet<>();
  private AriClient client;
  private MessageConsumer<String> hangups;
  private boolean closed;
  private long stopPoll = -1;
  private volatile int live;
  private volatile int reconciles;

  AriProvider(ProviderContext context, ChannelSender sender, AriType.Settings settings) {
    this.vertx = context.context().owner();
    this.progress = context.progress();
    this.sender = sender;
    this.settings = settings;
  }

  @Override
  public Future<Void> start() {
    client =
        new AriClient(
                vertx, settings.baseUrl(), settings.username(), settings.password(), settings.app())
            .onEvent(this::event)
            .onConnected(this::connected);
    hangups =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.callHangup(sender.id()),
                message -> {
                  UUID id = UUID.fromString(message.body());
                  LiveCall call = byCall.get(id);
                  if (call != null) {
                    hangup(call, "normal");
                  } else {
                    hangupsPending.add(id); // claimed, still waiting for a slot
                  }
                });
    client.connect();
    stopPoll = vertx.setPeriodic(STOP_POLL_MS, id -> pollStops());
    return Future.succeededFuture();
  }

  /**
   * Hangs up the calls whose {@code DELETE} another node took (the bus message reaches this node's
   * lane only when the API call came in here).
   */
  private void pollStops() {
    List<UUID> ids = new ArrayList<>();
    byCall
        .values()
        .forEach(
            c -> {
              if (!c.hangupWanted) {
                ids.add(c.item.id());
              }
            });
    if (ids.isEmpty()) {
      return;
    }
    progress
        .stopRequested(sender.id(), ids)
        .onSuccess(
            stop ->
                stop.forEach(
                    id -> {
                      LiveCall call = byCall.get(id);
                      if (call != null && !call.hangupWanted) {
                        hangup(call, "normal");
                      }
                    }))
        .onFailure(err -> LOG.warn("Polling hang-up requests failed: {}", err.getMessage()));
  }

  @Override
  public int capacity() {
    return settings.maxConcurrentCalls();
  }

  @Override
  public int maxRatePerSecond() {
    return settings.callsPerSecond();
  }

  @Override
  public JsonObject status() {
    AriClient c = client;
    return new JsonObject()
        .put("connection", c != null && c.connected() ? "connected" : "connecting")
        .put("base_url", settings.baseUrl())
        .put("app", settings.app())
        .put("live_calls", live)
        .put("max_concurrent_calls", settings.maxConcurrentCalls())
        .put("calls_per_second", settings.callsPerSecond())
        .put("socket_connects", c == null ? 0 : c.connects())
        .put("reconciliations", reconciles)
        .put("last_error", c == null ? null : c.lastError());
  }

  /**
   * Places (or, for an adopted call, settles) one call; completes when its channel is destroyed.
   * Never fails: an ARI that cannot be reached within {@value #CONNECT_WAIT_MS} ms answers PAUSED
   * (nothing was dialled), an originate ARI refuses answers RETRY (5xx) or FAILED (4xx).
   */
  @Override
  public Future<SendOutcome> send(OutboundItem item) {
    LiveCall call = new LiveCall(item, new JsonObject(item.body()));
    call.hangupWanted =
        call.options.getBoolean("hangup_requested", false) || hangupsPending.remove(item.id());
    boolean resume = call.options.getBoolean("resume", false);
    if (resume) {
      call.answered = "answered".equals(call.options.getString("status"));
      call.ringing = call.answered || "ringing".equals(call.options.getString("status"));
    }
    return connection()
        .compose(
            v -> {
              if (!resume && call.hangupWanted) {
                // DELETE came between the claim and the dial: nothing is dialled
                return Future.succeededFuture(
                    SendOutcome.sent(item.id(), List.of())
                        .withDetail(
                            detail(call, "canceled").put("error", "hung up before dialling")));
              }
              track(call);
              if (resume) {
                adopt(call);
              } else {
                originate(call);
              }
              return call.outcome.future();
            },
            err ->
                Future.succeededFuture(
                    SendOutcome.of(
                        item.id(),
                        resume ? SendOutcome.Kind.RETRY : SendOutcome.Kind.PAUSED,
                        "ari_unavailable",
                        "the ARI events socket is not connected: " + err.getMessage())));
  }

  /** Completes once the events socket is up (at once when it is), fails after a wait. */
  private Future<Void> connection() {
    if (client.connected()) {
      return Future.succeededFuture();
    }
    if (closed) {
      return Future.failedFuture("closed");
    }
    Promise<Void> promise = Promise.promise();
    waiting.add(promise);
    vertx.setTimer(
        CONNECT_WAIT_MS,
        t -> {
          if (waiting.remove(promise)) {
            promise.tryFail("no connection within " + CONNECT_WAIT_MS + " ms");
          }
        });
    return promise.future();
  }

  private void track(LiveCall call) {
    byChannel.put(call.channelId, call);
    byCall.put(call.item.id(), call);
    live = byCall.size();
  }

  private void originate(LiveCall call) {
    OutboundItem item = call.item;
    JsonObject variables = call.options.getJsonObject("variables", new JsonObject()).copy();
    if (call.options.getBoolean("amd", false)) {
      variables.put(settings.amdVariable(), "true");
    }
    String endpoint = settings.endpoint().replace("{number}", item.to());
    client
        .originate(
            call.channelId,
            endpoint,
            item.from() != null ? item.from() : settings.callerId(),
            call.options.getInteger("timeout_seconds", 30),
            item.id().toString(),
            variables)
        .onSuccess(
            snapshot -> {
              call.originated = true;
              if (call.hangupWanted) {
                hangup(call, "normal");
              }
            })
        .onFailure(err -> originateFailed(call, err));
  }

  private void originateFailed(LiveCall call, Throwable err) {
    if (err instanceof AriClient.AriException ari) {
      SendOutcome.Kind kind =
          ari.status() >= 500 ? SendOutcome.Kind.RETRY : SendOutcome.Kind.FAILED;
      untrack(call);
      call.outcome.tryComplete(
          SendOutcome.of(call.item.id(), kind, "ari_" + ari.status(), ari.getMessage())
              .withDetail(detail(call, "failed").put("error", ari.getMessage())));
      return;
    }
    // No answer in time: the channel may exist all the same. Follow it if it does.
    LOG.warn("Originate of call {} had no answer: {}", call.item.id(), err.getMessage());
    client
        .channel(call.channelId)
        .onComplete(
            found -> {
              if (found.succeeded() && found.result() != null) {
                call.originated = true;
              } else if (byCall.get(call.item.id()) == call && !call.ringing) {
                untrack(call);
                call.outcome.tryComplete(
                    SendOutcome.of(
                        call.item.id(),
                        SendOutcome.Kind.RETRY,
                        "ari_unreachable",
                        String.valueOf(err.getMessage())));
              }
            });
  }

  /** A call a gone lane dialled: hung up if its channel lives, ended at once if not. */
  private void adopt(LiveCall call) {
    client
        .channel(call.channelId)
        .onComplete(
            found -> {
              if (found.failed()) {
                untrack(call);
                call.outcome.tryComplete(
                    SendOutcome.of(
                        call.item.id(),
                        SendOutcome.Kind.RETRY,
                        "ari_unreachable",
                        found.cause().getMessage()));
              } else if (found.result() == null) {
                gone(call, "the channel ended while no lane followed it");
              } else {
                call.originated = true;
                LOG.info("Call {} adopted from a gone lane: hanging up", call.item.id());
                if (call.options.containsKey("ivr") || call.options.containsKey("agent")) {
                  // its agent leg and bridge (Herald's ids) go with it; 404s count as done
                  client.hangup(AgentBridge.legId(call.channelId), "normal").otherwiseEmpty();
                  client.destroyBridge(call.channelId).otherwiseEmpty();
                }
                hangup(call, "normal");
              }
            });
  }

  private void event(JsonObject event) {
    String type = event.getString("type", "");
    JsonObject channel = event.getJsonObject("channel");
    LiveCall call = null;
    if (channel != null) {
      call = byChannel.get(channel.getString("id"));
    } else if (type.startsWith("Playback")) {
      call = byTarget(event.getJsonObject("playback", new JsonObject()));
    } else if (type.startsWith("Recording")) {
      call = byTarget(event.getJsonObject("recording", new JsonObject()));
    }
    if (call == null) {
      if (type.equals("RecordingFinished") || type.equals("RecordingFailed")) {
        recordingOfEndedCall(event.getJsonObject("recording", new JsonObject()), type);
      }
      return;
    }
    if (channel != null
        && call.agent != null
        && call.agent.legId().equals(channel.getString("id"))) {
      call.agent.event(type, event);
      return;
    }
    switch (type) {
      case "ChannelStateChange" -> state(call, channel);
      case "StasisStart" -> {
        call.inStasis = true;
        state(call, channel);
      }
      case "StasisEnd" -> call.inStasis = false;
      case "ChannelVarset" -> {
        String name = event.getString("variable");
        if ("AMDSTATUS".equals(name)) {
          call.amdStatus = event.getString("value");
        } else if ("AMDCAUSE".equals(name)) {
          call.amdCause = event.getString("value");
        }
      }
      case "ChannelDtmfReceived" -> {
        String digit = event.getString("digit", "");
        call.dtmf.append(digit);
        write(call, "dtmf", new JsonObject().put("digit", digit));
        if (call.ivr != null) {
          call.ivr.dtmf(digit);
        }
      }
      case "ChannelHangupRequest" -> {
        if (call.cause == null && event.getInteger("cause") != null) {
          call.cause = event.getInteger("cause");
        }
      }
      case "ChannelDestroyed" -> {
        call.cause = event.getInteger("cause", call.cause);
        call.causeText = event.getString("cause_txt");
        finish(call);
      }
      case "PlaybackFinished" -> {
        String id = event.getJsonObject("playback", new JsonObject()).getString("id");
        if (id != null && id.equals(call.playbackId)) {
          hangup(call, "normal");
        }
        if (call.ivr != null) {
          call.ivr.playbackFinished(id);
        }
      }
      case "RecordingFinished", "RecordingFailed" -> {
        JsonObject recording = event.getJsonObject("recording", new JsonObject());
        String name = recording.getString("name", "");
        boolean failed = type.equals("RecordingFailed");
        write(
            call,
            "recording_finished",
            new JsonObject()
                .put("name", name)
                .put("duration", recording.getInteger("duration"))
                .put("failed", failed));
        if (call.ivr != null) {
          call.ivr.recordingEnded(name, failed);
        }
      }
      default -> {}
    }
  }

  /**
   * A recording that outlived its call (a bridge's is stored when the bridge is destroyed, after
   * the callee's channel): its end is still written, found by its name ({@code herald-<call id>…}).
   */
  private void recordingOfEndedCall(JsonObject recording, String type) {
    String name = recording.getString("name", "");
    if (!name.startsWith("herald-") || name.length() < 43) {
      return;
    }
    UUID callId;
    try {
      callId = UUID.fromString(name.substring(7, 43));
    } catch (IllegalArgumentException e) {
      return;
    }
    progress
        .progress(
            sender.id(),
            callId,
            "recording_finished",
            new JsonObject()
                .put("name", name)
                .put("duration", recording.getInteger("duration"))
                .put("failed", type.equals("RecordingFailed")))
        .onFailure(
            err -> LOG.warn("Recording {}: writing its end failed: {}", name, err.getMessage()));
  }

  private LiveCall byTarget(JsonObject playback) {
    String target = playback.getString("target_uri", "");
    if (target.startsWith("bridge:")) {
      return byChannel.get(target.substring(7)); // a call's bridge has its channel's id
    }
    return target.startsWith("channel:") ? byChannel.get(target.substring(8)) : null;
  }

  /** Follows the channel's state: Ringing, then Up (acted on once it is in Stasis). */
  private void state(LiveCall call, JsonObject channel) {
    String state = channel.getString("state", "");
    if ((state.equals("Ringing") || state.equals("Ring")) && !call.ringing) {
      call.ringing = true;
      write(call, "ringing", new JsonObject());
    }
    if (state.equals("Up")) {
      if (!call.answered) {
        call.ringing = true;
        call.answered = true;
        call.answeredAt = Instant.now();
        write(call, "answered", new JsonObject());
      }
      if (call.inStasis && !call.acted) {
        call.acted = true;
        up(call);
      }
    }
  }

  /** The answered call is ours in Stasis: record, read AMD, play, or wait for the hang-up. */
  private void up(LiveCall call) {
    if (call.hangupWanted) {
      hangup(call, "normal");
      return;
    }
    boolean flow = call.options.containsKey("ivr") || call.options.containsKey("agent");
    if (call.options.getBoolean("record", false) && !flow) {
      String name = "herald-" + call.item.id();
      // Named on the call before ARI answers, so a callee who hangs up at once still leaves a CDR
      // that names it; a recording ARI refuses is marked failed.
      call.recording = name;
      write(call, "recording", new JsonObject().put("name", name));
      client
          .record(call.channelId, name, "wav")
          .onFailure(
              err -> {
                LOG.warn("Recording call {} failed: {}", call.item.id(), err.getMessage());
                write(
                    call,
                    "recording_finished",
                    new JsonObject().put("name", name).put("failed", true));
              });
    }
    Future<Void> amd = Future.succeededFuture();
    if (call.options.getBoolean("amd", false)) {
      amd =
          (call.amdStatus != null
                  ? Future.succeededFuture(call.amdStatus)
                  : client.variable(call.channelId, "AMDSTATUS").otherwiseEmpty())
              .compose(
                  status -> {
                    call.amdStatus = status;
                    if (call.amdCause != null || status == null) {
                      return Future.succeededFuture();
                    }
                    return client
                        .variable(call.channelId, "AMDCAUSE")
                        .otherwiseEmpty()
                        .map(
                            cause -> {
                              call.amdCause = cause;
                              return null;
                            });
                  })
              .map(
                  v -> {
                    call.machine = "MACHINE".equals(call.amdStatus);
                    write(
                        call,
                        "amd",
                        new JsonObject().put("status", call.amdStatus).put("cause", call.amdCause));
                    return null;
                  });
    }
    amd.onComplete(
        v -> {
          String onMachine = call.options.getString("machine_action");
          if (flow && (!call.machine || "continue".equals(onMachine))) {
            startFlow(call); // a campaign's machine action 'continue' runs its IVR or agent too
            return;
          }
          String play = call.options.getString("play");
          if (call.machine && "hangup".equals(onMachine)) {
            play = null;
          } else if (call.machine && "message".equals(onMachine)) {
            play = call.options.getString("machine_message");
          }
          if (play != null) {
            call.playbackId = "herald-" + call.item.id() + "-play";
            client
                .play(call.channelId, call.playbackId, play)
                .onFailure(
                    err -> {
                      LOG.warn("Playing to call {} failed: {}", call.item.id(), err.getMessage());
                      hangup(call, "normal");
                    });
          } else if (call.machine && !"continue".equals(onMachine)) {
            hangup(call, "normal");
          } else {
            later(call, settings.maxCallSeconds() * 1000L, () -> hangup(call, "normal"));
          }
        });
  }

  /**
   * Runs the call's IVR, or bridges it to its agent; the call is hung up after {@code
   * max_call_seconds} whatever happens.
   */
  private void startFlow(LiveCall call) {
    later(call, settings.maxCallSeconds() * 1000L, () -> hangup(call, "normal"));
    CallHost host = host(call);
    JsonObject ivr = call.options.getJsonObject("ivr");
    if (ivr != null) {
      call.ivr = new IvrRun(host, ivr);
      call.ivr.start();
    } else {
      host.transfer(call.options.getJsonObject("agent"));
    }
  }

  private CallHost host(LiveCall call) {
    return new CallHost() {
      @Override
      public String callId() {
        return call.item.id().toString();
      }

      @Override
      public String channelId() {
        return call.channelId;
      }

      @Override
      public String number() {
        return call.item.to();
      }

      @Override
      public AriClient ari() {
        return client;
      }

      @Override
      public AriType.Settings settings() {
        return settings;
      }

      @Override
      public boolean recordWanted() {
        return call.options.getBoolean("record", false);
      }

      @Override
      public void write(String state, JsonObject detail) {
        AriProvider.this.write(call, state, detail);
      }

      @Override
      public void hangup() {
        if (!call.hangupWanted) {
          AriProvider.this.hangup(call, "normal");
        }
      }

      @Override
      public long timer(long ms, Runnable action) {
        return later(call, ms, action);
      }

      @Override
      public void cancel(long timerId) {
        vertx.cancelTimer(timerId);
        call.timers.remove((Long) timerId);
      }

      @Override
      public void transfer(JsonObject agent) {
        if (call.agent != null || agent == null) {
          return;
        }
        call.agent = new AgentBridge(this, agent);
        byChannel.put(call.agent.legId(), call);
        call.agent.start();
      }
    };
  }

  /** Hangs the call up (once its channel exists) and checks later that it went. */
  private void hangup(LiveCall call, String reason) {
    call.hangupWanted = true;
    if (!call.originated) {
      return; // hung up when the originate answers
    }
    client
        .hangup(call.channelId, reason)
        .onFailure(
            err -> LOG.warn("Hanging up call {} failed: {}", call.item.id(), err.getMessage()));
    later(call, VERIFY_MS, () -> verify(call));
  }

  /**
   * A channel we expected gone: ended here if ARI no longer has it (its destruction was missed).
   */
  private void verify(LiveCall call) {
    client
        .channel(call.channelId)
        .onSuccess(
            snapshot -> {
              if (snapshot == null) {
                gone(call, "the channel ended without a ChannelDestroyed event");
              } else {
                later(call, VERIFY_MS, () -> verify(call));
              }
            })
        .onFailure(err -> later(call, VERIFY_MS, () -> verify(call)));
  }

  /**
   * After each (re)connection of the events socket: calls whose channels ended while it was down
   * end now; live ones catch up with their channel's state.
   */
  private void connected() {
    List<Promise<Void>> ready = new ArrayList<>(waiting);
    waiting.clear();
    ready.forEach(Promise::tryComplete);
    if (byChannel.isEmpty()) {
      return;
    }
    reconciles++;
    client
        .channels()
        .onSuccess(this::reconcile)
        .onFailure(err -> LOG.warn("Reconciling ARI channels failed: {}", err.getMessage()));
  }

  private void reconcile(JsonArray channels) {
    Map<String, JsonObject> alive = new HashMap<>();
    for (int i = 0; i < channels.size(); i++) {
      JsonObject channel = channels.getJsonObject(i);
      alive.put(channel.getString("id"), channel);
    }
    Set<LiveCall> calls = new HashSet<>(byChannel.values());
    int ended = 0;
    for (LiveCall call : calls) {
      if (!call.originated) {
        continue; // its originate has not answered: it decides
      }
      JsonObject channel = alive.get(call.channelId);
      if (call.agent != null && call.agent.legLive() && !alive.containsKey(call.agent.legId())) {
        call.agent.ended(null); // the agent hung up while the socket was down
      }
      if (channel == null) {
        ended++;
        gone(call, "the channel ended while the events socket was down");
      } else {
        JsonObject dialplan = channel.getJsonObject("dialplan", new JsonObject());
        call.inStasis = "Stasis".equals(dialplan.getString("app_name")) || call.inStasis;
        state(call, channel);
      }
    }
    LOG.info(
        "Sender {}: reconciled {} calls with ARI after reconnecting, {} had ended",
        sender.id(),
        calls.size(),
        ended);
  }

  /** Ends a call whose channel is gone without its ChannelDestroyed (cause unknown). */
  private void gone(LiveCall call, String why) {
    if (byCall.get(call.item.id()) != call) {
      return;
    }
    untrack(call);
    cancelTimers(call);
    if (call.agent != null) {
      call.agent.calleeGone();
    }
    JsonObject detail = detail(call, disposition(call)).put("error", why);
    call.writes.onComplete(
        v ->
            call.outcome.tryComplete(
                SendOutcome.sent(call.item.id(), List.of(call.channelId)).withDetail(detail)));
  }

  private void finish(LiveCall call) {
    if (byCall.get(call.item.id()) != call) {
      return;
    }
    untrack(call);
    cancelTimers(call);
    if (call.agent != null) {
      call.agent.calleeGone();
    }
    JsonObject detail = detail(call, disposition(call));
    call.writes.onComplete(
        v ->
            call.outcome.tryComplete(
                SendOutcome.sent(call.item.id(), List.of(call.channelId)).withDetail(detail)));
  }

  /**
   * How the call ended: answered ones completed (machine when AMD heard one); unanswered ones by
   * their Q.850 cause (17, 21 busy; 18, 19 no answer), canceled when Herald hung up first.
   */
  private static String disposition(LiveCall call) {
    if (call.answered) {
      return call.machine ? "machine" : "completed";
    }
    if (call.hangupWanted) {
      return "canceled";
    }
    Integer cause = call.cause;
    if (cause == null) {
      return "failed";
    }
    return switch (cause) {
      case 17, 21 -> "busy";
      case 18, 19 -> "no_answer";
      default -> "failed";
    };
  }

  private static JsonObject detail(LiveCall call, String disposition) {
    JsonObject detail = new JsonObject();
    if (call.agent != null) {
      call.agent.describe(detail);
    }
    return detail
        .put("disposition", disposition)
        .put("channel_id", call.channelId)
        .put("hangup_cause", call.cause)
        .put("hangup_cause_text", call.causeText)
        .put("answered_at", call.answeredAt == null ? null : call.answeredAt.toString())
        .put("amd_status", call.amdStatus)
        .put("amd_cause", call.amdCause)
        .put("dtmf", call.dtmf.toString())
        .put("recording", call.recording);
  }

  /** Writes progress in order per call; a failed write is logged, the call goes on. */
  private void write(LiveCall call, String state, JsonObject detail) {
    call.writes =
        call.writes.eventually(
            () ->
                progress
                    .progress(sender.id(), call.item.id(), state, detail)
                    .onFailure(
                        err ->
                            LOG.warn(
                                "Call {}: writing {} failed: {}",
                                call.item.id(),
                                state,
                                err.getMessage())));
  }

  private void untrack(LiveCall call) {
    byChannel.remove(call.channelId, call);
    if (call.agent != null) {
      byChannel.remove(call.agent.legId(), call);
    }
    byCall.remove(call.item.id(), call);
    live = byCall.size();
  }

  private long later(LiveCall call, long delayMs, Runnable action) {
    if (closed) {
      return -1;
    }
    long[] id = new long[1];
    id[0] =
        vertx.setTimer(
            Math.max(1, delayMs),
            t -> {
              call.timers.remove((Long) id[0]);
              if (byCall.get(call.item.id()) == call) {
                action.run();
              }
            });
    call.timers.add(id[0]);
    return id[0];
  }

  private void cancelTimers(LiveCall call) {
    call.timers.forEach(vertx::cancelTimer);
    call.timers.clear();
  }

  /**
   * Stops following calls and closes the connection, leaving the channels up: the lane's next owner
   * adopts the calls (their sends here never complete, so nothing is recorded twice).
   */
  @Override
  public Future<Void> close() {
    closed = true;
    if (stopPoll >= 0) {
      vertx.cancelTimer(stopPoll);
    }
    byCall.values().forEach(this::cancelTimers);
    waiting.forEach(p -> p.tryFail("closed"));
    waiting.clear();
    if (hangups != null) {
      hangups.unregister();
    }
    return client == null ? Future.succeededFuture() : client.close();
  }
}
