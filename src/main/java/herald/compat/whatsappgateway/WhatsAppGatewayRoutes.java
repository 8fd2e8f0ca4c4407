package herald.compat.whatsappgateway;

import herald.compat.Loopback;
import herald.compat.Loopback.Answer;
import herald.platform.http.Uploads;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 002's WhatsApp Gateway API under {@code /compat/whatsapp-gateway}: its V1 routes at {@code
 * /api/v1/...} and its legacy routes at {@code /api/...}, so a client of the gateway changes only
 * its base URL. Each route parses the gateway's shape, calls the Herald route that does the work
 * (over loopback, with the caller's credentials) and renders the gateway's shape; it holds no state
 * and no rules of its own. A session is a {@code whatsapp_cloud} sender named after the session.
 */
public final class WhatsAppGatewayRoutes {
  public static final String PREFIX = "/compat/whatsapp-gateway";
  private static final String PROVIDER = "whatsapp_cloud";
  private static final int JSON_LIMIT = 16 * 1024 * 1024;
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

  private final Vertx vertx;
  private final Loopback herald;

  public WhatsAppGatewayRoutes(Vertx vertx) {
    this.vertx = vertx;
    this.herald = new Loopback(vertx);
  }

  /** The router to mount at {@value #PREFIX}. */
  public Router router() {
    Router r = Router.router(vertx);
    // Nothing of a body is read (or lost) until the route asks for it.
    r.route().handler(Uploads.hold());
    r.post("/api/v1/sessions").handler(this::createSession);
    r.get("/api/v1/sessions").handler(this::listSessions);
    r.get("/api/v1/sessions/:sessionId").handler(this::getSession);
    r.get("/api/v1/sessions/:sessionId/qr").handler(this::qr);
    r.get("/api/v1/qr").handler(this::qr);
    r.delete("/api/v1/sessions/:sessionId").handler(this::deleteSession);
    r.post("/api/v1/webhook").handler(this::setWebhook);
    r.get("/api/v1/webhook").handler(this::getWebhook);
    r.delete("/api/v1/webhook").handler(this::deleteWebhook);
    r.post("/api/v1/media").handler(this::uploadMedia);
    r.post("/api/v1/messages").handler(this::sendMessages);
    r.delete("/api/v1/message").handler(this::deleteMessage);
    r.get("/api/v1/campaigns/csv-template").handler(this::csvTemplate);
    r.post("/api/v1/campaigns/preview-csv").handler(this::previewCsv);
    r.post("/api/v1/campaigns").handler(this::createCampaign);
    r.get("/api/v1/campaigns").handler(this::listCampaigns);
    r.get("/api/v1/campaigns/:id/export").handler(this::exportCampaign);
    for (String action : List.of("send", "pause", "resume", "retry", "clone")) {
      r.post("/api/v1/campaigns/:id/" + action).handler(ctx -> campaignAction(ctx, action));
    }
    r.delete("/api/v1/campaigns/:id").handler(this::deleteCampaign);
    r.post("/api/send-message").handler(this::legacyJson);
    r.post("/api/message").handler(this::legacyForm);
    return r;
  }

  // ---- sessions -------------------------------------------------------------------------------

  private void createSession(RoutingContext ctx) {
    respond(
        ctx,
        jsonBody(ctx)
            .compose(
                body -> {
                  JsonObject in = asObject(body);
                  String sessionId = in.getString("sessionId");
                  if (sessionId == null || sessionId.isBlank()) {
                    return Future.failedFuture(
                        new Failure(422, "'sessionId' is required", "sessionId"));
                  }
                  JsonObject settings = in.getJsonObject("settings");
                  return sessionOrNull(ctx, sessionId)
                      .compose(
                          existing -> {
                            if (settings == null) {
                              return Future.failedFuture(connectNumber(422, sessionId));
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
                                    .put("provider", PROVIDER)
                                    .put("settings", settings)
                                    // Meta's default throughput of a number (docs/whatsapp.md).
                                    .put("rate_per_second", 80);
                            for (String f : List.of("rate_per_second", "is_default")) {
                              if (in.containsKey(f)) {
                                sender.put(f, in.getValue(f));
                              }
                            }
                            return call(ctx, HttpMethod.POST, "/api/v1/senders", sender);
                          })
                      .compose(
                          sender ->
                              call(
                                      ctx,
                                      HttpMethod.POST,
                                      "/api/v1/api-keys",
                                      new JsonObject()
                                          .put("name", "whatsapp-gateway session " + sessionId)
                                          .put("scopes", new JsonArray(SESSION_SCOPES)))
                                  // No session without its token: take the sender back.
                                  .recover(
                                      err ->
                                          answer(
                                                  ctx,
                                                  HttpMethod.DELETE,
                                                  "/api/v1/senders/" + sender.getString("id"),
                                                  null)
                                              .transform(x -> Future.failedFuture(err))))
                      .map(
                          key ->
                              new Reply(
                                  201,
                                  success("Session " + sessionId + " created.")
                                      .put("sessionId", sessionId)
                                      .put("token", key.getString("key"))));
                }));
  }

  private void listSessions(RoutingContext ctx) {
    respond(
        ctx,
        sessions(ctx)
            .compose(
                list -> {
                  List<Future<JsonObject>> views = new ArrayList<>();
                  for (JsonObject s : list) {
                    views.add(view(ctx, s));
                  }
                  return Future.all(views).map(all -> new Reply(200, new JsonArray(all.list())));
                }));
  }

  private void getSession(RoutingContext ctx) {
    respond(
        ctx,
        session(ctx, ctx.pathParam("sessionId"))
            .compose(s -> view(ctx, s))
            .map(v -> new Reply(200, v)));
  }

  private void qr(RoutingContext ctx) {
    Failure f = connectNumber(422, ctx.pathParam("sessionId"));
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

  private void deleteSession(RoutingContext ctx) {
    String sessionId = ctx.pathParam("sessionId");
    respond(
        ctx,
        session(ctx, sessionId)
            .compose(
                s -> call(ctx, HttpMethod.DELETE, "/api/v1/senders/" + s.getString("id"), null))
            .map(x -> new Reply(200, success("Session " + sessionId + " deleted."))));
  }

  /** The gateway's view of a session: status from the sender's active flag and circuit. */
  private Future<JsonObject> view(RoutingContext ctx, JsonObject sender) {
    String id = sender.getString("id");
    return answer(ctx, HttpMethod.GET, "/api/v1/senders/" + id + "/status", null)
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

  // ---- webhook --------------------------------------------------------------------------------

  private void setWebhook(RoutingContext ctx) {
    respond(
        ctx,
        jsonBody(ctx)
            .compose(
                body -> {
                  JsonObject in = asObject(body);
                  String url = in.getString("url");
                  if (url == null || url.isBlank()) {
                    return Future.failedFuture(new Failure(422, "'url' is required", "url"));
                  }
                  return sessionFromBody(ctx, in)
                      .compose(
                          s ->
                              endpoint(ctx, s.getString("id"))
                                  .compose(
                                      existing ->
                                          existing == null
                                              ? call(
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
                                              : call(
                                                  ctx,
                                                  HttpMethod.PUT,
                                                  "/api/v1/webhooks/" + existing.getString("id"),
                                                  new JsonObject().put("url", url)))
                                  .map(
                                      e ->
                                          new Reply(
                                              200,
                                              success(
                                                      "Webhook URL for session "
                                                          + s.getString("name")
                                                          + " set.")
                                                  .put("sessionId", s.getString("name"))
                                                  .put("url", e.getString("url")))));
                }));
  }

  private void getWebhook(RoutingContext ctx) {
    String sessionId = ctx.queryParams().get("sessionId");
    respond(
        ctx,
        session(ctx, sessionId)
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

  private void deleteWebhook(RoutingContext ctx) {
    respond(
        ctx,
        jsonBody(ctx)
            .compose(
                body ->
                    sessionFromBody(ctx, asObject(body))
                        .compose(
                            s ->
                                endpoint(ctx, s.getString("id"))
                                    .compose(
                                        e ->
                                            e == null
                                                ? Future.succeededFuture(new JsonObject())
                                                : call(
                                                    ctx,
                                                    HttpMethod.DELETE,
                                                    "/api/v1/webhooks/" + e.getString("id"),
                                                    null))
                                    .map(
                                        x ->
                                            new Reply(
                                                200,
                                                success(
                                                    "Webhook for session "
                                                        + s.getString("name")
                                                        + " removed."))))));
  }

  /** The webhook endpoint bound to a sender, or null. */
  private Future<JsonObject> endpoint(RoutingContext ctx, String senderId) {
    return all(ctx, "/api/v1/webhooks")
        .map(
            list ->
                list.stream()
                    .filter(e -> senderId.equals(e.getString("sender_id")))
                    .findFirst()
                    .orElse(null));
  }

  // ---- media and messages ---------------------------------------------------------------------

  private void uploadMedia(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String sessionId = req.getParam("sessionId");
    Future<String> query =
        sessionId == null
            ? Future.succeededFuture("")
            : session(ctx, sessionId).map(s -> "?sender_id=" + s.getString("id"));
    respond(
        ctx,
        query
            .compose(q -> herald.stream(req, HttpMethod.POST, "/api/v1/media" + q, req))
            .compose(Reply::orFail)
            .map(
                a -> {
                  String id = a.json().getString("id");
                  return new Reply(
                      201,
                      success("File uploaded successfully.")
                          .put("mediaId", id)
                          .put("url", "/api/v1/media/" + id + "/content"));
                }));
  }

  private void sendMessages(RoutingContext ctx) {
    String sessionId = ctx.queryParams().get("sessionId");
    respond(
        ctx,
        jsonBody(ctx)
            .compose(
                body ->
                    session(ctx, sessionId)
                        .compose(
                            s -> {
                              boolean batch = body instanceof JsonArray;
                              JsonArray items =
                                  batch ? (JsonArray) body : new JsonArray().add(asObject(body));
                              JsonArray out = new JsonArray();
                              for (int i = 0; i < items.size(); i++) {
                                Object item = items.getValue(i);
                                out.add(
                                    toHerald(
                                        item instanceof JsonObject o ? o : new JsonObject(),
                                        s.getString("id"),
                                        batch ? "[" + i + "]" : ""));
                              }
                              return call(
                                      ctx,
                                      HttpMethod.POST,
                                      "/api/v1/messages",
                                      batch ? out : out.getJsonObject(0))
                                  .map(answer -> sent(answer, batch));
                            })));
  }

  /** One gateway message as a Herald message item on the session's sender. */
  private static JsonObject toHerald(JsonObject in, String senderId, String at) {
    String type = in.getString("type");
    JsonObject content = new JsonObject().put("type", type);
    if (type != null && in.getValue(type) instanceof JsonObject typed) {
      JsonObject copy = typed.copy();
      if (!"text".equals(type)) {
        // The gateway's `id` is the id its upload answered, a Herald media id here; the
        // document's `mimetype` is the file's own, which the Cloud API takes from the upload.
        Object id = copy.remove("id");
        if (id != null) {
          copy.put("media_id", id);
        }
        copy.remove("mimetype");
      }
      content.put(type, copy);
    }
    JsonObject item =
        new JsonObject()
            .put("to", phone(in.getString("to")))
            .put("sender_id", senderId)
            .put("content", content);
    if ("group".equals(in.getString("recipient_type"))) {
      throw new Failure(
          422,
          "recipient_type 'group' is not supported: the WhatsApp Cloud API sends to individuals",
          at + "recipient_type");
    }
    return item;
  }

  private static Reply sent(JsonObject answer, boolean batch) {
    JsonArray results = new JsonArray();
    for (Object o : answer.getJsonArray("data", new JsonArray())) {
      JsonObject m = (JsonObject) o;
      results.add(
          new JsonObject()
              .put("status", "success")
              .put("to", m.getString("to"))
              .put("messageId", m.getString("id"))
              .put("messageStatus", m.getString("status")));
    }
    for (Object o : answer.getJsonArray("errors", new JsonArray())) {
      results.add(((JsonObject) o).copy().put("status", "error"));
    }
    JsonObject out =
        success(results.size() == 1 ? "Message sent." : results.size() + " messages processed.")
            .put("results", results);
    if (!batch && results.size() == 1) {
      out.put("messageId", results.getJsonObject(0).getString("messageId"));
    }
    return new Reply(200, out);
  }

  private void deleteMessage(RoutingContext ctx) {
    respond(
        ctx,
        jsonBody(ctx)
            .compose(
                body -> {
                  JsonObject in = asObject(body);
                  String messageId = in.getString("messageId");
                  if (messageId == null || messageId.isBlank()) {
                    return Future.failedFuture(
                        new Failure(422, "'messageId' is required", "messageId"));
                  }
                  return sessionFromBody(ctx, in)
                      .compose(
                          s ->
                              call(
                                  ctx,
                                  HttpMethod.DELETE,
                                  "/api/v1/messages/" + encode(messageId),
                                  null))
                      .map(
                          m ->
                              new Reply(
                                  200,
                                  success("Message " + messageId + " deleted.")
                                      .put("messageId", messageId)
                                      .put("messageStatus", m.getString("status"))));
                }));
  }

  // ---- campaigns ------------------------------------------------------------------------------

  private void createCampaign(RoutingContext ctx) {
    respond(
        ctx,
        jsonBody(ctx)
            .compose(
                body -> {
                  JsonObject in = asObject(body);
                  return session(ctx, in.getString("sessionId"))
                      .compose(
                          s -> {
                            JsonObject campaign =
                                new JsonObject()
                                    .put("name", in.getValue("name"))
                                    .put("channel", "whatsapp")
                                    .put("sender_ids", new JsonArray().add(s.getString("id")));
                            if (in.getValue("scheduledAt") != null) {
                              campaign.put("scheduled_at", in.getValue("scheduledAt"));
                            }
                            JsonObject message = in.getJsonObject("message", new JsonObject());
                            if ("template".equals(message.getString("type"))) {
                              campaign.put("content", message);
                            } else if ("text".equals(message.getString("type"))
                                && message.getValue("content") instanceof String text) {
                              campaign.put(
                                  "content",
                                  new JsonObject()
                                      .put("type", "text")
                                      .put("text", new JsonObject().put("body", text)));
                            } else if (in.containsKey("message")) {
                              campaign.put("message", in.getValue("message"));
                            }
                            if (in.containsKey("recipients")) {
                              campaign.put("recipients", in.getValue("recipients"));
                            }
                            Object delay =
                                in.getJsonObject("settings", new JsonObject())
                                    .getValue("delayBetweenMessages");
                            if (delay != null) {
                              campaign.put("delay_between_messages_ms", delay);
                            }
                            return call(ctx, HttpMethod.POST, "/api/v1/campaigns", campaign);
                          })
                      .map(
                          c ->
                              new Reply(
                                  201, success("Campaign created.").put("campaign", campaign(c))));
                }));
  }

  private void listCampaigns(RoutingContext ctx) {
    respond(
        ctx,
        all(ctx, "/api/v1/campaigns")
            .compose(
                list -> {
                  List<Future<JsonObject>> views = new ArrayList<>();
                  for (JsonObject c : list) {
                    if ("whatsapp".equals(c.getString("channel"))) {
                      views.add(
                          call(
                                  ctx,
                                  HttpMethod.GET,
                                  "/api/v1/campaigns/" + c.getString("id") + "/stats",
                                  null)
                              .map(stats -> campaign(c.copy().put("stats", stats))));
                    }
                  }
                  return Future.all(views).map(all -> new Reply(200, new JsonArray(all.list())));
                }));
  }

  /** Herald's campaign in the gateway's list shape. */
  private static JsonObject campaign(JsonObject c) {
    JsonObject stats = c.getJsonObject("stats", new JsonObject());
    long total = stats.getLong("total", c.getLong("recipient_count", 0L));
    return new JsonObject()
        .put("id", c.getString("id"))
        .put("name", c.getString("name"))
        .put("status", c.getString("status"))
        .put("createdBy", c.getValue("created_by"))
        .put("createdAt", c.getValue("created_at"))
        .put("scheduledAt", c.getValue("scheduled_at"))
        .put("recipientCount", total)
        .put(
            "statistics",
            new JsonObject()
                .put("sent", stats.getLong("sent", 0L))
                .put("failed", stats.getLong("failed", 0L))
                .put("total", total));
  }

  private void campaignAction(RoutingContext ctx, String action) {
    String id = ctx.pathParam("id");
    String heraldAction = action.equals("send") ? "start" : action;
    respond(
        ctx,
        jsonBodyOrEmpty(ctx)
            .compose(
                body ->
                    call(
                        ctx,
                        HttpMethod.POST,
                        "/api/v1/campaigns/" + encode(id) + "/" + heraldAction,
                        body))
            .map(
                c ->
                    new Reply(
                        action.equals("clone") ? 201 : 200,
                        success("Campaign " + action + " done.").put("campaign", campaign(c)))));
  }

  private void deleteCampaign(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    respond(
        ctx,
        call(ctx, HttpMethod.DELETE, "/api/v1/campaigns/" + encode(id), null)
            .map(x -> new Reply(200, success("Campaign " + id + " deleted."))));
  }

  private void csvTemplate(RoutingContext ctx) {
    passThrough(
        ctx, herald.json(ctx.request(), HttpMethod.GET, "/api/v1/campaigns/csv-template", null));
  }

  private void exportCampaign(RoutingContext ctx) {
    passThrough(
        ctx,
        herald.json(
            ctx.request(),
            HttpMethod.GET,
            "/api/v1/campaigns/" + encode(ctx.pathParam("id")) + "/export",
            null));
  }

  private void previewCsv(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    respond(
        ctx,
        herald.stream(req, HttpMethod.POST, "/api/v1/campaigns/preview-csv?limit=100", req)
            .compose(Reply::orFail)
            .map(
                a -> {
                  JsonObject p = a.json();
                  JsonArray recipients = new JsonArray();
                  for (Object o : p.getJsonArray("recipients", new JsonArray())) {
                    JsonObject row = (JsonObject) o;
                    if (!row.getBoolean("valid", false)) {
                      continue;
                    }
                    JsonObject r = new JsonObject().put("number", row.getString("phone_number"));
                    row.getJsonObject("data", new JsonObject())
                        .forEach(e -> r.put(e.getKey(), e.getValue()));
                    recipients.add(r);
                  }
                  return new Reply(
                      200,
                      new JsonObject()
                          .put("success", true)
                          .put("recipients", recipients)
                          .put("errors", p.getJsonArray("errors", new JsonArray()))
                          .put("totalRows", p.getValue("total_rows"))
                          .put("validRows", p.getValue("valid_rows")));
                }));
  }

  // ---- legacy ---------------------------------------------------------------------------------

  private void legacyJson(RoutingContext ctx) {
    respond(
        ctx,
        jsonBody(ctx)
            .compose(
                body -> {
                  JsonObject in = asObject(body);
                  return legacySend(
                      ctx,
                      in.getString("sessionId"),
                      in.getString("number"),
                      in.getString("message"));
                }));
  }

  private void legacyForm(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.setExpectMultipart(true);
    Future<Void> ended = req.end();
    req.resume();
    respond(
        ctx,
        ended.compose(
            v -> {
              MultiMap form = req.formAttributes();
              String sessionId = form.get("sessionId");
              return legacySend(
                  ctx,
                  sessionId == null || sessionId.isBlank() ? "putra" : sessionId,
                  form.get("phone"),
                  form.get("message"));
            }));
  }

  private Future<Reply> legacySend(RoutingContext ctx, String sessionId, String to, String text) {
    if (to == null || to.isBlank() || text == null) {
      return Future.failedFuture(
          new Failure(
              422,
              "the recipient's number and the message are required",
              to == null ? "number" : "message"));
    }
    return session(ctx, sessionId)
        .compose(
            s ->
                call(
                    ctx,
                    HttpMethod.POST,
                    "/api/v1/messages",
                    new JsonObject()
                        .put("to", phone(to))
                        .put("sender_id", s.getString("id"))
                        .put(
                            "content",
                            new JsonObject()
                                .put("type", "text")
                                .put("text", new JsonObject().put("body", text)))))
        .map(m -> sent(m, false));
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** A reply in the gateway's shape. */
  private record Reply(int status, Object body) {
    static Future<Answer> orFail(Answer a) {
      return a.ok() ? Future.succeededFuture(a) : Future.failedFuture(new HeraldFailure(a));
    }
  }

  /** An error the gateway answers as {@code {"status": "error", "message"}}. */
  private static final class Failure extends RuntimeException {
    final int status;
    final String field;

    Failure(int status, String message, String field) {
      super(message, null, false, false);
      this.status = status;
      this.field = field;
    }
  }

  /** A Herald route's error, answered with its status and its problem under the gateway's shape. */
  private static final class HeraldFailure extends RuntimeException {
    final Answer answer;

    HeraldFailure(Answer answer) {
      super("herald answered " + answer.status(), null, false, false);
      this.answer = answer;
    }
  }

  private static Failure connectNumber(int status, String sessionId) {
    return new Failure(
        status,
        "WhatsApp sessions are business phone numbers of the WhatsApp Cloud API, which has no QR"
            + " pairing. Create the session with 'settings' {phone_number_id, waba_id,"
            + " access_token, app_secret, verify_token} from your Meta app's WhatsApp API Setup"
            + " page (see docs/whatsapp.md, \"Connecting a real number\")"
            + (sessionId == null ? "" : "; session: " + sessionId),
        "settings");
  }

  private static JsonObject success(String message) {
    return new JsonObject().put("status", "success").put("message", message);
  }

  private void respond(RoutingContext ctx, Future<Reply> reply) {
    reply.onComplete(
        ar -> {
          if (ctx.response().ended()) {
            return;
          }
          if (ar.succeeded()) {
            ctx.response()
                .setStatusCode(ar.result().status())
                .putHeader("Content-Type", "application/json")
                .end(Json.encode(ar.result().body()));
          } else {
            error(ctx, ar.cause());
          }
        });
  }

  private static void error(RoutingContext ctx, Throwable cause) {
    JsonObject out = new JsonObject().put("status", "error");
    int status;
    if (cause instanceof Failure f) {
      status = f.status;
      out.put("message", f.getMessage());
      if (f.field != null) {
        out.put(
            "errors",
            new JsonArray()
                .add(new JsonObject().put("field", f.field).put("detail", f.getMessage())));
      }
    } else if (cause instanceof HeraldFailure h) {
      status = h.answer.status();
      JsonObject problem = h.answer.json();
      String detail = problem.getString("detail", problem.getString("title", "request refused"));
      out.put("message", detail);
      for (String f : List.of("type", "title", "errors", "request_id")) {
        if (problem.containsKey(f)) {
          out.put(f, problem.getValue(f));
        }
      }
    } else {
      status = 502;
      out.put("message", "Herald could not serve the request: " + cause.getMessage());
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(out.encode());
  }

  private static void passThrough(RoutingContext ctx, Future<Answer> answer) {
    answer.onComplete(
        ar -> {
          if (ar.failed()) {
            error(ctx, ar.cause());
          } else if (!ar.result().ok()) {
            error(ctx, new HeraldFailure(ar.result()));
          } else {
            Answer a = ar.result();
            ctx.response().setStatusCode(a.status());
            if (a.contentType() != null) {
              ctx.response().putHeader("Content-Type", a.contentType());
            }
            ctx.response().end(a.body());
          }
        });
  }

  private Future<Answer> answer(RoutingContext ctx, HttpMethod method, String path, Object body) {
    return herald.json(ctx.request(), method, path, body);
  }

  /** Calls a Herald route and answers its JSON, or fails with its problem. */
  private Future<JsonObject> call(RoutingContext ctx, HttpMethod method, String path, Object body) {
    return answer(ctx, method, path, body).compose(Reply::orFail).map(Answer::json);
  }

  /** Every item of a Herald list, page by page. */
  private Future<List<JsonObject>> all(RoutingContext ctx, String path) {
    List<JsonObject> out = new ArrayList<>();
    return page(ctx, path, null, out).map(v -> out);
  }

  private Future<Void> page(RoutingContext ctx, String path, String cursor, List<JsonObject> out) {
    String uri = path + "?limit=200" + (cursor == null ? "" : "&cursor=" + encode(cursor));
    return call(ctx, HttpMethod.GET, uri, null)
        .compose(
            p -> {
              for (Object o : p.getJsonArray("data", new JsonArray())) {
                out.add((JsonObject) o);
              }
              String next = p.getString("next_cursor");
              return next == null || out.size() >= 10_000
                  ? Future.succeededFuture()
                  : page(ctx, path, next, out);
            });
  }

  /** The account's active WhatsApp Cloud API senders: its sessions. */
  private Future<List<JsonObject>> sessions(RoutingContext ctx) {
    return all(ctx, "/api/v1/senders")
        .map(
            list ->
                list.stream()
                    .filter(s -> PROVIDER.equals(s.getString("provider")))
                    .filter(s -> s.getBoolean("is_active", false))
                    .toList());
  }

  private Future<JsonObject> sessionOrNull(RoutingContext ctx, String sessionId) {
    return sessions(ctx)
        .map(
            list ->
                list.stream()
                    .filter(s -> sessionId.equals(s.getString("name")))
                    .findFirst()
                    .orElse(null));
  }

  private Future<JsonObject> session(RoutingContext ctx, String sessionId) {
    if (sessionId == null || sessionId.isBlank()) {
      return Future.failedFuture(new Failure(422, "'sessionId' is required", "sessionId"));
    }
    return sessionOrNull(ctx, sessionId)
        .compose(
            s ->
                s != null
                    ? Future.succeededFuture(s)
                    : Future.failedFuture(
                        new Failure(404, "Session " + sessionId + " not found.", "sessionId")));
  }

  private Future<JsonObject> sessionFromBody(RoutingContext ctx, JsonObject in) {
    return session(ctx, in.getString("sessionId"));
  }

  /** The request's JSON body (object or array); 415 without a JSON content type, 400 if broken. */
  private static Future<Object> jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      return Future.failedFuture(new Failure(415, "Content-Type must be application/json", null));
    }
    return body(ctx)
        .compose(
            b -> {
              String text = b.toString(StandardCharsets.UTF_8).strip();
              try {
                if (text.startsWith("{")) {
                  return Future.succeededFuture(new JsonObject(text));
                }
                if (text.startsWith("[")) {
                  return Future.succeededFuture(new JsonArray(text));
                }
                return Future.failedFuture(
                    new Failure(400, "the body must be a JSON object or array", null));
              } catch (DecodeException e) {
                return Future.failedFuture(new Failure(400, "the body is not valid JSON", null));
              }
            });
  }

  private static Future<Object> jsonBodyOrEmpty(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    String type = ctx.request().getHeader("Content-Type");
    boolean empty =
        "0".equals(length)
            || (length == null && ctx.request().getHeader("Transfer-Encoding") == null);
    if (type == null || empty) {
      // The seed's action calls carry no body; any sent without a JSON type is ignored.
      return body(ctx).map(b -> new JsonObject());
    }
    return jsonBody(ctx);
  }

  private static Future<Buffer> body(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length) > JSON_LIMIT) {
          return Future.failedFuture(new Failure(413, "the body is too large", null));
        }
      } catch (NumberFormatException e) {
        return Future.failedFuture(new Failure(400, "bad Content-Length", null));
      }
    }
    Future<Buffer> body = ctx.request().body();
    ctx.request().resume();
    return body;
  }

  private static JsonObject asObject(Object body) {
    if (body instanceof JsonObject o) {
      return o;
    }
    throw new Failure(422, "the body must be a JSON object", null);
  }

  /** The gateway's numbers are digits with the country code; Herald's are E.164. */
  private static String phone(String number) {
    if (number == null) {
      return null;
    }
    String n = number.trim();
    int at = n.indexOf('@');
    if (at > 0) {
      n = n.substring(0, at);
    }
    return n.matches("\\d{6,15}") ? "+" + n : n;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
