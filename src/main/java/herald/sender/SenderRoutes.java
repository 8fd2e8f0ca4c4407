package herald.sender;

import herald.audit.Actor;
import herald.channel.registry.Channels;
import herald.platform.bus.Addresses;
import herald.platform.database.Ids;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/senders}: the account's provider accounts and devices, with their pacing rate.
 * Credentials are accepted in {@code settings} and never returned. Deleting deactivates, keeping
 * the history of messages sent through it.
 */
public final class SenderRoutes {
  private static final Set<String> CREATE_FIELDS =
      Set.of("name", "channel", "provider", "settings", "rate_per_second", "is_default");
  private static final Set<String> PATCH_FIELDS =
      Set.of("name", "settings", "rate_per_second", "is_default", "is_active");

  private final Vertx vertx;
  private final SenderService service;
  private final SenderStore senders;

  public SenderRoutes(Vertx vertx, Pool pool, SenderStore senders) {
    this.vertx = vertx;
    this.service = new SenderService(vertx, pool);
    this.senders = senders;
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("senders:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("senders:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("senders:read")).respond(this::get);
    router.get("/:id/status").handler(Scoped.require("senders:read")).respond(this::status);
    router.patch("/:id").handler(Scoped.require("senders:write")).respond(this::update);
    router
        .delete("/:id")
        .handler(Scoped.require("senders:write"))
        .handler(Responses.noContent(this::deactivate));
    return router;
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, CREATE_FIELDS);
    String name = in.requiredString("name", 1, 200);
    String channel = in.optionalEnum("channel", Channels.channels());
    String provider = in.optionalString("provider", 1, 64);
    in.require(
        "provider",
        "'provider' is required: "
            + String.join(
                ", ", Channels.providers(channel == null ? Channels.DEFAULT_CHANNEL : channel)));
    Integer rate = in.optionalInteger("rate_per_second", null, 1, 100_000);
    in.require("rate_per_second", "'rate_per_second' is required");
    boolean isDefault = in.optionalBoolean("is_default", false);
    JsonObject given = in.optionalObject("settings");
    Channels.Split split =
        provider == null
            ? null
            : SenderInput.read(
                in,
                channel,
                provider,
                given == null ? new JsonObject() : given,
                Channels.Split.empty());
    in.check();
    Actor actor = Actor.of(ctx);
    Sender sender =
        new Sender(
            Ids.newId(),
            actor.accountId(),
            name,
            channel == null ? Channels.type(provider).channel() : channel, // the provider's own
            provider,
            split.settings(),
            split.secrets(),
            rate,
            isDefault,
            true,
            null,
            null);
    return service.create(actor, sender).map(Sender::toJson);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    return senders
        .list(Requests.principal(ctx).accountId(), page)
        .map(rows -> page.page(rows, Sender::id, Sender::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Sender");
    return senders
        .get(Requests.principal(ctx).accountId(), id)
        .map(sender -> Responses.found(sender, "Sender").toJson());
  }

  private Future<JsonObject> status(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Sender");
    return senders
        .get(Requests.principal(ctx).accountId(), id)
        .compose(
            sender -> {
              Responses.found(sender, "Sender");
              Future<JsonObject> live =
                  vertx
                      .eventBus()
                      .<JsonObject>request(
                          Addresses.laneStatus(id),
                          id.toString(),
                          new DeliveryOptions().setLocalOnly(true).setSendTimeout(2000))
                      .map(reply -> reply.body())
                      .otherwise(
                          err ->
                              err instanceof ReplyException r
                                      && r.failureType() == ReplyFailure.NO_HANDLERS
                                  ? new JsonObject().put("connection", "not_loaded")
                                  : new JsonObject()
                                      .put("connection", "unknown")
                                      .put("error", err.getMessage()));
              return Future.all(senders.traffic(id), live)
                  .map(
                      both ->
                          new JsonObject()
                              .put("id", id.toString())
                              .put("provider", sender.provider())
                              .put("is_active", sender.active())
                              .mergeIn(both.resultAt(0))
                              .mergeIn(both.resultAt(1)));
            });
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Sender");
    JsonInput in = JsonInput.of(ctx, PATCH_FIELDS);
    String name = in.optionalString("name", 1, 200);
    Integer rate = in.optionalInteger("rate_per_second", null, 1, 100_000);
    Boolean isDefault = in.optionalBoolean("is_default", null);
    Boolean active = in.optionalBoolean("is_active", null);
    JsonObject given = in.optionalObject("settings");
    in.check();
    return service
        .update(
            Actor.of(ctx),
            id,
            before -> {
              Channels.Split split =
                  given == null
                      ? new Channels.Split(before.settings(), before.secrets())
                      : SenderInput.read(
                          in,
                          before.channel(),
                          before.provider(),
                          given,
                          new Channels.Split(before.settings(), before.secrets()));
              in.check();
              return new Sender(
                  before.id(),
                  before.accountId(),
                  name != null ? name : before.name(),
                  before.channel(),
                  before.provider(),
                  split.settings(),
                  split.secrets(),
                  rate != null ? rate : before.ratePerSecond(),
                  isDefault != null ? isDefault : before.isDefault(),
                  active != null ? active : before.active(),
                  before.createdAt(),
                  before.updatedAt());
            })
        .map(Sender::toJson);
  }

  private Future<Void> deactivate(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Sender");
    return service.deactivate(Actor.of(ctx), id).mapEmpty();
  }
}
