package herald.webhook;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.event.EventCatalogue;
import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.config.WebhookConfig;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
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
import io.vertx.sqlclient.SqlClient;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /api/v1/webhooks}: endpoints, their secrets, test sends and the event catalogue. The
 * secret is returned only by create and rotate-secret. Every change is audited in its transaction;
 * dispatchers are told about it afterwards. The delivery log lives in {@link DeliveryRoutes}.
 */
public final class WebhookRoutes {
  private final Vertx vertx;
  private final Pool pool;
  private final WebhookConfig config;
  private final EndpointStore endpoints;
  private final DeliveryLog deliveries;
  private final Targets targets;

  public WebhookRoutes(Vertx vertx, Pool pool, WebhookConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.endpoints = new EndpointStore(pool);
    this.deliveries = new DeliveryLog(pool);
    this.targets = new Targets(vertx, config.allowPrivateTargets());
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .get("/events")
        .handler(Scoped.require("webhooks:read"))
        .respond(ctx -> Future.succeededFuture(EventCatalogue.toJson()));
    router
        .post("/")
        .handler(Scoped.require("webhooks:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("webhooks:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("webhooks:read")).respond(this::get);
    router.put("/:id").handler(Scoped.require("webhooks:write")).respond(this::update);
    router
        .delete("/:id")
        .handler(Scoped.require("webhooks:write"))
        .handler(Responses.noContent(this::delete));
    router.post("/:id/toggle").handler(Scoped.require("webhooks:write")).respond(this::toggle);
    router
        .post("/:id/test")
        .handler(Scoped.require("webhooks:write"))
        .handler(Responses.status(202, this::test));
    router
        .post("/:id/rotate-secret")
        .handler(Scoped.require("webhooks:write"))
        .respond(this::rotate);
    new DeliveryRoutes(deliveries, endpoints).mount(router);
    return router;
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, EndpointInput.CREATE_FIELDS);
    EndpointInput input = EndpointInput.read(in, true);
    in.check();
    Actor actor = Actor.of(ctx);
    Endpoint endpoint = input.create(Ids.newId(), actor.accountId(), config);
    return validateTarget(input, actor)
        .compose(
            v ->
                pool.withTransaction(
                    tx ->
                        EndpointStore.insert(tx, endpoint)
                            .compose(saved -> audit(tx, actor, "create", null, saved))))
        .map(saved -> changed(saved).toJson().put("secret", saved.secret()));
  }

  /** The SSRF check and the sender's tenancy: both async, both 422 on failure. */
  private Future<Void> validateTarget(EndpointInput input, Actor actor) {
    Future<String> target =
        input.url() == null ? Future.succeededFuture() : targets.check(input.url());
    Future<Boolean> sender =
        input.senderId() == null
            ? Future.succeededFuture(true)
            : endpoints.senderExists(actor.accountId(), input.senderId());
    return Future.all(target, sender)
        .compose(
            both -> {
              if (target.result() != null) {
                return Future.failedFuture(
                    ApiException.validation("url", "forbidden_target", target.result()));
              }
              if (!sender.result()) {
                return Future.failedFuture(
                    ApiException.validation(
                        "sender_id", "not_found", "sender_id is not one of your senders"));
              }
              return Future.succeededFuture();
            });
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    return endpoints
        .list(Requests.principal(ctx).accountId(), page)
        .map(rows -> page.page(rows, Endpoint::id, Endpoint::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    return endpoints
        .get(Requests.principal(ctx).accountId(), id)
        .compose(
            endpoint -> {
              Responses.found(endpoint, "Webhook");
              return deliveries
                  .latest(id, 10)
                  .map(
                      recent -> {
                        JsonArray list = new JsonArray();
                        recent.forEach(d -> list.add(d.toJson()));
                        return endpoint.toJson().put("recent_deliveries", list);
                      });
            });
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    JsonInput in = JsonInput.of(ctx, EndpointInput.UPDATE_FIELDS);
    EndpointInput input = EndpointInput.read(in, false);
    in.check();
    Actor actor = Actor.of(ctx);
    return endpoints
        .get(actor.accountId(), id)
        .compose(
            found -> {
              Responses.found(found, "Webhook");
              return validateTarget(input, actor);
            })
        .compose(v -> change(actor, id, "update", input::applyTo))
        .map(saved -> saved.toJson());
  }

  private Future<Void> delete(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
            tx ->
                EndpointStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Webhook");
                          return EndpointStore.delete(tx, actor.accountId(), id)
                              .compose(
                                  v ->
                                      AuditStore.record(
                                          tx,
                                          actor,
                                          "delete",
                                          "webhook",
                                          id,
                                          before.toJson(),
                                          null));
                        }))
        .onSuccess(v -> vertx.eventBus().publish(Addresses.WEBHOOKS_CHANGED, id.toString()));
  }

  private Future<JsonObject> toggle(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    Actor actor = Actor.of(ctx);
    return change(
            actor,
            id,
            "toggle",
            before ->
                before.active()
                    ? before.withActive(false, "disabled_by_user")
                    : before.withActive(true, null))
        .map(Endpoint::toJson);
  }

  private Future<JsonObject> test(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
        tx ->
            EndpointStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    endpoint -> {
                      Responses.found(endpoint, "Webhook");
                      if (!endpoint.active()) {
                        throw ApiException.conflict(
                            "This endpoint is disabled; enable it before sending a test");
                      }
                      return DeliveryStore.appendTest(tx, endpoint)
                          .compose(
                              eventId ->
                                  AuditStore.record(
                                          tx,
                                          actor,
                                          "test",
                                          "webhook",
                                          id,
                                          null,
                                          new JsonObject().put("event_id", eventId.toString()))
                                      .map(
                                          v ->
                                              new JsonObject()
                                                  .put("event_id", eventId.toString())
                                                  .put("type", EventType.WEBHOOK_TEST.type())
                                                  .put("webhook_id", id.toString())));
                    }));
  }

  private Future<JsonObject> rotate(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    String given = null;
    if (ctx.body() != null && ctx.body().length() > 0) {
      JsonInput in = JsonInput.of(ctx, Set.of("secret"));
      given = in.optionalString("secret", 1, 200);
      if (given != null && !Signatures.isValidSecret(given)) {
        in.error(
            "secret",
            "invalid_secret",
            "secret must be 'whsec_' followed by the base64 of 24 to 64 random bytes");
      }
      in.check();
    }
    String secret = given != null ? given : Signatures.newSecret();
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
            tx ->
                EndpointStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Webhook");
                          return EndpointStore.rotate(
                                  tx, before, secret, config.secretRotationOverlap())
                              .compose(saved -> audit(tx, actor, "rotate_secret", before, saved));
                        }))
        .map(
            saved ->
                new JsonObject()
                    .put("id", saved.id().toString())
                    .put("secret", changed(saved).secret())
                    .put(
                        "previous_secret_expires_at",
                        saved.previousSecretUntil() == null
                            ? null
                            : saved.previousSecretUntil().toString()));
  }

  /** Loads, changes and saves one endpoint in a transaction with its audit entry. */
  private Future<Endpoint> change(
      Actor actor, UUID id, String action, Function<Endpoint, Endpoint> edit) {
    return pool.withTransaction(
            tx ->
                EndpointStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Webhook");
                          return EndpointStore.update(tx, edit.apply(before))
                              .compose(saved -> audit(tx, actor, action, before, saved));
                        }))
        .map(this::changed);
  }

  private static Future<Endpoint> audit(
      SqlClient tx, Actor actor, String action, Endpoint before, Endpoint after) {
    return AuditStore.record(
            tx,
            actor,
            action,
            "webhook",
            after.id(),
            before == null ? null : before.toJson(),
            after.toJson())
        .map(after);
  }

  private Endpoint changed(Endpoint endpoint) {
    vertx.eventBus().publish(Addresses.WEBHOOKS_CHANGED, endpoint.id().toString());
    return endpoint;
  }
}
