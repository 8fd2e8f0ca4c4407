package herald.compat.whatsappgateway;

import herald.compat.whatsappgateway.Gateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Seed 002's one webhook per session: a Herald webhook endpoint for the session's sender. */
final class Webhooks {
  private final Gateway gw;

  Webhooks(Gateway gw) {
    this.gw = gw;
  }

  void setWebhook(RoutingContext ctx) {
    gw.respond(
        ctx,
        Gateway.jsonObject(ctx)
            .compose(
                in -> {
                  String url = Gateway.required(in, "url");
                  return gw.sessionFromBody(ctx, in)
                      .compose(
                          s ->
                              endpoint(ctx, s.getString("id"))
                                  .compose(
                                      existing ->
                                          existing == null
                                              ? gw.call(
                                                  ctx,
                                                  HttpMethod.POST,
                                                  "/api/v1/webhooks",
                                                  new JsonObject()
                                                      .put(
                                                          "name",
                                                          "whatsapp-gateway session "
                                                              + s.getString("name"))
                                                      .put("url", url)
                                                      .put("events", new JsonArray().add("*"))
                                                      .put("sender_id", s.getString("id")))
                                              : gw.call(
                                                  ctx,
                                                  HttpMethod.PUT,
                                                  "/api/v1/webhooks/" + existing.getString("id"),
                                                  new JsonObject().put("url", url)))
                                  .map(
                                      e ->
                                          new Reply(
                                              200,
                                              Gateway.success(
                                                      "Webhook URL for session "
                                                          + s.getString("name")
                                                          + " set.")
                                                  .put("sessionId", s.getString("name"))
                                                  .put("url", e.getString("url")))));
                }));
  }

  void getWebhook(RoutingContext ctx) {
    String sessionId = ctx.queryParams().get("sessionId");
    gw.respond(
        ctx,
        gw.session(ctx, sessionId)
            .compose(s -> endpoint(ctx, s.getString("id")))
            .map(
                e ->
                    new Reply(
                        200,
                        new JsonObject()
                            .put("status", "success")
                            .put("sessionId", sessionId)
                            .put("url", e == null ? null : e.getString("url")))));
  }

  void deleteWebhook(RoutingContext ctx) {
    gw.respond(
        ctx,
        Gateway.jsonObject(ctx)
            .compose(
                in ->
                    gw.sessionFromBody(ctx, in)
                        .compose(
                            s ->
                                endpoint(ctx, s.getString("id"))
                                    .compose(
                                        e ->
                                            e == null
                                                ? Future.succeededFuture(new JsonObject())
                                                : gw.call(
                                                    ctx,
                                                    HttpMethod.DELETE,
                                                    "/api/v1/webhooks/" + e.getString("id"),
                                                    null))
                                    .map(
                                        x ->
                                            new Reply(
                                                200,
                                                Gateway.success(
                                                    "Webhook for session "
                                                        + s.getString("name")
                                                        + " removed."))))));
  }

  /** The webhook endpoint bound to a sender, or null. */
  Future<JsonObject> endpoint(RoutingContext ctx, String senderId) {
    return gw.all(ctx, "/api/v1/webhooks")
        .map(
            list ->
                list.stream()
                    .filter(e -> senderId.equals(e.getString("sender_id")))
                    .findFirst()
                    .orElse(null));
  }
}
