package herald.compat.aridialer;

import herald.compat.Loopback;
import herald.compat.aridialer.Envelope.Failure;
import herald.compat.aridialer.Envelope.Reply;
import herald.platform.http.Uploads;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 001's ARI Dialer REST API under {@value #PREFIX}: campaigns, their numbers, CDRs,
 * monitoring, IVR menus, users and API tokens, in the seed's envelope and pagination, with CORS.
 * Each route translates the seed's fields, calls the Herald route that does the work over loopback
 * with the caller's credentials (so every check, transaction, event and tenancy rule is Herald's),
 * and translates the answer back; it holds no state and no rules of its own. A seed campaign is a
 * Herald voice campaign; its trunk names an existing ARI sender of the account (see docs/voice.md,
 * "Seed 001 compatibility").
 */
public final class AriDialerRoutes {
  public static final String PREFIX = "/compat/ari-dialer/api";
  private static final int MAX_BODY = 16 * 1024 * 1024;
  private static final int WALK_LIMIT = 200;
  private static final int MAX_WALK_PAGES = 50;
  private static final Pattern ENDPOINT = Pattern.compile("^([A-Za-z0-9]+)/\\{number\\}@(.+)$");
  private static final Pattern NUMBER_ID = Pattern.compile("^([0-9a-fA-F-]{36})-([0-9]{1,18})$");
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
  private static final Map<String, String> NUMBER_NAMES = Map.of("recipients", "phone_number");
  private static final Map<String, String> USER_NAMES = Map.of("name", "full_name");
  private static final Map<String, String> TOKEN_NAMES = Map.of("scopes", "permissions");
  private static final Map<String, String> DISPOSITIONS =
      Map.of(
          "completed", "ANSWERED",
          "busy", "BUSY",
          "no_answer", "NO ANSWER",
          "failed", "FAILED",
          "machine", "MACHINE",
          "canceled", "CANCELED");

  private final Vertx vertx;
  private final Loopback herald;

  public AriDialerRoutes(Vertx vertx) {
    this.vertx = vertx;
    this.herald = new Loopback(vertx);
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

  /** The router to mount at {@value #PREFIX}. */
  public Router router() {
    Router r = Router.router(vertx);
    r.route().handler(AriDialerRoutes::cors);
    // Nothing of a body is read (or lost) until the route asks for it.
    r.route().handler(Uploads.hold());
    r.get("/").handler(ctx -> run(ctx, this::info));
    r.get("/campaigns").handler(ctx -> run(ctx, this::listCampaigns));
    r.post("/campaigns").handler(ctx -> run(ctx, this::createCampaign));
    r.get("/campaigns/:id").handler(ctx -> run(ctx, this::getCampaign));
    r.put("/campaigns/:id").handler(ctx -> run(ctx, this::updateCampaign));
    r.delete("/campaigns/:id").handler(ctx -> run(ctx, this::deleteCampaign));
    for (String action : List.of("start", "stop", "pause", "resume")) {
      r.post("/campaigns/:id/" + action).handler(ctx -> run(ctx, c -> control(c, action)));
    }
    r.get("/campaigns/:id/stats").handler(ctx -> run(ctx, this::campaignStats));
    r.get("/campaigns/:id/numbers").handler(ctx -> run(ctx, this::listNumbers));
    r.post("/campaigns/:id/numbers/bulk").handler(ctx -> run(ctx, this::addNumbers));
    r.post("/campaigns/:id/numbers").handler(ctx -> run(ctx, this::addNumber));
    r.get("/numbers/:id").handler(ctx -> run(ctx, this::getNumber));
    r.delete("/numbers/:id").handler(ctx -> run(ctx, this::deleteNumber));
    r.get("/cdr").handler(ctx -> run(ctx, this::listCdrs));
    r.get("/cdr/stats").handler(ctx -> run(ctx, this::cdrStats));
    r.get("/cdr/:id").handler(ctx -> run(ctx, this::getCdr));
    r.get("/monitoring/status").handler(ctx -> run(ctx, this::monitoringStatus));
    r.get("/monitoring/channels").handler(ctx -> run(ctx, this::monitoringChannels));
    r.get("/monitoring/realtime").handler(ctx -> run(ctx, this::realtime));
    r.get("/ivr").handler(ctx -> run(ctx, this::listIvrs));
    r.get("/ivr/:id").handler(ctx -> run(ctx, this::getIvr));
    r.delete("/ivr/:id").handler(ctx -> run(ctx, this::deleteIvr));
    r.get("/users").handler(ctx -> run(ctx, this::listUsers));
    r.post("/users").handler(ctx -> run(ctx, this::createUser));
    r.put("/users/:id").handler(ctx -> run(ctx, this::updateUser));
    r.delete("/users/:id").handler(ctx -> run(ctx, this::deleteUser));
    r.get("/tokens").handler(ctx -> run(ctx, this::listTokens));
    r.post("/tokens").handler(ctx -> run(ctx, this::createToken));
    r.delete("/tokens/:id").handler(ctx -> run(ctx, this::revokeToken));
    r.route().handler(ctx -> Envelope.fail(ctx, new Failure(404, "Endpoint not found", null)));
    return r;
  }

  /** CORS for browser clients: any origin, the seed's methods and headers; preflights end here. */
  private static void cors(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    ctx.response()
        .putHeader("Access-Control-Allow-Origin", origin == null ? "*" : origin)
        .putHeader("Vary", "Origin");
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      ctx.response()
          .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
          .putHeader("Access-Control-Max-Age", "86400")
          .setStatusCode(204)
          .end();
      return;
    }
    ctx.next();
  }

  private static void run(RoutingContext ctx, Function<RoutingContext, Future<Reply>> route) {
    Future<Reply> reply;
    try {
      reply = route.apply(ctx);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(r -> Envelope.send(ctx, r)).onFailure(err -> Envelope.fail(ctx, err));
  }

  // ---- loopback ----------------------------------------------------------------------------

  /** A Herald route's JSON answer; a failure in the seed's shape otherwise. */
  private Future<JsonObject> call(
      RoutingContext ctx, HttpMethod method, String path, Object body, Map<String, String> names) {
    return herald
        .json(ctx.request(), method, path, body)
        .compose(
            answer ->
                answer.ok()
                    ? Future.succeededFuture(answer.json())
                    : Future.failedFuture(Envelope.from(answer, names)));
  }

  private Future<JsonObject> get(RoutingContext ctx, String path) {
    return call(ctx, HttpMethod.GET, path, null, Map.of());
  }

  /** Every item of a cursor-paged Herald list (bounded: at most 10,000). */
  private Future<List<JsonObject>> all(RoutingContext ctx, String path) {
    return walk(ctx, path, WALK_LIMIT, MAX_WALK_PAGES, null, new ArrayList<>(), false);
  }

  /** Page {@code n} of size {@code size} of a cursor-paged Herald list, following the cursor. */
  private Future<List<JsonObject>> page(RoutingContext ctx, String path, Paging paging) {
    return walk(ctx, path, paging.perPage(), paging.page(), null, new ArrayList<>(), true);
  }

  private Future<List<JsonObject>> walk(
      RoutingContext ctx,
      String path,
      int limit,
      int pagesLeft,
      String cursor,
      List<JsonObject> out,
      boolean lastOnly) {
    String sep = path.contains("?") ? "&" : "?";
    String uri = path + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
    return get(ctx, uri)
        .compose(
            page -> {
              List<JsonObject> items = new ArrayList<>();
              page.getJsonArray("data", new JsonArray()).forEach(o -> items.add((JsonObject) o));
              if (lastOnly) {
                out.clear();
              }
              out.addAll(items);
              String next = page.getString("next_cursor");
              if (pagesLeft <= 1 || next == null) {
                if (lastOnly && pagesLeft > 1) {
                  out.clear(); // the page asked for is past the end
                }
                return Future.succeededFuture(out);
              }
              return walk(ctx, path, limit, pagesLeft - 1, next, out, lastOnly);
            });
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static Future<JsonObject> body(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      return Future.failedFuture(new Failure(400, "Content-Type must be application/json", null));
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > MAX_BODY) {
      return Future.failedFuture(new Failure(413, "The body is too large", null));
    }
    Future<io.vertx.core.buffer.Buffer> read = ctx.request().body();
    ctx.request().resume();
    return read.compose(
        b -> {
          try {
            Object parsed = b.length() == 0 ? new JsonObject() : b.toJsonValue();
            if (parsed instanceof JsonObject o) {
              return Future.succeededFuture(o);
            }
          } catch (DecodeException e) {
            // reported below
          }
          return Future.failedFuture(new Failure(400, "The body must be a JSON object", null));
        });
  }

  private static void only(JsonObject in, Set<String> allowed) {
    JsonObject errors = new JsonObject();
    for (String f : in.fieldNames()) {
      if (!allowed.contains(f)) {
        errors.put(f, "Unknown field");
      }
    }
    if (!errors.isEmpty()) {
      throw new Failure(400, "Validation failed", errors);
    }
  }

  // ---- info ----------------------------------------------------------------------------------

  private Future<Reply> info(RoutingContext ctx) {
    return get(ctx, "/api/v1/auth/me")
        .map(
            me ->
                new Reply(
                    200,
                    "ARI Dialer API (Herald compatibility layer)",
                    new JsonObject()
                        .put("version", "1.0")
                        .put(
                            "user",
                            new JsonObject()
                                .put("id", me.getJsonObject("user").getString("id"))
                                .put("username", me.getJsonObject("user").getString("username"))
                                .put("role", role(me.getJsonObject("user").getString("role"))))
                        .put(
                            "permissions",
                            Permissions.of(strings(me.getJsonArray("scopes", new JsonArray()))))));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  // ---- campaigns -----------------------------------------------------------------------------

  /** The account's ARI senders by id. */
  private Future<Map<String, JsonObject>> senders(RoutingContext ctx) {
    return all(ctx, "/api/v1/senders")
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

  /** The Herald campaign of the path: 404 unless it is the caller's voice campaign. */
  private Future<JsonObject> campaign(RoutingContext ctx, String id) {
    return get(ctx, "/api/v1/campaigns/" + enc(id))
        .map(
            c -> {
              if (!"voice".equals(c.getString("channel"))) {
                throw new Failure(404, "Campaign not found", null);
              }
              return c;
            });
  }

  private Future<Reply> listCampaigns(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return Future.all(all(ctx, "/api/v1/campaigns"), senders(ctx))
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

  private Future<Reply> getCampaign(RoutingContext ctx) {
    return Future.all(campaign(ctx, ctx.pathParam("id")), senders(ctx))
        .map(
            both ->
                new Reply(
                    200, "Campaign retrieved", campaignView(both.resultAt(0), both.resultAt(1))));
  }

  private Future<Reply> createCampaign(RoutingContext ctx) {
    return Future.all(body(ctx), senders(ctx))
        .compose(
            both -> {
              JsonObject in = both.resultAt(0);
              Map<String, JsonObject> senders = both.resultAt(1);
              only(in, CAMPAIGN_FIELDS);
              JsonObject herald =
                  new JsonObject().put("name", in.getValue("name")).put("channel", "voice");
              String sender = sender(in, senders);
              if (sender != null) {
                herald.put("sender_id", sender);
              }
              herald.put("voice", voice(in, new JsonObject()));
              return call(ctx, HttpMethod.POST, "/api/v1/campaigns", herald, CAMPAIGN_NAMES)
                  .map(c -> new Reply(201, "Campaign created", campaignView(c, senders)));
            });
  }

  private Future<Reply> updateCampaign(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Future.all(body(ctx), senders(ctx), campaign(ctx, id))
        .compose(
            all -> {
              JsonObject in = all.resultAt(0);
              Map<String, JsonObject> senders = all.resultAt(1);
              JsonObject current = all.resultAt(2);
              only(in, CAMPAIGN_FIELDS);
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
              return call(
                      ctx, HttpMethod.PUT, "/api/v1/campaigns/" + enc(id), herald, CAMPAIGN_NAMES)
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

  private Future<Reply> deleteCampaign(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return campaign(ctx, id)
        .compose(c -> call(ctx, HttpMethod.DELETE, "/api/v1/campaigns/" + enc(id), null, Map.of()))
        .map(x -> new Reply(200, "Campaign deleted", null));
  }

  private Future<Reply> control(RoutingContext ctx, String action) {
    String id = ctx.pathParam("id");
    return Future.all(campaign(ctx, id), senders(ctx))
        .compose(
            both ->
                call(
                        ctx,
                        HttpMethod.POST,
                        "/api/v1/campaigns/" + enc(id) + "/" + action,
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

  private Future<Reply> campaignStats(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return campaign(ctx, id)
        .compose(c -> get(ctx, "/api/v1/campaigns/" + enc(id) + "/stats"))
        .map(s -> new Reply(200, "Statistics retrieved", stats(s)));
  }

  private static JsonObject stats(JsonObject s) {
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

  // ---- numbers -------------------------------------------------------------------------------

  private static JsonObject numberView(String campaignId, JsonObject r) {
    Object given = r.getValue("data");
    JsonObject data = given instanceof JsonObject o ? o.copy() : new JsonObject();
    data.remove("number");
    data.remove("phone");
    data.remove("phone_number");
    return new JsonObject()
        .put("id", campaignId + "-" + r.getLong("seq"))
        .put("campaign_id", campaignId)
        .put("phone_number", r.getString("phone_number"))
        .put("data", data)
        .put("status", r.getString("status"))
        .put("disposition", r.getString("disposition"))
        .put("attempts", r.getInteger("attempts"))
        .put("reason", r.getString("reason"))
        .put("last_call_id", r.getString("call_id"))
        .put("next_attempt_at", Envelope.time(r.getString("next_attempt_at")));
  }

  private Future<Reply> listNumbers(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Paging paging = Paging.from(ctx);
    return campaign(ctx, id)
        .compose(c -> get(ctx, "/api/v1/campaigns/" + enc(id) + "/stats"))
        .compose(
            stats ->
                page(ctx, "/api/v1/campaigns/" + enc(id) + "/recipients", paging)
                    .map(
                        rows -> {
                          JsonArray data = new JsonArray();
                          rows.forEach(r -> data.add(numberView(id, r)));
                          long total = stats.getJsonObject("recipients").getLong("total");
                          return new Reply(200, "Numbers retrieved", data, paging.object(total));
                        }));
  }

  /** A seed number ({@code {phone_number, data}} or a bare number) as a Herald recipient. */
  private static Object recipient(Object given, String field) {
    if (given instanceof String || given instanceof Number) {
      return String.valueOf(given);
    }
    if (!(given instanceof JsonObject n) || n.getValue("phone_number") == null) {
      throw Failure.field(400, "Validation failed", field, "phone_number is required");
    }
    Object data = n.getValue("data");
    if (data != null && !(data instanceof JsonObject)) {
      throw Failure.field(400, "Validation failed", field + ".data", "data must be an object");
    }
    JsonObject out = data == null ? new JsonObject() : ((JsonObject) data).copy();
    return out.put("phone_number", String.valueOf(n.getValue("phone_number")));
  }

  private Future<Reply> addNumber(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Future.all(body(ctx), campaign(ctx, id))
        .compose(
            both -> {
              JsonObject in = both.resultAt(0);
              only(in, Set.of("phone_number", "data"));
              Object r = recipient(in, "phone_number");
              return call(
                  ctx,
                  HttpMethod.POST,
                  "/api/v1/campaigns/" + enc(id) + "/recipients",
                  new JsonObject().put("recipients", new JsonArray().add(r)),
                  NUMBER_NAMES);
            })
        .compose(
            added -> {
              JsonArray seqs = added.getJsonArray("seqs", new JsonArray());
              if (seqs.isEmpty()) {
                throw Failure.field(
                    409,
                    "The number is already in this campaign",
                    "phone_number",
                    "already in this campaign");
              }
              return number(ctx, id, seqs.getLong(0));
            })
        .map(n -> new Reply(201, "Number added", n));
  }

  private Future<Reply> addNumbers(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Future.all(body(ctx), campaign(ctx, id))
        .compose(
            both -> {
              JsonObject in = both.resultAt(0);
              only(in, Set.of("numbers"));
              if (!(in.getValue("numbers") instanceof JsonArray numbers) || numbers.isEmpty()) {
                throw Failure.field(
                    400, "Validation failed", "numbers", "numbers must be a non-empty array");
              }
              JsonArray recipients = new JsonArray();
              for (int i = 0; i < numbers.size(); i++) {
                recipients.add(recipient(numbers.getValue(i), "numbers[" + i + "]"));
              }
              return call(
                  ctx,
                  HttpMethod.POST,
                  "/api/v1/campaigns/" + enc(id) + "/recipients",
                  new JsonObject().put("recipients", recipients),
                  Map.of("recipients", "numbers"));
            })
        .map(
            added -> {
              JsonArray ids = null;
              if (added.getJsonArray("seqs") != null) {
                ids = new JsonArray();
                for (Object seq : added.getJsonArray("seqs")) {
                  ids.add(id + "-" + seq);
                }
              }
              return new Reply(
                  201,
                  "Numbers added",
                  new JsonObject()
                      .put("received", added.getInteger("received"))
                      .put("added", added.getInteger("added"))
                      .put("duplicates", added.getInteger("duplicates"))
                      .put("invalid", added.getLong("invalid"))
                      .put("ids", ids));
            });
  }

  /** A number with its attempts (each a call with its CDR id). */
  private Future<JsonObject> number(RoutingContext ctx, String campaignId, long seq) {
    return get(ctx, "/api/v1/campaigns/" + enc(campaignId) + "/recipients/" + seq + "/calls")
        .map(
            r -> {
              JsonArray attempts = new JsonArray();
              for (Object o : r.getJsonArray("calls", new JsonArray())) {
                JsonObject call = (JsonObject) o;
                attempts.add(
                    new JsonObject()
                        .put("attempt", call.getInteger("attempt"))
                        .put("call_id", call.getString("id"))
                        .put("status", call.getString("status"))
                        .put("created_at", Envelope.time(call.getString("created_at")))
                        .put("answered_at", Envelope.time(call.getString("answered_at")))
                        .put("ended_at", Envelope.time(call.getString("ended_at")))
                        .put("cdr_id", call.getString("cdr_id")));
              }
              return numberView(campaignId, r).put("attempt_history", attempts);
            });
  }

  /** The campaign id and sequence of a seed number id, or a 404. */
  private static String[] numberId(String id) {
    Matcher m = NUMBER_ID.matcher(id);
    if (!m.matches()) {
      throw new Failure(404, "Number not found", null);
    }
    return new String[] {m.group(1), m.group(2)};
  }

  private Future<Reply> getNumber(RoutingContext ctx) {
    String[] id = numberId(ctx.pathParam("id"));
    return number(ctx, id[0], Long.parseLong(id[1]))
        .recover(err -> Future.failedFuture(notFound(err, "Number not found")))
        .map(n -> new Reply(200, "Number retrieved", n));
  }

  private Future<Reply> deleteNumber(RoutingContext ctx) {
    String[] id = numberId(ctx.pathParam("id"));
    return call(
            ctx,
            HttpMethod.DELETE,
            "/api/v1/campaigns/" + enc(id[0]) + "/recipients/" + id[1],
            null,
            Map.of())
        .recover(err -> Future.failedFuture(notFound(err, "Number not found")))
        .map(x -> new Reply(200, "Number deleted", null));
  }

  /** A 404 of Herald's (campaign or recipient) as the seed's message for the resource. */
  private static Throwable notFound(Throwable err, String message) {
    return err instanceof Failure f && f.status == 404 ? new Failure(404, message, null) : err;
  }

  // ---- CDR -----------------------------------------------------------------------------------

  private static JsonObject cdrView(JsonObject c) {
    double ring = c.getDouble("ring_seconds", 0.0);
    double talk = c.getDouble("talk_seconds", 0.0);
    String campaign = c.getString("campaign_id");
    Long seq = c.getLong("recipient_seq");
    return new JsonObject()
        .put("id", c.getString("id"))
        .put("call_id", c.getString("call_id"))
        .put("campaign_id", campaign)
        .put("number_id", campaign == null || seq == null ? null : campaign + "-" + seq)
        .put("phone_number", c.getString("to"))
        .put("callerid", c.getString("caller_id"))
        .put("start_time", Envelope.time(c.getString("started_at")))
        .put("answer_time", Envelope.time(c.getString("answered_at")))
        .put("end_time", Envelope.time(c.getString("ended_at")))
        .put("duration", Math.round(ring + talk))
        .put("billsec", Math.round(talk))
        .put(
            "disposition",
            DISPOSITIONS.getOrDefault(c.getString("disposition"), c.getString("disposition")))
        .put("hangup_cause", c.getInteger("hangup_cause"))
        .put("hangup_cause_text", c.getString("hangup_cause_text"))
        .put("amd_status", c.getString("amd_status"))
        .put("amd_cause", c.getString("amd_cause"))
        .put("dtmf", c.getString("dtmf"))
        .put("ivr_id", c.getString("ivr_id"))
        .put("ivr_path", c.getJsonArray("ivr_path"))
        .put("agent_status", c.getString("agent_status"))
        .put("agent_talk_seconds", c.getValue("agent_talk_seconds"))
        .put("recording", c.getString("recording"));
  }

  /** The seed's CDR filters as Herald's query string (campaign, disposition, date range). */
  private static String cdrFilters(RoutingContext ctx) {
    StringBuilder q = new StringBuilder();
    JsonObject errors = new JsonObject();
    String campaign = ctx.queryParams().get("campaign_id");
    if (campaign != null && !campaign.isBlank()) {
      q.append("&campaign_id=").append(enc(campaign));
    }
    String disposition = ctx.queryParams().get("disposition");
    if (disposition != null && !disposition.isBlank()) {
      String herald = null;
      for (Map.Entry<String, String> e : DISPOSITIONS.entrySet()) {
        if (e.getValue().equalsIgnoreCase(disposition) || e.getKey().equals(disposition)) {
          herald = e.getKey();
        }
      }
      if (herald == null) {
        errors.put("disposition", "one of ANSWERED, BUSY, NO ANSWER, FAILED, MACHINE, CANCELED");
      } else {
        q.append("&disposition=").append(herald);
      }
    }
    for (String[] names :
        List.of(
            new String[] {"from", "date_from", "start_date", "from"},
            new String[] {"to", "date_to", "end_date", "to"})) {
      for (int i = 1; i < names.length; i++) {
        String text = ctx.queryParams().get(names[i]);
        if (text == null || text.isBlank()) {
          continue;
        }
        Instant at = Envelope.parseTime(text, names[0].equals("to"));
        if (at == null) {
          errors.put(names[i], "a date (YYYY-MM-DD) or a time (YYYY-MM-DD HH:MM:SS)");
        } else {
          q.append('&').append(names[0]).append('=').append(enc(at.toString()));
        }
        break;
      }
    }
    if (!errors.isEmpty()) {
      throw new Failure(400, "Invalid query parameters", errors);
    }
    return q.length() == 0 ? "" : "?" + q.substring(1);
  }

  private Future<Reply> listCdrs(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    String filters = cdrFilters(ctx);
    return get(ctx, "/api/v1/cdrs/stats" + filters)
        .compose(
            stats ->
                page(ctx, "/api/v1/cdrs" + filters, paging)
                    .map(
                        rows -> {
                          JsonArray data = new JsonArray();
                          rows.forEach(c -> data.add(cdrView(c)));
                          return new Reply(
                              200,
                              "CDR records retrieved",
                              data,
                              paging.object(stats.getLong("calls", 0L)));
                        }));
  }

  private Future<Reply> getCdr(RoutingContext ctx) {
    return get(ctx, "/api/v1/cdrs/" + enc(ctx.pathParam("id")))
        .map(c -> new Reply(200, "CDR retrieved", cdrView(c)));
  }

  private static JsonObject cdrStatsView(JsonObject s) {
    JsonObject by = new JsonObject();
    s.getJsonObject("by_disposition", new JsonObject())
        .forEach(e -> by.put(DISPOSITIONS.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
    return new JsonObject()
        .put("total_calls", s.getLong("calls", 0L))
        .put("answered", s.getLong("answered", 0L))
        .put("answer_rate", s.getValue("answer_rate"))
        .put("average_talk_time", s.getValue("average_talk_seconds"))
        .put("by_disposition", by)
        .put("by_hour", s.getJsonArray("by_hour"));
  }

  private Future<Reply> cdrStats(RoutingContext ctx) {
    return get(ctx, "/api/v1/cdrs/stats" + cdrFilters(ctx))
        .map(s -> new Reply(200, "CDR statistics retrieved", cdrStatsView(s)));
  }

  // ---- monitoring ----------------------------------------------------------------------------

  private Future<Reply> monitoringStatus(RoutingContext ctx) {
    return get(ctx, "/api/v1/monitoring/status")
        .map(
            s -> {
              JsonArray ari = s.getJsonArray("ari", new JsonArray());
              boolean connected =
                  !ari.isEmpty()
                      && ari.stream()
                          .allMatch(
                              o -> "connected".equals(((JsonObject) o).getString("connection")));
              return new Reply(
                  200,
                  "System status retrieved",
                  new JsonObject()
                      .put("status", s.getString("status"))
                      .put(
                          "asterisk",
                          new JsonObject()
                              .put("status", connected ? "connected" : "disconnected")
                              .put("senders", ari))
                      .put("database", s.getJsonObject("database"))
                      .put("lanes", s.getJsonArray("lanes"))
                      .put("node", s.getString("node")));
            });
  }

  private Future<Reply> monitoringChannels(RoutingContext ctx) {
    return get(ctx, "/api/v1/monitoring/channels")
        .map(
            c ->
                new Reply(
                    200,
                    "Active channels retrieved",
                    new JsonObject()
                        .put("count", c.getJsonArray("data", new JsonArray()).size())
                        .put("channels", c.getJsonArray("data", new JsonArray()))
                        .put("by_status", c.getJsonObject("counts"))
                        .put("truncated", c.getBoolean("truncated", false))));
  }

  private Future<Reply> realtime(RoutingContext ctx) {
    String today =
        LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
    Future<JsonObject> channels = get(ctx, "/api/v1/monitoring/channels");
    Future<JsonObject> todayStats = get(ctx, "/api/v1/cdrs/stats?from=" + enc(today));
    Future<List<JsonObject>> campaigns =
        all(ctx, "/api/v1/campaigns?status=running")
            .compose(
                list -> {
                  List<Future<JsonObject>> stats = new ArrayList<>();
                  for (JsonObject c : list) {
                    if ("voice".equals(c.getString("channel"))) {
                      stats.add(
                          get(ctx, "/api/v1/campaigns/" + c.getString("id") + "/stats")
                              .map(s -> stats(s).put("name", c.getString("name"))));
                    }
                  }
                  return Future.all(stats).map(all -> all.<JsonObject>list());
                });
    return Future.all(channels, todayStats, campaigns)
        .map(
            x -> {
              JsonArray live = channels.result().getJsonArray("data", new JsonArray());
              return new Reply(
                  200,
                  "Real-time data retrieved",
                  new JsonObject()
                      .put("active_calls", live.size())
                      .put("channels", live)
                      .put("campaigns", new JsonArray(new ArrayList<>(campaigns.result())))
                      .put("today", cdrStatsView(todayStats.result()))
                      .put("timestamp", Envelope.time(Instant.now().toString())));
            });
  }

  // ---- IVR -----------------------------------------------------------------------------------

  private static JsonObject ivrView(JsonObject i) {
    JsonArray actions = new JsonArray();
    JsonObject menus = i.getJsonObject("menus", new JsonObject());
    for (String menu : menus.fieldNames()) {
      JsonObject options =
          menus.getJsonObject(menu, new JsonObject()).getJsonObject("options", new JsonObject());
      for (String key : options.fieldNames()) {
        JsonObject option = options.getJsonObject(key);
        String action = option.getString("action");
        Object value =
            switch (action == null ? "" : action) {
              case "menu" -> option.getString("menu");
              case "agent" -> option.getJsonObject("agent", new JsonObject()).getString("value");
              case "webhook" -> option.getJsonObject("data");
              default -> option.getValue("prompt");
            };
        actions.add(
            new JsonObject()
                .put("menu", menu)
                .put("dtmf_digit", key)
                .put("action_type", action)
                .put("action_value", value));
      }
    }
    return new JsonObject()
        .put("id", i.getString("id"))
        .put("name", i.getString("name"))
        .put("start", i.getString("start"))
        .put("menus", menus)
        .put("actions", actions)
        .put("created_at", Envelope.time(i.getString("created_at")))
        .put("updated_at", Envelope.time(i.getString("updated_at")));
  }

  private Future<Reply> listIvrs(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return all(ctx, "/api/v1/ivr")
        .map(
            list -> {
              JsonArray data = new JsonArray();
              paging.slice(list).forEach(i -> data.add(ivrView(i)));
              return new Reply(200, "IVR menus retrieved", data, paging.object(list.size()));
            });
  }

  private Future<Reply> getIvr(RoutingContext ctx) {
    return get(ctx, "/api/v1/ivr/" + enc(ctx.pathParam("id")))
        .map(i -> new Reply(200, "IVR menu retrieved", ivrView(i)));
  }

  private Future<Reply> deleteIvr(RoutingContext ctx) {
    return call(ctx, HttpMethod.DELETE, "/api/v1/ivr/" + enc(ctx.pathParam("id")), null, Map.of())
        .map(x -> new Reply(200, "IVR menu deleted", null));
  }

  // ---- users ---------------------------------------------------------------------------------

  /** Herald's role as the seed's: admin, or user for every other role. */
  private static String role(String herald) {
    return "admin".equals(herald) ? "admin" : "user";
  }

  /** The seed's role as Herald's: user is a manager (runs campaigns); Herald's names pass. */
  private static Object heraldRole(Object seed) {
    return "user".equals(seed) ? "manager" : seed;
  }

  private static JsonObject userView(JsonObject u) {
    return new JsonObject()
        .put("id", u.getString("id"))
        .put("username", u.getString("username"))
        .put("full_name", u.getString("name"))
        .put("email", u.getString("email"))
        .put("role", role(u.getString("role")))
        .put("herald_role", u.getString("role"))
        .put("is_active", u.getBoolean("is_active") ? 1 : 0)
        .put("last_login", Envelope.time(u.getString("last_login_at")))
        .put("created_at", Envelope.time(u.getString("created_at")));
  }

  private Future<Reply> listUsers(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return all(ctx, "/api/v1/users")
        .map(
            list -> {
              JsonArray data = new JsonArray();
              paging.slice(list).forEach(u -> data.add(userView(u)));
              return new Reply(200, "Users retrieved", data, paging.object(list.size()));
            });
  }

  /** The seed's user fields as Herald's. */
  private static JsonObject user(JsonObject in, boolean create) {
    only(
        in,
        create
            ? Set.of("username", "password", "email", "full_name", "name", "role")
            : Set.of("password", "email", "full_name", "name", "role", "is_active"));
    JsonObject out = new JsonObject();
    for (String f : List.of("username", "password", "email")) {
      if (in.containsKey(f)) {
        out.put(f, in.getValue(f));
      }
    }
    if (in.containsKey("full_name") || in.containsKey("name")) {
      out.put("name", in.containsKey("full_name") ? in.getValue("full_name") : in.getValue("name"));
    }
    if (in.containsKey("role")) {
      out.put("role", heraldRole(in.getValue("role")));
    } else if (create) {
      out.put("role", "manager");
    }
    if (in.containsKey("is_active")) {
      Object a = in.getValue("is_active");
      out.put("is_active", a instanceof Number n ? n.intValue() != 0 : a);
    }
    return out;
  }

  private Future<Reply> createUser(RoutingContext ctx) {
    return body(ctx)
        .compose(in -> call(ctx, HttpMethod.POST, "/api/v1/users", user(in, true), USER_NAMES))
        .map(u -> new Reply(201, "User created", userView(u)));
  }

  private Future<Reply> updateUser(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return body(ctx)
        .compose(
            in ->
                call(
                    ctx, HttpMethod.PATCH, "/api/v1/users/" + enc(id), user(in, false), USER_NAMES))
        .map(u -> new Reply(200, "User updated", userView(u)));
  }

  private Future<Reply> deleteUser(RoutingContext ctx) {
    return call(ctx, HttpMethod.DELETE, "/api/v1/users/" + enc(ctx.pathParam("id")), null, Map.of())
        .map(x -> new Reply(200, "User deleted", null));
  }

  // ---- tokens --------------------------------------------------------------------------------

  private static JsonObject tokenView(JsonObject k) {
    List<String> scopes = strings(k.getJsonArray("scopes", new JsonArray()));
    String expires = k.getString("expires_at");
    boolean expired = expires != null && Instant.parse(expires).isBefore(Instant.now());
    return new JsonObject()
        .put("id", k.getString("id"))
        .put("name", k.getString("name"))
        .put("prefix", k.getString("prefix"))
        .put("permissions", Permissions.of(scopes))
        .put("scopes", new JsonArray(scopes))
        .put("is_active", k.getString("revoked_at") == null && !expired ? 1 : 0)
        .put("expires_at", Envelope.time(expires))
        .put("last_used_at", Envelope.time(k.getString("last_used_at")))
        .put("created_at", Envelope.time(k.getString("created_at")));
  }

  private Future<Reply> listTokens(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return all(ctx, "/api/v1/api-keys")
        .map(
            list -> {
              List<JsonObject> live =
                  list.stream().filter(k -> k.getString("revoked_at") == null).toList();
              JsonArray data = new JsonArray();
              paging.slice(live).forEach(k -> data.add(tokenView(k)));
              return new Reply(200, "Tokens retrieved", data, paging.object(live.size()));
            });
  }

  private Future<Reply> createToken(RoutingContext ctx) {
    return body(ctx)
        .compose(
            in -> {
              only(in, Set.of("name", "permissions", "expires_at"));
              JsonObject key = new JsonObject().put("name", in.getValue("name", "API token"));
              Object expires = in.getValue("expires_at");
              if (expires != null) {
                Instant at = expires instanceof String s ? Envelope.parseTime(s, false) : null;
                if (at == null) {
                  throw Failure.field(
                      400,
                      "Validation failed",
                      "expires_at",
                      "a time as YYYY-MM-DD HH:MM:SS (UTC)");
                }
                key.put("expires_at", at.toString());
              }
              Object permissions = in.getValue("permissions");
              if (permissions == null) {
                // as the seed: a token without permissions acts with all of its user's rights
                return get(ctx, "/api/v1/auth/me")
                    .map(me -> key.put("scopes", me.getJsonArray("scopes")));
              }
              List<String> scopes =
                  permissions instanceof JsonArray list ? Permissions.scopes(strings(list)) : null;
              if (scopes == null || scopes.isEmpty()) {
                throw Failure.field(
                    400,
                    "Validation failed",
                    "permissions",
                    "a list of permissions among "
                        + String.join(", ", Permissions.CATALOGUE.keySet()));
              }
              return Future.succeededFuture(key.put("scopes", new JsonArray(scopes)));
            })
        .compose(key -> call(ctx, HttpMethod.POST, "/api/v1/api-keys", key, TOKEN_NAMES))
        .map(k -> new Reply(201, "Token created", tokenView(k).put("token", k.getString("key"))));
  }

  private Future<Reply> revokeToken(RoutingContext ctx) {
    return call(
            ctx, HttpMethod.DELETE, "/api/v1/api-keys/" + enc(ctx.pathParam("id")), null, Map.of())
        .map(x -> new Reply(200, "Token revoked", null));
  }

  // ---- pagination ----------------------------------------------------------------------------

  /** The seed's {@code page} and {@code per_page} (1..200, default 20). */
  record Paging(int page, int perPage) {
    static Paging from(RoutingContext ctx) {
      JsonObject errors = new JsonObject();
      int page = param(ctx, "page", 1, 10_000, 1, errors);
      int perPage = param(ctx, "per_page", 1, 200, 20, errors);
      if (!errors.isEmpty()) {
        throw new Failure(400, "Invalid query parameters", errors);
      }
      return new Paging(page, perPage);
    }

    private static int param(
        RoutingContext ctx, String name, int min, int max, int fallback, JsonObject errors) {
      String text = ctx.queryParams().get(name);
      if (text == null || text.isEmpty()) {
        return fallback;
      }
      if (text.matches("[0-9]{1,6}")) {
        int n = Integer.parseInt(text);
        if (n >= min && n <= max) {
          return n;
        }
      }
      errors.put(name, name + " must be a whole number from " + min + " to " + max);
      return fallback;
    }

    <T> List<T> slice(List<T> all) {
      int from = Math.min(all.size(), (page - 1) * perPage);
      return all.subList(from, Math.min(all.size(), from + perPage));
    }

    JsonObject object(long total) {
      long pages = (total + perPage - 1) / perPage;
      long first = (long) (page - 1) * perPage;
      return new JsonObject()
          .put("total", total)
          .put("per_page", perPage)
          .put("current_page", page)
          .put("total_pages", pages)
          .put("from", total == 0 || first >= total ? 0 : first + 1)
          .put("to", total == 0 || first >= total ? 0 : Math.min(total, first + perPage));
    }
  }
}
