package herald.compat.whatsappgateway;

import herald.compat.whatsappgateway.Gateway.Failure;
import herald.compat.whatsappgateway.Gateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Seed 002's media upload, messages (V1 and the legacy JSON and form routes) and message deletion.
 */
final class Messages {
  private final Gateway gw;

  Messages(Gateway gw) {
    this.gw = gw;
  }

  void uploadMedia(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String sessionId = req.getParam("sessionId");
    Future<String> query =
        sessionId == null
            ? Future.succeededFuture("")
            : gw.session(ctx, sessionId).map(s -> "?sender_id=" + s.getString("id"));
    gw.respond(
        ctx,
        query
            .compose(q -> gw.herald.stream(req, HttpMethod.POST, "/api/v1/media" + q, req))
            .compose(Reply::orFail)
            .map(
                a -> {
                  String id = a.json().getString("id");
                  return new Reply(
                      201,
                      Gateway.success("File uploaded successfully.")
                          .put("mediaId", id)
                          .put("url", "/api/v1/media/" + id + "/content"));
                }));
  }

  void sendMessages(RoutingContext ctx) {
    String sessionId = ctx.queryParams().get("sessionId");
    gw.respond(
        ctx,
        Gateway.jsonBody(ctx)
            .compose(
                body ->
                    gw.session(ctx, sessionId)
                        .compose(
                            s -> {
                              boolean batch = body instanceof JsonArray;
                              JsonArray items =
                                  batch
                                      ? (JsonArray) body
                                      : new JsonArray().add(Gateway.asObject(body));
                              JsonArray out = new JsonArray();
                              for (int i = 0; i < items.size(); i++) {
                                Object item = items.getValue(i);
                                out.add(
                                    toHerald(
                                        item instanceof JsonObject o ? o : new JsonObject(),
                                        s.getString("id"),
                                        batch ? "[" + i + "]" : ""));
                              }
                              return gw.call(
                                      ctx,
                                      HttpMethod.POST,
                                      "/api/v1/messages",
                                      batch ? out : out.getJsonObject(0))
                                  .map(answer -> sent(answer, batch));
                            })));
  }

  /** One gateway message as a Herald message item on the session's sender. */
  static JsonObject toHerald(JsonObject in, String senderId, String at) {
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
            .put("to", Gateway.phone(in.getString("to")))
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

  static Reply sent(JsonObject answer, boolean batch) {
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
        Gateway.success(
                results.size() == 1 ? "Message sent." : results.size() + " messages processed.")
            .put("results", results);
    if (!batch && results.size() == 1) {
      out.put("messageId", results.getJsonObject(0).getString("messageId"));
    }
    return new Reply(200, out);
  }

  void deleteMessage(RoutingContext ctx) {
    gw.respond(
        ctx,
        Gateway.jsonObject(ctx)
            .compose(
                in -> {
                  String messageId = Gateway.required(in, "messageId");
                  return gw.sessionFromBody(ctx, in)
                      .compose(
                          s ->
                              gw.call(
                                  ctx,
                                  HttpMethod.DELETE,
                                  "/api/v1/messages/" + Gateway.encode(messageId),
                                  null))
                      .map(
                          m ->
                              new Reply(
                                  200,
                                  Gateway.success("Message " + messageId + " deleted.")
                                      .put("messageId", messageId)
                                      .put("messageStatus", m.getString("status"))));
                }));
  }

  void legacyJson(RoutingContext ctx) {
    gw.respond(
        ctx,
        Gateway.jsonObject(ctx)
            .compose(
                in -> {
                  return legacySend(
                      ctx,
                      in.getString("sessionId"),
                      in.getString("number"),
                      in.getString("message"));
                }));
  }

  void legacyForm(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.setExpectMultipart(true);
    Future<Void> ended = req.end();
    req.resume();
    gw.respond(
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

  Future<Reply> legacySend(RoutingContext ctx, String sessionId, String to, String text) {
    if (to == null || to.isBlank() || text == null) {
      return Future.failedFuture(
          new Failure(
              422,
              "the recipient's number and the message are required",
              to == null ? "number" : "message"));
    }
    return gw.session(ctx, sessionId)
        .compose(
            s ->
                gw.call(
                    ctx,
                    HttpMethod.POST,
                    "/api/v1/messages",
                    new JsonObject()
                        .put("to", Gateway.phone(to))
                        .put("sender_id", s.getString("id"))
                        .put(
                            "content",
                            new JsonObject()
                                .put("type", "text")
                                .put("text", new JsonObject().put("body", text)))))
        .map(m -> sent(m, false));
  }
}
