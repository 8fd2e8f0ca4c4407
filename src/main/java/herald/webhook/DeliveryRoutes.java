package herald.webhook;

import herald.audit.Actor;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The delivery log of an endpoint, its stats, and replays: {@code
 * /api/v1/webhooks/{id}/deliveries}, {@code /stats}, {@code /deliveries/{delivery_id}/retry} and
 * {@code /recover?since=}. A replay keeps the delivery's webhook-id, so consumers that de-duplicate
 * see it as the same message.
 */
final class DeliveryRoutes {
  private final DeliveryLog deliveries;
  private final EndpointStore endpoints;

  DeliveryRoutes(DeliveryLog deliveries, EndpointStore endpoints) {
    this.deliveries = deliveries;
    this.endpoints = endpoints;
  }

  void mount(Router router) {
    router.get("/:id/deliveries").handler(Scoped.require("webhooks:read")).respond(this::list);
    router.get("/:id/stats").handler(Scoped.require("webhooks:read")).respond(this::stats);
    router
        .post("/:id/deliveries/:delivery_id/retry")
        .handler(Scoped.require("webhooks:write"))
        .handler(Responses.status(202, this::retry));
    router
        .post("/:id/recover")
        .handler(Scoped.require("webhooks:write"))
        .handler(Responses.status(202, this::recover));
  }

  /** The endpoint of the path, or 404 when it is not the caller's. */
  private Future<Endpoint> endpoint(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Webhook");
    return endpoints
        .get(Requests.principal(ctx).accountId(), id)
        .map(endpoint -> Responses.found(endpoint, "Webhook"));
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams query = new QueryParams(ctx);
    String eventType = query.string("event", 100);
    if (eventType == null) {
      eventType = query.string("event_type", 100);
    }
    Boolean success = query.bool("success");
    String status = query.string("status", 20);
    Instant since = query.instant("since");
    Instant until = query.instant("until");
    query.check();
    if (status != null && !List.of("pending", "succeeded", "failed").contains(status)) {
      throw ApiException.badRequest(
          "Invalid query parameter",
          List.of(
              new FieldError(
                  "status", "invalid_value", "status must be pending, succeeded or failed")));
    }
    if (success != null) {
      status = success ? "succeeded" : "failed";
    }
    DeliveryLog.Filter filter = new DeliveryLog.Filter(eventType, status, since, until);
    return endpoint(ctx)
        .compose(e -> deliveries.list(e.accountId(), e.id(), filter, page))
        .map(rows -> page.page(rows, Delivery::id, Delivery::toJson));
  }

  private Future<JsonObject> stats(RoutingContext ctx) {
    return endpoint(ctx)
        .compose(
            e ->
                deliveries
                    .stats(e.id())
                    .map(
                        stats ->
                            new JsonObject()
                                .put("webhook_id", e.id().toString())
                                .put("is_active", e.active())
                                .mergeIn(stats)));
  }

  private Future<JsonObject> retry(RoutingContext ctx) {
    UUID deliveryId = Requests.pathId(ctx, "delivery_id", "Delivery");
    Actor actor = Actor.of(ctx);
    return endpoint(ctx)
        .compose(
            e ->
                deliveries
                    .retry(actor.accountId(), e.id(), deliveryId)
                    .map(
                        reset -> {
                          Responses.found(reset, "Delivery");
                          if (!reset) {
                            throw ApiException.conflict(
                                "This delivery is still pending; it will be attempted on schedule");
                          }
                          return new JsonObject()
                              .put("id", deliveryId.toString())
                              .put("status", "pending");
                        }));
  }

  private Future<JsonObject> recover(RoutingContext ctx) {
    QueryParams query = new QueryParams(ctx);
    Instant since = query.instant("since");
    query.check();
    if (since == null) {
      throw ApiException.badRequest(
          "Missing query parameter",
          List.of(new FieldError("since", "required", "since is required: an ISO-8601 timestamp")));
    }
    Actor actor = Actor.of(ctx);
    return endpoint(ctx)
        .compose(e -> deliveries.recover(actor.accountId(), e.id(), since))
        .map(n -> new JsonObject().put("recovered", n).put("since", since.toString()));
  }
}
