package herald.compat.whatsappgateway;

import herald.compat.whatsappgateway.Gateway.Failure;
import herald.compat.whatsappgateway.Gateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** Seed 002's sessions: {@code whatsapp_cloud} senders named after them, and their QR answer. */
final class Sessions {
  private static final List<String> SESSION_SCOPES =
      List.of(
          "messages:send",
          "messages:read",
          "campaigns:read",
          "campaigns:write",
          "senders:read",
          "senders:write",
          "webhooks:read",
          "webhooks:write");

  private final Gateway gw;

  Sessions(Gateway gw) {
    this.gw = gw;
  }

  void createSession(RoutingContext ctx) {
    gw.respond(
        ctx,
        Gateway.jsonObject(ctx)
            .compose(
                in -> {
                  String sessionId = Gateway.required(in, "sessionId");
                  JsonObject settings = in.getJsonObject("settings");
                  return gw.sessionOrNull(ctx, sessionId)
                      .compose(
                          existing -> {
                            if (settings == null) {
                              return Future.failedFuture(Gateway.connectNumber(422, sessionId));
                            }
                            if (existing != null) {
                              return Future.failedFuture(
                                  new Failure(
                                      409,
                                      "Session " + sessionId + " already exists.",
                                      "sessionId"));
                            }
                            JsonObject sender =
                                new JsonObject()
                                    .put("name", sessionId)
                                    .put("provider", Gateway.PROVIDER)
                                    .put("settings", settings)
                                    // Meta's default throughput of a number (docs/whatsapp.md).
                                    .put("rate_per_second", 80);
                            for (String f : List.of("rate_per_second", "is_default")) {
                              if (in.containsKey(f)) {
                                sender.put(f, in.getValue(f));
                              }
                            }
                            return gw.call(ctx, HttpMethod.POST, "/api/v1/senders", sender);
                          })
                      .compose(
                          sender ->
                              gw.call(
                                      ctx,
                                      HttpMethod.POST,
                                      "/api/v1/api-keys",
                                      new JsonObject()
                                          .put("name", "whatsapp-gateway session " + sessionId)
                                          .put("scopes", new JsonArray(SESSION_SCOPES)))
                                  // No session without its token: take the sender back.
                                  .recover(
                                      err ->
                                          gw.answer(
                                                  ctx,
                                                  HttpMethod.DELETE,
                                                  "/api/v1/senders/" + sender.getString("id"),
                                                  null)
                                              .transform(x -> Future.failedFuture(err))))
                      .map(
                          key ->
                              new Reply(
                                  201,
                                  Gateway.success("Session " + sessionId + " created.")
                                      .put("sessionId", sessionId)
                                      .put("token", key.getString("key"))));
                }));
  }

  void listSessions(RoutingContext ctx) {
    gw.respond(
        ctx,
        gw.sessions(ctx)
            .compose(
                list -> {
                  List<Future<JsonObject>> views = new ArrayList<>();
                  for (JsonObject s : list) {
                    views.add(view(ctx, s));
                  }
                  return Future.all(views).map(all -> new Reply(200, new JsonArray(all.list())));
                }));
  }

  void getSession(RoutingContext ctx) {
    gw.respond(
        ctx,
        gw.session(ctx, ctx.pathParam("sessionId"))
            .compose(s -> view(ctx, s))
            .map(v -> new Reply(200, v)));
  }

  void qr(RoutingContext ctx) {
    Failure f = Gateway.connectNumber(422, ctx.pathParam("sessionId"));
    ctx.response()
        .setStatusCode(f.status)
        .putHeader("Content-Type", "application/problem+json")
        .end(
            new JsonObject()
                .put("type", "urn:herald:problem:qr-pairing-not-supported")
                .put("title", "QR pairing does not exist in the WhatsApp Cloud API")
                .put("status", f.status)
                .put("detail", f.getMessage())
                .put("instance", ctx.request().path())
                .encode());
  }

  void deleteSession(RoutingContext ctx) {
    String sessionId = ctx.pathParam("sessionId");
    gw.respond(
        ctx,
        gw.session(ctx, sessionId)
            .compose(
                s -> gw.call(ctx, HttpMethod.DELETE, "/api/v1/senders/" + s.getString("id"), null))
            .map(x -> new Reply(200, Gateway.success("Session " + sessionId + " deleted."))));
  }

  /** The gateway's view of a session: status from the sender's active flag and circuit. */
  Future<JsonObject> view(RoutingContext ctx, JsonObject sender) {
    String id = sender.getString("id");
    return gw.answer(ctx, HttpMethod.GET, "/api/v1/senders/" + id + "/status", null)
        .map(
            a -> {
              JsonObject status = a.ok() ? a.json() : new JsonObject();
              boolean open = "open".equals(status.getString("circuit"));
              boolean connected = sender.getBoolean("is_active", false) && !open;
              Object error = status.getValue("last_error");
              String number =
                  sender.getJsonObject("settings", new JsonObject()).getString("phone_number");
              String detail =
                  connected
                      ? "Connected to the WhatsApp Cloud API"
                          + (number == null ? "" : " as " + number)
                      : "Disconnected" + (error == null ? "." : ": " + error);
              return new JsonObject()
                  .put("sessionId", sender.getString("name"))
                  .put("status", connected ? "CONNECTED" : "DISCONNECTED")
                  .put("detail", detail)
                  .put("qr", null)
                  .put("token", null)
                  .put("senderId", id);
            });
  }
}
