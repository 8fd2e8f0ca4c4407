package herald.monitoring;

import herald.call.CallStore;
import herald.channel.voice.Voice;
import herald.platform.bus.Addresses;
import herald.platform.cluster.Ownership;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.PageRequest;
import herald.platform.http.Requests;
import herald.platform.http.Scoped;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/monitoring}: live views for dashboards. {@code /status} (the database, each active
 * sender's lane and where it runs, and each voice sender's ARI connection), {@code /channels} (the
 * account's live calls with their state and how long they have been in it), and {@code /stream}
 * (the account's call and campaign events as server-sent events, see {@link EventStream}).
 */
public final class MonitoringRoutes {
  /** Event type filters the stream takes: these prefixes, or exact types under them. */
  private static final List<String> STREAMED = List.of("call.", "campaign.");

  private static final int MAX_CHANNELS = 1000;

  private final Vertx vertx;
  private final MonitoringStore store;
  private final SenderStore senders;
  private final CallStore calls;

  public MonitoringRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.store = new MonitoringStore(pool);
    this.senders = new SenderStore(pool);
    this.calls = new CallStore(pool);
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.get("/status").handler(Scoped.require("senders:read")).respond(this::status);
    router.get("/channels").handler(Scoped.require("calls:read")).respond(this::channels);
    router.get("/stream").handler(Scoped.require("calls:read")).handler(this::stream);
    return router;
  }

  private Future<JsonObject> status(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    Future<JsonObject> database =
        store
            .ping()
            .map(ms -> new JsonObject().put("status", "up").put("latency_ms", round(ms)))
            .otherwise(
                err -> new JsonObject().put("status", "down").put("error", err.getMessage()));
    Future<List<Sender>> all = allSenders(accountId);
    return Future.join(database, all)
        .transform(
            x -> {
              JsonObject db = database.result();
              if (all.failed()) {
                return Future.succeededFuture(
                    new JsonObject().put("status", "degraded").put("database", db));
              }
              List<Sender> active = all.result().stream().filter(Sender::active).toList();
              return lanes(active)
                  .map(
                      lanes -> {
                        JsonArray voice = new JsonArray();
                        JsonArray laneList = new JsonArray();
                        boolean healthy = "up".equals(db.getString("status"));
                        for (Sender s : active) {
                          JsonObject lane = lanes.get(s.id());
                          laneList.add(lane);
                          if (Voice.CHANNEL.equals(s.channel())) {
                            JsonObject live = lane.getJsonObject("live");
                            String connection =
                                live == null ? "unknown" : live.getString("connection", "unknown");
                            healthy &= !"connecting".equals(connection);
                            voice.add(
                                new JsonObject()
                                    .put("sender_id", s.id().toString())
                                    .put("name", s.name())
                                    .put("connection", connection)
                                    .put("node", lane.getString("node"))
                                    .put("ari", live));
                          }
                          if (!lane.getBoolean("running")) {
                            healthy = false;
                          }
                        }
                        return new JsonObject()
                            .put("status", healthy ? "ok" : "degraded")
                            .put("node", Ownership.node())
                            .put("database", db)
                            .put("ari", voice)
                            .put("lanes", laneList);
                      });
            });
  }

  private Future<List<Sender>> allSenders(UUID accountId) {
    List<Sender> out = new ArrayList<>();
    return page(accountId, null, out).map(out);
  }

  private Future<Void> page(UUID accountId, UUID after, List<Sender> out) {
    PageRequest request = new PageRequest(PageRequest.MAX_LIMIT, after);
    return senders
        .list(accountId, request)
        .compose(
            rows -> {
              boolean more = rows.size() > request.limit();
              List<Sender> shown = more ? rows.subList(0, request.limit()) : rows;
              out.addAll(shown);
              return more && out.size() < 10_000
                  ? page(accountId, shown.get(shown.size() - 1).id(), out)
                  : Future.succeededFuture();
            });
  }

  /**
   * Each sender's lane: its lease (owner node, current or not) and, when it runs on this node, its
   * live status (the provider's connection and the lane's circuit).
   */
  private Future<Map<UUID, JsonObject>> lanes(List<Sender> active) {
    List<UUID> ids = active.stream().map(Sender::id).toList();
    Future<List<Row>> leases =
        ids.isEmpty() ? Future.succeededFuture(List.of()) : store.laneLeases(ids);
    Map<UUID, Future<JsonObject>> live = new HashMap<>();
    for (UUID id : ids) {
      live.put(
          id,
          vertx
              .eventBus()
              .<JsonObject>request(
                  Addresses.laneStatus(id),
                  id.toString(),
                  new DeliveryOptions().setLocalOnly(true).setSendTimeout(2000))
              .map(reply -> reply.body())
              .otherwise(
                  err ->
                      err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
                          ? null
                          : new JsonObject()
                              .put("connection", "unknown")
                              .put("error", err.getMessage())));
    }
    List<Future<?>> all = new ArrayList<>(live.values());
    all.add(leases);
    return Future.join(all)
        .transform(
            x -> {
              Map<UUID, Row> byId = new HashMap<>();
              if (leases.succeeded()) {
                leases.result().forEach(r -> byId.put(UUID.fromString(r.getString("key")), r));
              }
              Map<UUID, JsonObject> out = new HashMap<>();
              for (Sender s : active) {
                Row lease = byId.get(s.id());
                JsonObject here = live.get(s.id()).result();
                String owner = lease == null ? null : lease.getString("owner");
                boolean current = lease != null && lease.getBoolean("current");
                out.put(
                    s.id(),
                    new JsonObject()
                        .put("sender_id", s.id().toString())
                        .put("name", s.name())
                        .put("channel", s.channel())
                        .put("provider", s.provider())
                        .put("running", here != null || current)
                        .put("node", owner == null ? null : owner.split("/", 2)[0])
                        .put("on_this_node", here != null)
                        .put("lease_current", current)
                        .put("live", here));
              }
              return Future.succeededFuture(out);
            });
  }

  private Future<JsonObject> channels(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    return calls
        .live(accountId, MAX_CHANNELS + 1)
        .map(
            rows -> {
              boolean more = rows.size() > MAX_CHANNELS;
              JsonArray data = new JsonArray();
              Map<String, Integer> byState = new java.util.TreeMap<>();
              for (JsonObject c : more ? rows.subList(0, MAX_CHANNELS) : rows) {
                data.add(c);
                byState.merge(c.getString("status"), 1, Integer::sum);
              }
              JsonObject counts = new JsonObject();
              for (String state : List.of("queued", "dialing", "ringing", "answered")) {
                counts.put(state, byState.getOrDefault(state, 0));
              }
              return new JsonObject()
                  .put("data", data)
                  .put("counts", counts)
                  .put("truncated", more);
            });
  }

  private void stream(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    String[] patterns;
    UUID lastId;
    try {
      patterns = patterns(ctx.queryParams().getAll("types"));
      String last = ctx.request().getHeader("Last-Event-ID");
      if (last == null) {
        last = ctx.queryParams().get("last_event_id");
      }
      lastId = last == null || last.isBlank() ? null : Ids.parse(last.trim());
      if (last != null && !last.isBlank() && lastId == null) {
        throw ApiException.badRequest(
            "Invalid Last-Event-ID",
            List.of(new FieldError("last_event_id", "invalid_value", "not an event id")));
      }
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    Future<OffsetDateTime> since =
        lastId == null ? Future.succeededFuture(null) : store.eventTime(accountId, lastId);
    since
        .compose(at -> at != null ? Future.succeededFuture(at) : store.now().map(now -> now))
        .onSuccess(
            at -> {
              OffsetDateTime oldest = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
              new EventStream(
                      vertx,
                      store,
                      ctx.response(),
                      accountId,
                      patterns,
                      at.isBefore(oldest) ? oldest : at)
                  .start(lastId);
            })
        .onFailure(ctx::fail);
  }

  /** The {@code types} filters (comma-separated or repeated) as SQL LIKE patterns. */
  static String[] patterns(List<String> given) {
    Set<String> out = new LinkedHashSet<>();
    List<FieldError> errors = new ArrayList<>();
    for (String param : given) {
      for (String raw : param.split(",")) {
        String t = raw.trim();
        if (t.isEmpty()) {
          continue;
        }
        boolean ok =
            herald.event.EventCatalogue.isValidFilter(t)
                && STREAMED.stream().anyMatch(t::startsWith);
        if (!ok) {
          errors.add(
              new FieldError(
                  "types",
                  "invalid_value",
                  "'"
                      + t
                      + "' is not a call or campaign event type (call.*, campaign.*, or a type"
                      + " such as call.completed)"));
          continue;
        }
        out.add(t.endsWith(".*") ? t.substring(0, t.length() - 1) + "%" : t);
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("Invalid query parameters", errors);
    }
    if (out.isEmpty()) {
      out.add("call.%");
      out.add("campaign.%");
    }
    return out.toArray(String[]::new);
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
