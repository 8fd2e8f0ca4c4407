package herald.webhook;

import herald.audit.Actor;
import herald.event.EventCatalogue;
import herald.platform.config.WebhookConfig;
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
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/webhooks}: endpoints, their secrets, test sends and the event catalogue. The
 * secret is returned only by create and rotate-secret. Changes go through {@link EndpointService}.
 * The delivery log lives in {@link DeliveryRoutes}.
 */
public final class WebhookRoutes {
  private final Vertx vertx;
  private final EndpointStore endpoints;
  private final DeliveryLog deliveries;
  private final EndpointService service;

  public WebhookRoutes(Vertx vertx, Pool pool, WebhookConfig config) {
    this.vertx = vertx;
    this.endpoints = new EndpointStore(pool);
    this.deliveries = new DeliveryLog(pool);
    this.service = new EndpointService(vertx, pool, config, endpoints);
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
    return service
        .create(Actor.of(ctx), input)
        .map(saved -> saved.toJson().put("secret", saved.secret()));
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
    return service.update(Actor.of(ctx), id, input).map(Endpoint::toJson);
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.delete(Actor.of(ctx), Requests.pathId(ctx, "id", "Webhook"));
  }

  private Future<JsonObject> toggle(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    return service.toggle(Actor.of(ctx), id).map(Endpoint::toJson);
  }

  private Future<JsonObject> test(RoutingContext ctx) {
    return service.test(Actor.of(ctx), Requests.pathId(ctx, "id", "Webhook"));
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
    return service
        .rotate(Actor.of(ctx), id, secret)
        .map(
            saved ->
                new JsonObject()
                    .put("id", saved.id().toString())
                    .put("secret", saved.secret())
                    .put(
                        "previous_secret_expires_at",
                        saved.previousSecretUntil() == null
                            ? null
                            : saved.previousSecretUntil().toString()));
  }
}
