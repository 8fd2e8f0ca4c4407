package herald.agent;

import herald.audit.Actor;
import herald.platform.database.Ids;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/tiers}: service tiers of end users with their quotas. A contact's {@code tier}
 * names one; a number whose tier is not defined is answered with the agent's {@code
 * unknown_tier_reply}.
 */
public final class TierRoutes {
  static final String DEFAULT_OVER_QUOTA =
      "You have used all the requests your plan includes for now. Please try again later.";

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "requests_per_hour",
          "requests_per_day",
          "requests_per_month",
          "max_reply_chars",
          "allowed_categories",
          "priority",
          "over_quota_message");

  private final Vertx vertx;
  private final TierStore tiers;
  private final AgentService service;

  public TierRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.tiers = new TierStore(pool);
    this.service = new AgentService(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("agents:read")).respond(this::list);
    router
        .post("/")
        .handler(Scoped.require("agents:write"))
        .handler(Responses.status(201, this::create));
    router.get("/:id").handler(Scoped.require("agents:read")).respond(this::get);
    router.patch("/:id").handler(Scoped.require("agents:write")).respond(this::update);
    router
        .delete("/:id")
        .handler(Scoped.require("agents:write"))
        .handler(Responses.noContent(this::delete));
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    return tiers
        .list(Requests.principal(ctx).accountId())
        .map(
            rows -> {
              JsonArray data = new JsonArray();
              rows.forEach(t -> data.add(t.toJson()));
              return new JsonObject().put("data", data);
            });
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Tier");
    return tiers
        .get(Requests.principal(ctx).accountId(), id)
        .map(t -> Responses.found(t, "Tier").toJson());
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, FIELDS);
    in.require("name", "'name' is required");
    Tier tier = read(in, null, Ids.newId(), actor.accountId());
    in.check();
    return service.createTier(actor, tier);
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    UUID id = Requests.pathId(ctx, "id", "Tier");
    JsonInput in = JsonInput.of(ctx, FIELDS);
    if (in.has("name") && in.missing("name")) {
      in.error("name", "required", "'name' cannot be null");
    }
    read(in, null, id, actor.accountId());
    in.check();
    return service.updateTier(actor, id, before -> read(in, before, id, actor.accountId()));
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.deleteTier(Actor.of(ctx), Requests.pathId(ctx, "id", "Tier"));
  }

  private static Tier read(JsonInput in, Tier before, UUID id, UUID accountId) {
    String name = in.optionalString("name", 1, 100);
    Integer hour = in.optionalInteger("requests_per_hour", null, 0, 1_000_000_000);
    Integer day = in.optionalInteger("requests_per_day", null, 0, 1_000_000_000);
    Integer month = in.optionalInteger("requests_per_month", null, 0, 1_000_000_000);
    Integer maxChars = in.optionalInteger("max_reply_chars", null, 1, 100_000);
    List<String> categories = in.optionalStringList("allowed_categories", 100, 100);
    Integer priority = in.optionalInteger("priority", null, -1000, 1000);
    String overQuota = in.optionalString("over_quota_message", 1, 1600);
    return new Tier(
        id,
        accountId,
        name != null ? name : before == null ? null : before.name(),
        keep(in, "requests_per_hour", hour, before == null ? null : before.requestsPerHour()),
        keep(in, "requests_per_day", day, before == null ? null : before.requestsPerDay()),
        keep(in, "requests_per_month", month, before == null ? null : before.requestsPerMonth()),
        keep(in, "max_reply_chars", maxChars, before == null ? null : before.maxReplyChars()),
        keep(
            in,
            "allowed_categories",
            categories,
            before == null ? null : before.allowedCategories()),
        priority != null ? priority : before == null ? 0 : before.priority(),
        overQuota != null
            ? overQuota
            : before == null ? DEFAULT_OVER_QUOTA : before.overQuotaMessage(),
        before == null ? null : before.createdAt(),
        before == null ? null : before.updatedAt());
  }

  /** PATCH semantics: a field given (even null) replaces; one not given keeps {@code before}. */
  private static <T> T keep(JsonInput in, String field, T given, T before) {
    return in.has(field) ? given : before;
  }
}
