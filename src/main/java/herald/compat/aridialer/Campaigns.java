package herald.compat.aridialer;

import herald.compat.aridialer.Envelope.Failure;
import herald.compat.aridialer.Envelope.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 001's campaigns (list, get, create, update, delete, start, stop, pause, resume, stats) as
 * Herald voice campaigns.
 */
final class Campaigns {
  private static final Pattern ENDPOINT = Pattern.compile("^([A-Za-z0-9]+)/\\{number\\}@(.+)$");
  private static final Set<String> CAMPAIGN_FIELDS =
      Set.of(
          "name",
          "trunk_type",
          "trunk_value",
          "callerid",
          "agent_dest_type",
          "agent_dest_value",
          "concurrent_calls",
          "record_calls");
  private static final Map<String, String> CAMPAIGN_NAMES = campaignNames();

  private final Dialer api;

  Campaigns(Dialer api) {
    this.api = api;
  }

  private static Map<String, String> campaignNames() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("voice.max_concurrent_calls", "concurrent_calls");
    m.put("voice.caller_id", "callerid");
    m.put("voice.record", "record_calls");
    m.put("voice.agent.type", "agent_dest_type");
    m.put("voice.agent", "agent_dest_value");
    m.put("voice.ivr_id", "agent_dest_value");
    m.put("voice.play", "agent_dest_type");
    m.put("voice", "agent_dest_type");
    m.put("sender_ids", "trunk_value");
    m.put("sender_id", "trunk_value");
    return m;
  }

  /** The account's ARI senders by id. */
  private Future<Map<String, JsonObject>> senders(RoutingContext ctx) {
    return api.all(ctx, "/api/v1/senders")
        .map(
            list -> {
              Map<String, JsonObject> out = new LinkedHashMap<>();
              list.stream()
                  .filter(s -> "ari".equals(s.getString("provider")))
                  .forEach(s -> out.put(s.getString("id"), s));
              return out;
            });
  }

  private static JsonObject campaignView(JsonObject c, Map<String, JsonObject> senders) {
    JsonObject voice = c.getJsonObject("voice", new JsonObject());
    JsonArray ids = c.getJsonArray("sender_ids", new JsonArray());
    JsonObject sender = ids.isEmpty() ? null : senders.get(ids.getString(0));
    JsonObject settings = sender == null ? new JsonObject() : sender.getJsonObject("settings");
    String trunkType = null;
    String trunkValue = null;
    String endpoint = settings.getString("endpoint");
    if (endpoint != null) {
      Matcher m = ENDPOINT.matcher(endpoint);
      trunkType = m.matches() ? m.group(1).toLowerCase() : "custom";
      trunkValue = m.matches() ? m.group(2) : endpoint;
    }
    String destType = null;
    String destValue = null;
    JsonObject agent = voice.getJsonObject("agent");
    if (agent != null) {
      destType = "extension".equals(agent.getString("type")) ? "exten" : agent.getString("type");
      destValue = agent.getString("value");
    } else if (voice.getString("ivr_id") != null) {
      destType = "ivr";
      destValue = voice.getString("ivr_id");
    } else if (voice.getString("play") != null) {
      destType = "playback";
      destValue = voice.getString("play");
    }
    return new JsonObject()
        .put("id", c.getString("id"))
        .put("name", c.getString("name"))
        .put("status", c.getString("status"))
        .put("trunk_type", trunkType)
        .put("trunk_value", trunkValue)
        .put("callerid", voice.getString("caller_id", settings.getString("caller_id")))
        .put("agent_dest_type", destType)
        .put("agent_dest_value", destValue)
        .put("concurrent_calls", voice.getInteger("max_concurrent_calls"))
        .put("record_calls", voice.getBoolean("record", false) ? 1 : 0)
        .put("sender_id", sender == null ? null : sender.getString("id"))
        .put("created_at", Envelope.time(c.getString("created_at")))
        .put("updated_at", Envelope.time(c.getString("updated_at")))
        .put("started_at", Envelope.time(c.getString("started_at")))
        .put("finished_at", Envelope.time(c.getString("finished_at")));
  }

  Future<Reply> listCampaigns(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return Future.all(api.all(ctx, "/api/v1/campaigns"), senders(ctx))
        .map(
            both -> {
              List<JsonObject> list = both.resultAt(0);
              Map<String, JsonObject> senders = both.resultAt(1);
              List<JsonObject> voice =
                  list.stream().filter(c -> "voice".equals(c.getString("channel"))).toList();
              JsonArray data = new JsonArray();
              paging.slice(voice).forEach(c -> data.add(campaignView(c, senders)));
              return new Reply(200, "Campaigns retrieved", data, paging.object(voice.size()));
            });
  }

  Future<Reply> getCampaign(RoutingContext ctx) {
    return Future.all(api.campaign(ctx, ctx.pathParam("id")), senders(ctx))
        .map(
            both ->
                new Reply(
                    200, "Campaign retrieved", campaignView(both.resultAt(0), both.resultAt(1))));
  }

  Future<Reply> createCampaign(RoutingContext ctx) {
    return Future.all(Dialer.body(ctx), senders(ctx))
        .compose(
            both -> {
              JsonObject in = both.resultAt(0);
              Map<String, JsonObject> senders = both.resultAt(1);
              Dialer.only(in, CAMPAIGN_FIELDS);
              JsonObject herald =
                  new JsonObject().put("name", in.getValue("name")).put("channel", "voice");
              String sender = sender(in, senders);
              if (sender != null) {
                herald.put("sender_id", sender);
              }
              herald.put("voice", voice(in, new JsonObject()));
              return api.call(ctx, HttpMethod.POST, "/api/v1/campaigns", herald, CAMPAIGN_NAMES)
                  .map(c -> new Reply(201, "Campaign created", campaignView(c, senders)));
            });
  }

  Future<Reply> updateCampaign(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Future.all(Dialer.body(ctx), senders(ctx), api.campaign(ctx, id))
        .compose(
            all -> {
              JsonObject in = all.resultAt(0);
              Map<String, JsonObject> senders = all.resultAt(1);
              JsonObject current = all.resultAt(2);
              Dialer.only(in, CAMPAIGN_FIELDS);
              JsonObject herald = replaceable(current);
              if (in.containsKey("name")) {
                herald.put("name", in.getValue("name"));
              }
              if (in.containsKey("trunk_value") || in.containsKey("trunk_type")) {
                String sender = sender(in, senders);
                herald.remove("sender_ids");
                if (sender != null) {
                  herald.put("sender_id", sender);
                }
              }
              herald.put("voice", voice(in, herald.getJsonObject("voice", new JsonObject())));
              return api.call(
                      ctx,
                      HttpMethod.PUT,
                      "/api/v1/campaigns/" + Dialer.enc(id),
                      herald,
                      CAMPAIGN_NAMES)
                  .map(c -> new Reply(200, "Campaign updated", campaignView(c, senders)));
            });
  }

  /** A Herald campaign's view as a body for its PUT: the spec's fields that are set. */
  private static JsonObject replaceable(JsonObject c) {
    JsonObject out = new JsonObject();
    for (String f :
        List.of(
            "name",
            "channel",
            "sender_ids",
            "scheduled_at",
            "recurrence",
            "rate_per_second",
            "weight",
            "quiet_hours",
            "max_attempts",
            "retry_delay_seconds",
            "missing_variables")) {
      if (c.getValue(f) != null) {
        out.put(f, c.getValue(f));
      }
    }
    JsonObject audience = c.getJsonObject("audience", new JsonObject());
    if (!audience.getJsonArray("group_ids", new JsonArray()).isEmpty()
        || !audience.getJsonArray("contact_ids", new JsonArray()).isEmpty()) {
      out.put("audience", audience);
    }
    JsonObject voice = new JsonObject();
    c.getJsonObject("voice", new JsonObject())
        .forEach(
            e -> {
              if (e.getValue() != null) {
                voice.put(e.getKey(), e.getValue());
              }
            });
    return out.put("voice", voice);
  }

  /**
   * The ARI sender the seed's trunk names: the one whose endpoint is {@code
   * <TRUNK_TYPE>/{number}@<trunk_value>}, or whose name is the trunk value; null when no trunk is
   * given (Herald's default voice sender then calls).
   */
  private static String sender(JsonObject in, Map<String, JsonObject> senders) {
    Object value = in.getValue("trunk_value");
    if (value == null) {
      return null;
    }
    String trunk = String.valueOf(value);
    String type =
        in.getValue("trunk_type") == null ? null : String.valueOf(in.getValue("trunk_type"));
    for (JsonObject s : senders.values()) {
      String endpoint = s.getJsonObject("settings", new JsonObject()).getString("endpoint", "");
      Matcher m = ENDPOINT.matcher(endpoint);
      boolean byEndpoint =
          m.matches()
              && m.group(2).equals(trunk)
              && (type == null || m.group(1).equalsIgnoreCase(type));
      if (byEndpoint || trunk.equals(s.getString("name"))) {
        return s.getString("id");
      }
    }
    throw Failure.field(
        400,
        "Validation failed",
        "trunk_value",
        "no ARI sender of this account dials through trunk '"
            + trunk
            + "' (create one whose endpoint is "
            + (type == null ? "PJSIP" : type.toUpperCase())
            + "/{number}@"
            + trunk
            + ")");
  }

  /** The Herald {@code voice} object: {@code current} with the seed's fields applied. */
  private static JsonObject voice(JsonObject in, JsonObject current) {
    JsonObject voice = current.copy();
    if (in.containsKey("agent_dest_type") || in.containsKey("agent_dest_value")) {
      voice.remove("play");
      voice.remove("ivr_id");
      voice.remove("agent");
      String type =
          in.getValue("agent_dest_type") == null ? "" : in.getValue("agent_dest_type").toString();
      Object value = in.getValue("agent_dest_value");
      switch (type) {
        case "exten", "extension" ->
            voice.put("agent", new JsonObject().put("type", "extension").put("value", value));
        case "queue" ->
            voice.put("agent", new JsonObject().put("type", "queue").put("value", value));
        case "sip", "pjsip", "endpoint" ->
            voice.put("agent", new JsonObject().put("type", "sip").put("value", value));
        case "ivr" -> voice.put("ivr_id", value);
        case "playback", "play" -> voice.put("play", value);
        default ->
            throw Failure.field(
                400,
                "Validation failed",
                "agent_dest_type",
                "one of exten, queue, sip, ivr, playback");
      }
    }
    if (in.containsKey("concurrent_calls")) {
      voice.put("max_concurrent_calls", number(in.getValue("concurrent_calls")));
    }
    if (in.containsKey("record_calls")) {
      Object r = in.getValue("record_calls");
      voice.put(
          "record",
          r instanceof Boolean b
              ? b
              : r instanceof Number n
                  ? n.intValue() != 0
                  : r == null ? null : r.equals("1") || r.equals("true"));
    }
    if (in.containsKey("callerid")) {
      Object id = in.getValue("callerid");
      voice.put("caller_id", id == null ? null : String.valueOf(id));
    }
    return voice;
  }

  /** A whole number given as a number or as digits; anything else as it is (Herald refuses it). */
  private static Object number(Object value) {
    if (value instanceof String s && s.matches("[0-9]{1,9}")) {
      return Integer.parseInt(s);
    }
    return value;
  }

  Future<Reply> deleteCampaign(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return api.campaign(ctx, id)
        .compose(
            c ->
                api.call(
                    ctx, HttpMethod.DELETE, "/api/v1/campaigns/" + Dialer.enc(id), null, Map.of()))
        .map(x -> new Reply(200, "Campaign deleted", null));
  }

  Future<Reply> control(RoutingContext ctx, String action) {
    String id = ctx.pathParam("id");
    return Future.all(api.campaign(ctx, id), senders(ctx))
        .compose(
            both ->
                api.call(
                        ctx,
                        HttpMethod.POST,
                        "/api/v1/campaigns/" + Dialer.enc(id) + "/" + action,
                        new JsonObject(),
                        Map.of())
                    .map(
                        c ->
                            new Reply(
                                200,
                                "Campaign " + past(action),
                                campaignView(c, both.resultAt(1)))));
  }

  private static String past(String action) {
    return switch (action) {
      case "stop" -> "stopped";
      case "pause" -> "paused";
      default -> action + "ed";
    };
  }

  Future<Reply> campaignStats(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return api.campaign(ctx, id)
        .compose(c -> api.get(ctx, "/api/v1/campaigns/" + Dialer.enc(id) + "/stats"))
        .map(s -> new Reply(200, "Statistics retrieved", stats(s)));
  }

  static JsonObject stats(JsonObject s) {
    JsonObject r = s.getJsonObject("recipients", new JsonObject());
    return new JsonObject()
        .put("campaign_id", s.getString("id"))
        .put("status", s.getString("status"))
        .put("total", r.getLong("total", 0L))
        .put("pending", r.getLong("pending", 0L) + r.getLong("retry_wait", 0L))
        .put("calling", s.getLong("calling", 0L))
        .put("answered", s.getLong("answered", 0L))
        .put("completed", r.getLong("done", 0L))
        .put("failed", s.getLong("failed", 0L))
        .put("busy", s.getLong("busy", 0L))
        .put("no_answer", s.getLong("no_answer", 0L))
        .put("machine", s.getLong("machine", 0L))
        .put("canceled", r.getLong("canceled", 0L))
        .put("skipped", r.getLong("skipped", 0L))
        .put("attempts", s.getLong("attempts", 0L))
        .put("average_talk_time", s.getDouble("average_talk_seconds", 0.0));
  }
}
