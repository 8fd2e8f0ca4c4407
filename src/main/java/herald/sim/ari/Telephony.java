package herald.sim.ari;

import herald.sim.ari.CallScript.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated switch: originates channels, plays each call's {@link CallScript} on timers
 * (ringing, answer or failure, AMD, Stasis, DTMF, the callee's hang-up), and tears channels down
 * with the events Asterisk sends, in Asterisk's order. Used on the simulator's event loop only.
 */
final class Telephony {
  private static final Pattern CALLER_ID =
      Pattern.compile("^\\s*\"?([^\"<]*?)\"?\\s*<([^>]*)>\\s*$");
  private static final Pattern PHONE_LIKE = Pattern.compile("^[0-9+*#()\\-. ]+$");
  private static final int MAX_UNIQUEID = 128;

  private final Vertx vertx;
  private final AriSimConfig config;
  private final EventSockets sockets;
  private final SimStats stats;
  private final NumberRules rules;
  private final Map<String, SimChannel> channels = new LinkedHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private Media media;
  private Bridges bridges;

  Telephony(
      Vertx vertx, AriSimConfig config, EventSockets sockets, SimStats stats, NumberRules rules) {
    this.vertx = vertx;
    this.config = config;
    this.sockets = sockets;
    this.stats = stats;
    this.rules = rules;
  }

  void attach(Media media, Bridges bridges) {
    this.media = media;
    this.bridges = bridges;
  }

  List<SimChannel> list() {
    return new ArrayList<>(channels.values());
  }

  JsonObject json(SimChannel channel) {
    return channel.toJson(config.channelVars());
  }

  /** A live channel, or 404. */
  SimChannel get(String id) {
    SimChannel channel = channels.get(id);
    if (channel == null) {
      throw AriError.notFound("Channel not found");
    }
    return channel;
  }

  /** A live channel in Stasis, or 404 / 409 as Asterisk's {@code find_control}. */
  SimChannel control(String id) {
    SimChannel channel = get(id);
    if (!channel.inStasis) {
      throw AriError.conflict("Channel not in Stasis application");
    }
    return channel;
  }

  /** {@link #control} of a channel that is past Down and Ringing, or 412. */
  SimChannel controlUp(String id) {
    SimChannel channel = control(id);
    if (channel.state.equals("Down") || channel.state.equals("Ringing")) {
      throw AriError.invalidState();
    }
    return channel;
  }

  /** Handles {@code POST /channels} and {@code POST /channels/{channelId}}. */
  SimChannel originate(Params params, String pathId) {
    String id = pathId != null ? pathId : params.string("channelId");
    String otherId = params.string("otherChannelId");
    if ((id != null && id.length() > MAX_UNIQUEID)
        || (otherId != null && otherId.length() > MAX_UNIQUEID)) {
      throw AriError.badRequest("Uniqueid length exceeds maximum of " + MAX_UNIQUEID);
    }
    String endpoint = params.string("endpoint");
    if (endpoint == null) {
      throw AriError.badRequest("Endpoint must be specified");
    }
    if (params.string("originator") != null && params.string("formats") != null) {
      throw AriError.badRequest("Originator and formats can't both be specified");
    }
    int slash = endpoint.indexOf('/');
    if (slash <= 0 || slash == endpoint.length() - 1) {
      throw AriError.badRequest("Invalid endpoint specified");
    }
    String app = params.string("app");
    if (app == null && params.string("extension") == null) {
      throw AriError.badRequest("Application or extension must be specified");
    }
    JsonObject variables = params.variables();
    if (params.string("originator") != null && !channels.containsKey(params.string("originator"))) {
      throw AriError.badRequest("Provided originator channel was not found");
    }
    if (id != null && channels.containsKey(id)) {
      throw AriError.conflict("Channel with given unique ID already exists");
    }
    if (config.maxChannels() > 0 && channels.size() >= config.maxChannels()) {
      stats.refused();
      throw new AriError(500, "Allocation failed");
    }
    long seq = sequence.incrementAndGet();
    String tech = endpoint.substring(0, slash);
    String resource = endpoint.substring(slash + 1);
    String number = numberOf(resource);
    String[] callerId = parseCallerId(params.string("callerId"));
    String appArgs = params.string("appArgs");
    List<String> args =
        app == null || appArgs == null ? List.of() : Arrays.asList(appArgs.split(",", -1));
    boolean amd = "true".equalsIgnoreCase(variables.getString(config.amdVariable()));
    SimChannel channel =
        new SimChannel(
            id != null ? id : Instant.now().getEpochSecond() + "." + seq,
            tech + "/" + peerOf(resource) + "-" + String.format("%08x", seq),
            number,
            app,
            args,
            rules.scriptFor(number, this::randomScript),
            params.integer("timeout", 30),
            amd,
            callerId[0],
            callerId[1]);
    variables.forEach(e -> channel.vars.put(e.getKey(), (String) e.getValue()));
    channels.put(channel.id, channel);
    stats.originated(channels.size());
    later(channel, Duration.ofMillis(10), () -> ring(channel));
    return channel;
  }

  private CallScript randomScript() {
    double r = ThreadLocalRandom.current().nextDouble();
    CallScript base = config.defaultCall();
    if (r < config.busyRate()) {
      return base.withOutcome(Outcome.BUSY);
    }
    if (r < config.busyRate() + config.noAnswerRate()) {
      return base.withOutcome(Outcome.NO_ANSWER);
    }
    if (r < config.busyRate() + config.noAnswerRate() + config.congestionRate()) {
      return base.withOutcome(Outcome.CONGESTION);
    }
    return base;
  }

  private void ring(SimChannel channel) {
    dial(channel, "");
    setState(channel, "Ringing");
    dial(channel, "RINGING");
    if (config.stasisStartWhileRinging()) {
      enterStasis(channel);
    }
    Duration ring = channel.script.ringTime();
    // Asterisk: a positive timeout is seconds, -1 is none, anything else the default of 30 s.
    Duration timeout =
        channel.timeoutSeconds == -1
            ? null
            : Duration.ofSeconds(channel.timeoutSeconds > 0 ? channel.timeoutSeconds : 30);
    if (timeout != null && timeout.compareTo(ring) < 0) {
      later(channel, timeout, () -> fail(channel, Outcome.NO_ANSWER));
    } else if (channel.script.outcome() == Outcome.ANSWER) {
      later(channel, ring, () -> answered(channel));
    } else {
      later(channel, ring, () -> fail(channel, channel.script.outcome()));
    }
  }

  private void fail(SimChannel channel, Outcome outcome) {
    dial(channel, outcome.dialStatus());
    stats.ended(outcome);
    if (channel.inStasis) {
      emit(channel, "ChannelHangupRequest", new JsonObject().put("cause", outcome.cause()));
    }
    teardown(channel, outcome.cause());
  }

  private void answered(SimChannel channel) {
    setState(channel, "Up");
    dial(channel, "ANSWER");
    stats.answered();
    if (channel.amdRequested) {
      channel.appName = "AMD";
      channel.appData = "";
      setVariable(channel, "AMDSTATUS", channel.script.amdStatus());
      setVariable(channel, "AMDCAUSE", channel.script.amdCause());
    }
    if (channel.app == null) {
      // Originated into the dialplan: the simulator has none, so the PBX finds nothing to run.
      remoteHangup(channel, 16);
      return;
    }
    if (!channel.inStasis && !enterStasis(channel)) {
      // Stasis() fails for an application nobody is connected to; the dialplan then hangs up.
      remoteHangup(channel, 16);
      return;
    }
    if (channel.inStasis) {
      scheduleDigits(channel);
    }
    if (channel.script.talkTime() != null) {
      later(channel, channel.script.talkTime(), () -> remoteHangup(channel, 16));
    }
  }

  private boolean enterStasis(SimChannel channel) {
    if (channel.app == null || !sockets.registered(channel.app)) {
      return false;
    }
    channel.inStasis = true;
    channel.appName = "Stasis";
    List<String> data = new ArrayList<>();
    data.add(channel.app);
    data.addAll(channel.args);
    channel.appData = String.join(",", data);
    emit(channel, "StasisStart", new JsonObject().put("args", SimChannel.strings(channel.args)));
    return true;
  }

  private void scheduleDigits(SimChannel channel) {
    String digits = channel.script.dtmf();
    for (int i = 0; i < digits.length(); i++) {
      String digit = String.valueOf(digits.charAt(i));
      later(
          channel,
          config.dtmfDelay().multipliedBy(i + 1L),
          () -> {
            emit(
                channel,
                "ChannelDtmfReceived",
                new JsonObject().put("digit", digit).put("duration_ms", 100));
            media.dtmf(channel, digit);
          });
    }
  }

  /** The callee (or the dialplan) hangs up. */
  void remoteHangup(SimChannel channel, int cause) {
    if (channel.ended) {
      return;
    }
    emit(channel, "ChannelHangupRequest", new JsonObject().put("cause", cause));
    teardown(channel, cause);
  }

  /** {@code DELETE /channels/{id}}: a soft hang-up with the reason's cause. */
  void appHangup(SimChannel channel, int cause) {
    if (channel.ended) {
      return;
    }
    if (!channel.up()) {
      stats.canceled();
    }
    emit(channel, "ChannelHangupRequest", new JsonObject().put("cause", cause).put("soft", true));
    // The hang-up runs after the 204, as Asterisk's channel thread does it.
    vertx.runOnContext(v -> teardown(channel, cause));
  }

  private void teardown(SimChannel channel, int cause) {
    if (channel.ended) {
      return;
    }
    channel.ended = true;
    channel.timers.forEach(vertx::cancelTimer);
    channel.timers.clear();
    media.channelGone(channel);
    bridges.channelGone(channel);
    if (channel.inStasis) {
      emit(channel, "StasisEnd", new JsonObject());
      channel.inStasis = false;
    }
    channels.remove(channel.id);
    stats.destroyed(channels.size());
    emit(
        channel,
        "ChannelDestroyed",
        new JsonObject().put("cause", cause).put("cause_txt", causeText(cause)));
  }

  /** Sets a variable and tells the channel's app with a {@code ChannelVarset} event. */
  void setVariable(SimChannel channel, String name, String value) {
    channel.vars.put(name, value);
    emit(
        channel,
        "ChannelVarset",
        new JsonObject().put("variable", name).put("value", value == null ? "" : value));
  }

  private void setState(SimChannel channel, String state) {
    channel.state = state;
    emit(channel, "ChannelStateChange", new JsonObject());
  }

  private void dial(SimChannel channel, String status) {
    if (channel.app == null) {
      return;
    }
    JsonObject event = sockets.event("Dial", channel.app);
    event
        .put("peer", json(channel))
        .put("dialstring", channel.name.substring(channel.name.indexOf('/') + 1))
        .put("dialstatus", status);
    sockets.emit(event);
  }

  /** Sends {@code type} about {@code channel} (its snapshot now) to the channel's app. */
  void emit(SimChannel channel, String type, JsonObject fields) {
    if (channel.app == null) {
      return;
    }
    JsonObject event = sockets.event(type, channel.app);
    fields.forEach(e -> event.put(e.getKey(), e.getValue()));
    event.put("channel", json(channel));
    sockets.emit(event);
  }

  void later(SimChannel channel, Duration delay, Runnable action) {
    long[] id = new long[1];
    id[0] =
        vertx.setTimer(
            Math.max(1, delay.toMillis()),
            t -> {
              channel.timers.remove((Long) id[0]);
              if (!channel.ended) {
                action.run();
              }
            });
    channel.timers.add(id[0]);
  }

  /** Cancels every pending step and hangs up every channel (simulator shutdown). */
  void closeAll() {
    for (SimChannel channel : list()) {
      channel.ended = true;
      channel.timers.forEach(vertx::cancelTimer);
    }
    channels.clear();
  }

  /** The dialled number of an endpoint resource: before {@code @}, or after the last {@code /}. */
  static String numberOf(String resource) {
    int at = resource.indexOf('@');
    if (at >= 0) {
      return resource.substring(0, at);
    }
    int slash = resource.lastIndexOf('/');
    return slash >= 0 ? resource.substring(slash + 1) : resource;
  }

  private static String peerOf(String resource) {
    int at = resource.indexOf('@');
    if (at >= 0) {
      return resource.substring(at + 1);
    }
    int slash = resource.indexOf('/');
    return slash >= 0 ? resource.substring(0, slash) : resource;
  }

  /** {@code "Name" <number>}, {@code Name <number>}, a bare number, or a bare name. */
  static String[] parseCallerId(String callerId) {
    if (callerId == null) {
      return new String[] {"", ""};
    }
    Matcher m = CALLER_ID.matcher(callerId);
    if (m.matches()) {
      return new String[] {m.group(1).trim(), m.group(2).trim()};
    }
    String trimmed = callerId.trim();
    return PHONE_LIKE.matcher(trimmed).matches()
        ? new String[] {"", trimmed}
        : new String[] {trimmed, ""};
  }

  /** Asterisk's text of a Q.850 cause ({@code ast_cause2str}). */
  static String causeText(int cause) {
    return switch (cause) {
      case 1 -> "Unallocated (unassigned) number";
      case 16 -> "Normal Clearing";
      case 17 -> "User busy";
      case 18 -> "No user responding";
      case 19 -> "User alerting, no answer";
      case 21 -> "Call Rejected";
      case 26 -> "Answered elsewhere";
      case 34 -> "Circuit/channel congestion";
      default -> "Unknown";
    };
  }
}
