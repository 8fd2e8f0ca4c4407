package herald.sim.ari;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The ARI operations the simulator serves, each with its api-docs entry and handler. */
final class AriRoutes {
  private final AriSimConfig config;
  private final Telephony telephony;
  private final Media media;
  private final Bridges bridges;
  private final EventSockets sockets;
  private final Instant started = Instant.now();

  AriRoutes(
      AriSimConfig config,
      Telephony telephony,
      Media media,
      Bridges bridges,
      EventSockets sockets) {
    this.config = config;
    this.telephony = telephony;
    this.media = media;
    this.bridges = bridges;
    this.sockets = sockets;
  }

  /** Every operation; the events WebSocket is answered by the simulator itself. */
  List<Operation> operations() {
    return List.of(
        Operation.of(
                "asterisk",
                "GET",
                "/asterisk/info",
                "getInfo",
                "AsteriskInfo",
                "Gets Asterisk system information.")
            .queryList("only", false)
            .handle((ctx, p) -> Reply.ok(info(p))),
        Operation.of(
                "asterisk",
                "GET",
                "/asterisk/ping",
                "ping",
                "AsteriskPing",
                "Response pong message.")
            .handle(
                (ctx, p) ->
                    Reply.ok(
                        new JsonObject()
                            .put("asterisk_id", config.asteriskId())
                            .put("ping", "pong")
                            .put("timestamp", AriTime.now()))),
        Operation.of(
                "channels",
                "GET",
                "/channels",
                "list",
                "List[Channel]",
                "List all active channels in Asterisk.")
            .handle((ctx, p) -> Reply.ok(channels())),
        originate(
                Operation.of(
                        "channels",
                        "POST",
                        "/channels",
                        "originate",
                        "Channel",
                        "Create a new channel (originate).")
                    .query("channelId", "string", false))
            .handle((ctx, p) -> Reply.ok(telephony.json(telephony.originate(p, null)))),
        Operation.of(
                "channels", "GET", "/channels/{channelId}", "get", "Channel", "Channel details.")
            .error(404, "Channel not found")
            .handle((ctx, p) -> Reply.ok(telephony.json(telephony.get(id(ctx))))),
        originate(
                Operation.of(
                    "channels",
                    "POST",
                    "/channels/{channelId}",
                    "originateWithId",
                    "Channel",
                    "Create a new channel (originate with id)."))
            .handle((ctx, p) -> Reply.ok(telephony.json(telephony.originate(p, id(ctx))))),
        Operation.of(
                "channels",
                "DELETE",
                "/channels/{channelId}",
                "hangup",
                "void",
                "Delete (i.e. hangup) a channel.")
            .query("reason_code", "string", false)
            .query("reason", "string", false)
            .error(400, "Invalid reason for hangup provided")
            .error(404, "Channel not found")
            .handle(this::hangup),
        control("answer", "POST", "/answer", "Answer a channel.", c -> {}),
        control("ring", "POST", "/ring", "Indicate ringing to a channel.", c -> {}),
        control("ringStop", "DELETE", "/ring", "Stop ringing indication on a channel.", c -> {}),
        control("startMoh", "POST", "/moh", "Play music on hold to a channel.", c -> {})
            .query("mohClass", "string", false),
        control("stopMoh", "DELETE", "/moh", "Stop playing music on hold.", c -> {}),
        play(
            Operation.of(
                    "channels",
                    "POST",
                    "/channels/{channelId}/play",
                    "play",
                    "Playback",
                    "Start playback of media.")
                .query("playbackId", "string", false)),
        play(
            Operation.of(
                "channels",
                "POST",
                "/channels/{channelId}/play/{playbackId}",
                "playWithId",
                "Playback",
                "Start playback of media and specify the playbackId.")),
        record(
                Operation.of(
                        "channels",
                        "POST",
                        "/channels/{channelId}/record",
                        "record",
                        "LiveRecording",
                        "Start a recording.")
                    .error(400, "Invalid parameters")
                    .error(404, "Channel not found")
                    .error(
                        409,
                        "Channel is not in a Stasis application; the channel is currently"
                            + " bridged with other channels; A recording with the same name already exists")
                    .error(422, "The format specified is unknown on this system"))
            .handle(
                (ctx, p) -> {
                  SimChannel c = telephony.control(id(ctx));
                  if (c.bridgeId != null) {
                    throw AriError.conflict("Channel is currently bridged with other channels");
                  }
                  JsonObject rec = media.record(channelTarget(c), p);
                  return Reply.created(rec, "/recordings/live/" + rec.getString("name"));
                }),
        Operation.of(
                "channels",
                "GET",
                "/channels/{channelId}/variable",
                "getChannelVar",
                "Variable",
                "Get the value of a channel variable or function.")
            .query("variable", "string", true)
            .error(400, "Missing variable parameter.")
            .error(404, "Channel or variable not found")
            .handle(this::getVariable),
        Operation.of(
                "channels",
                "POST",
                "/channels/{channelId}/variable",
                "setChannelVar",
                "void",
                "Set the value of a channel variable or function.")
            .query("variable", "string", true)
            .query("value", "string", false)
            .error(400, "Missing variable parameter.")
            .error(404, "Channel not found")
            .error(409, "Channel not in a Stasis application")
            .handle(
                (ctx, p) -> {
                  String variable = p.string("variable");
                  if (variable == null) {
                    throw AriError.badRequest("Variable name is required");
                  }
                  telephony.setVariable(
                      telephony.control(id(ctx)), variable, p.string("value", ""));
                  return Reply.noContent();
                }),
        Operation.of(
                "bridges",
                "GET",
                "/bridges",
                "list",
                "List[Bridge]",
                "List all active bridges in Asterisk.")
            .handle((ctx, p) -> Reply.ok(bridges.list())),
        bridge(
                Operation.of(
                        "bridges", "POST", "/bridges", "create", "Bridge", "Create a new bridge.")
                    .query("bridgeId", "string", false))
            .handle((ctx, p) -> Reply.ok(bridges.create(p, null))),
        bridge(
                Operation.of(
                    "bridges",
                    "POST",
                    "/bridges/{bridgeId}",
                    "createWithId",
                    "Bridge",
                    "Create a new bridge or updates an existing one."))
            .handle((ctx, p) -> Reply.ok(bridges.create(p, ctx.pathParam("bridgeId")))),
        Operation.of(
                "bridges", "GET", "/bridges/{bridgeId}", "get", "Bridge", "Get bridge details.")
            .error(404, "Bridge not found")
            .handle((ctx, p) -> Reply.ok(bridges.get(ctx.pathParam("bridgeId")))),
        Operation.of(
                "bridges",
                "DELETE",
                "/bridges/{bridgeId}",
                "destroy",
                "void",
                "Shut down a bridge.")
            .error(404, "Bridge not found")
            .handle(
                (ctx, p) -> {
                  bridges.destroy(ctx.pathParam("bridgeId"));
                  return Reply.noContent();
                }),
        Operation.of(
                "bridges",
                "POST",
                "/bridges/{bridgeId}/addChannel",
                "addChannel",
                "void",
                "Add a channel to a bridge.")
            .queryList("channel", true)
            .query("role", "string", false)
            .error(400, "Channel not found")
            .error(404, "Bridge not found")
            .error(422, "Channel not in Stasis application")
            .handle(
                (ctx, p) -> {
                  bridges.addChannels(ctx.pathParam("bridgeId"), p);
                  return Reply.noContent();
                }),
        Operation.of(
                "bridges",
                "POST",
                "/bridges/{bridgeId}/removeChannel",
                "removeChannel",
                "void",
                "Remove a channel from a bridge.")
            .queryList("channel", true)
            .error(400, "Channel not found")
            .error(404, "Bridge not found")
            .error(422, "Channel not in this bridge")
            .handle(
                (ctx, p) -> {
                  bridges.removeChannels(ctx.pathParam("bridgeId"), p);
                  return Reply.noContent();
                }),
        Operation.of(
                "bridges",
                "POST",
                "/bridges/{bridgeId}/moh",
                "startMoh",
                "void",
                "Play music on hold to a bridge or change the MOH class that is playing.")
            .query("mohClass", "string", false)
            .error(404, "Bridge not found")
            .error(409, "Bridge not in Stasis application")
            .handle(
                (ctx, p) -> {
                  bridges.moh(ctx.pathParam("bridgeId"), p.string("mohClass", "default"));
                  return Reply.noContent();
                }),
        Operation.of(
                "bridges",
                "DELETE",
                "/bridges/{bridgeId}/moh",
                "stopMoh",
                "void",
                "Stop playing music on hold to a bridge.")
            .error(404, "Bridge not found")
            .error(409, "Bridge not in Stasis application")
            .handle(
                (ctx, p) -> {
                  bridges.moh(ctx.pathParam("bridgeId"), null);
                  return Reply.noContent();
                }),
        Operation.of(
                "bridges",
                "POST",
                "/bridges/{bridgeId}/play",
                "play",
                "Playback",
                "Start playback of media on a bridge.")
            .queryList("media", true)
            .query("lang", "string", false)
            .query("playbackId", "string", false)
            .error(404, "Bridge not found")
            .handle(
                (ctx, p) -> {
                  JsonObject pb = media.play(bridges.target(ctx.pathParam("bridgeId")), p, null);
                  return Reply.created(pb, "/playbacks/" + pb.getString("id"));
                }),
        record(
                Operation.of(
                        "bridges",
                        "POST",
                        "/bridges/{bridgeId}/record",
                        "record",
                        "LiveRecording",
                        "Start a recording on a bridge.")
                    .error(400, "Invalid parameters")
                    .error(404, "Bridge not found")
                    .error(409, "A recording with the same name already exists")
                    .error(422, "The format specified is unknown on this system"))
            .handle(
                (ctx, p) -> {
                  JsonObject rec = media.record(bridges.target(ctx.pathParam("bridgeId")), p);
                  return Reply.created(rec, "/recordings/live/" + rec.getString("name"));
                }),
        Operation.of(
                "playbacks",
                "GET",
                "/playbacks/{playbackId}",
                "get",
                "Playback",
                "Get a playback's details.")
            .error(404, "The playback cannot be found")
            .handle((ctx, p) -> Reply.ok(media.playback(ctx.pathParam("playbackId")))),
        Operation.of(
                "playbacks",
                "DELETE",
                "/playbacks/{playbackId}",
                "stop",
                "void",
                "Stop a playback.")
            .error(404, "The playback cannot be found")
            .handle(
                (ctx, p) -> {
                  media.stopPlayback(ctx.pathParam("playbackId"));
                  return Reply.noContent();
                }),
        Operation.of(
                "recordings",
                "GET",
                "/recordings/stored",
                "listStored",
                "List[StoredRecording]",
                "List recordings that are complete.")
            .handle((ctx, p) -> Reply.ok(media.storedList())),
        Operation.of(
                "recordings",
                "GET",
                "/recordings/stored/{recordingName}",
                "getStored",
                "StoredRecording",
                "Get a stored recording's details.")
            .error(404, "Recording not found")
            .handle((ctx, p) -> Reply.ok(media.storedRecording(name(ctx)))),
        Operation.of(
                "recordings",
                "DELETE",
                "/recordings/stored/{recordingName}",
                "deleteStored",
                "void",
                "Delete a stored recording.")
            .error(404, "Recording not found")
            .handle(
                (ctx, p) -> {
                  media.deleteStored(name(ctx));
                  return Reply.noContent();
                }),
        Operation.of(
                "recordings",
                "GET",
                "/recordings/stored/{recordingName}/file",
                "getStoredFile",
                "binary",
                "Get the file associated with the stored recording.")
            .error(404, "Recording not found")
            .handle(
                (ctx, p) -> Reply.bytes(media.storedFile(name(ctx)), media.contentType(name(ctx)))),
        Operation.of(
                "recordings",
                "GET",
                "/recordings/live/{recordingName}",
                "getLive",
                "LiveRecording",
                "List live recordings.")
            .error(404, "Recording not found")
            .handle((ctx, p) -> Reply.ok(media.liveRecording(name(ctx)))),
        Operation.of(
                "recordings",
                "DELETE",
                "/recordings/live/{recordingName}",
                "cancel",
                "void",
                "Stop a live recording and discard it.")
            .error(404, "Recording not found")
            .handle(
                (ctx, p) -> {
                  media.cancelRecording(name(ctx));
                  return Reply.noContent();
                }),
        Operation.of(
                "recordings",
                "POST",
                "/recordings/live/{recordingName}/stop",
                "stop",
                "void",
                "Stop a live recording and store it.")
            .error(404, "Recording not found")
            .handle(
                (ctx, p) -> {
                  media.stopRecording(name(ctx));
                  return Reply.noContent();
                }),
        Operation.of(
                "applications",
                "GET",
                "/applications",
                "list",
                "List[Application]",
                "List all applications.")
            .handle((ctx, p) -> Reply.ok(applications())),
        Operation.of(
                "applications",
                "GET",
                "/applications/{applicationName}",
                "get",
                "Application",
                "Get details of an application.")
            .error(404, "Application does not exist.")
            .handle(
                (ctx, p) -> {
                  String app = ctx.pathParam("applicationName");
                  if (!sockets.registered(app)) {
                    throw AriError.notFound("Application not found");
                  }
                  return Reply.ok(application(app));
                }),
        Operation.of(
                "events",
                "GET",
                "/events",
                "eventWebsocket",
                "Message",
                "WebSocket connection for events.")
            .queryList("app", true)
            .query("subscribeAll", "boolean", false)
            .websocket());
  }

  private static Operation originate(Operation op) {
    return op.query("endpoint", "string", true)
        .query("extension", "string", false)
        .query("context", "string", false)
        .query("priority", "long", false)
        .query("label", "string", false)
        .query("app", "string", false)
        .query("appArgs", "string", false)
        .query("callerId", "string", false)
        .query("timeout", "int", false)
        .body("variables")
        .query("otherChannelId", "string", false)
        .query("originator", "string", false)
        .query("formats", "string", false)
        .error(400, "Invalid parameters for originating a channel.")
        .error(409, "Channel with given unique ID already exists.");
  }

  private static Operation bridge(Operation op) {
    return op.query("type", "string", false)
        .query("name", "string", false)
        .error(409, "Bridge with the same bridgeId already exists");
  }

  private static Operation record(Operation op) {
    return op.query("name", "string", true)
        .query("format", "string", true)
        .query("maxDurationSeconds", "int", false)
        .query("maxSilenceSeconds", "int", false)
        .query("ifExists", "string", false)
        .query("beep", "boolean", false)
        .query("terminateOn", "string", false);
  }

  private Operation play(Operation op) {
    return op.queryList("media", true)
        .query("lang", "string", false)
        .query("offsetms", "int", false)
        .query("skipms", "int", false)
        .error(404, "Channel not found")
        .error(409, "Channel not in a Stasis application")
        .error(412, "Channel in invalid state")
        .handle(
            (ctx, p) -> {
              SimChannel c = telephony.controlUp(id(ctx));
              JsonObject pb = media.play(channelTarget(c), p, ctx.pathParam("playbackId"));
              return Reply.created(pb, "/playbacks/" + pb.getString("id"));
            });
  }

  private Operation control(
      String nickname,
      String method,
      String suffix,
      String summary,
      java.util.function.Consumer<SimChannel> action) {
    return Operation.of(
            "channels", method, "/channels/{channelId}" + suffix, nickname, "void", summary)
        .error(404, "Channel not found")
        .error(409, "Channel not in a Stasis application")
        .error(412, "Channel in invalid state")
        .handle(
            (ctx, p) -> {
              SimChannel c = telephony.controlUp(id(ctx));
              action.accept(c);
              return Reply.noContent();
            });
  }

  private Reply hangup(RoutingContext ctx, Params p) {
    SimChannel channel = telephony.get(id(ctx));
    String reason = p.string("reason", "normal");
    int cause =
        switch (reason) {
          case "normal" -> 16;
          case "busy" -> 17;
          case "congestion" -> 34;
          case "no_answer" -> 19;
          case "answered_elsewhere" -> 26;
          default -> throw AriError.badRequest("Invalid reason for hangup provided");
        };
    telephony.appHangup(channel, cause);
    return Reply.noContent();
  }

  private Reply getVariable(RoutingContext ctx, Params p) {
    String variable = p.string("variable");
    if (variable == null) {
      throw AriError.badRequest("Variable name is required");
    }
    SimChannel channel = telephony.get(id(ctx));
    String value = channel.vars.get(variable);
    if (value == null) {
      throw AriError.notFound("Provided variable was not found");
    }
    return Reply.ok(new JsonObject().put("value", value));
  }

  private JsonArray channels() {
    JsonArray list = new JsonArray();
    telephony.list().forEach(c -> list.add(telephony.json(c)));
    return list;
  }

  private JsonArray applications() {
    JsonArray list = new JsonArray();
    sockets.apps().stream().sorted().forEach(app -> list.add(application(app)));
    return list;
  }

  private JsonObject application(String app) {
    JsonArray channelIds = new JsonArray();
    telephony.list().stream().filter(c -> app.equals(c.app)).forEach(c -> channelIds.add(c.id));
    return new JsonObject()
        .put("name", app)
        .put("channel_ids", channelIds)
        .put("bridge_ids", new JsonArray())
        .put("endpoint_ids", new JsonArray())
        .put("device_names", new JsonArray())
        .put("events_allowed", new JsonArray())
        .put("events_disallowed", new JsonArray());
  }

  private JsonObject info(Params p) {
    String only = p.string("only");
    Set<String> parts =
        only == null ? Set.of("build", "system", "config", "status") : Set.of(only.split(","));
    JsonObject info = new JsonObject();
    if (parts.contains("build")) {
      info.put(
          "build",
          new JsonObject()
              .put("os", "Linux")
              .put("kernel", "6.1.0")
              .put("options", "")
              .put("machine", "x86_64")
              .put("date", "2026-01-01 00:00:00 UTC")
              .put("user", "herald"));
    }
    if (parts.contains("system")) {
      info.put(
          "system",
          new JsonObject()
              .put("version", "22.0.0-herald-simulator")
              .put("entity_id", config.asteriskId()));
    }
    if (parts.contains("config")) {
      JsonObject cfg = new JsonObject().put("name", "").put("default_language", "en");
      if (config.maxChannels() > 0) {
        cfg.put("max_channels", config.maxChannels());
      }
      info.put("config", cfg.put("setid", new JsonObject().put("user", "").put("group", "")));
    }
    if (parts.contains("status")) {
      info.put(
          "status",
          new JsonObject()
              .put("startup_time", AriTime.format(started))
              .put("last_reload_time", AriTime.format(started)));
    }
    return info;
  }

  private static Media.Target channelTarget(SimChannel channel) {
    return new Media.Target(
        "channel:" + channel.id,
        channel,
        null,
        channel.app == null ? Set.of() : Set.of(channel.app));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("channelId");
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("recordingName");
  }
}
