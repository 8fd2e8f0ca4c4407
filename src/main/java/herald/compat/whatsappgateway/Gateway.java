package herald.compat.whatsappgateway;

import herald.compat.Loopback;
import herald.compat.Loopback.Answer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the seed 002 routes share: Herald's routes called over loopback with the caller's
 * credentials, the gateway's replies and errors, the session (a {@code whatsapp_cloud} sender) a
 * request names, and the JSON or form body.
 */
final class Gateway {
  static final String PROVIDER = "whatsapp_cloud";
  private static final int JSON_LIMIT = 16 * 1024 * 1024;

  final Loopback herald;

  Gateway(Vertx vertx) {
    this.herald = new Loopback(vertx);
  }

  /** A reply in the gateway's shape. */
  record Reply(int status, Object body) {
    static Future<Answer> orFail(Answer a) {
      return a.ok() ? Future.succeededFuture(a) : Future.failedFuture(new HeraldFailure(a));
    }
  }

  /** An error the gateway answers as {@code {"status": "error", "message"}}. */
  static final class Failure extends RuntimeException {
    final int status;
    final String field;

    Failure(int status, String message, String field) {
      super(message, null, false, false);
      this.status = status;
      this.field = field;
    }
  }

  /** A Herald route's error, answered with its status and its problem under the gateway's shape. */
  static final class HeraldFailure extends RuntimeException {
    final Answer answer;

    HeraldFailure(Answer answer) {
      super("herald answered " + answer.status(), null, false, false);
      this.answer = answer;
    }
  }

  static Failure connectNumber(int status, String sessionId) {
    return new Failure(
        status,
        "WhatsApp sessions are business phone numbers of the WhatsApp Cloud API, which has no QR"
            + " pairing. Create the session with 'settings' {phone_number_id, waba_id,"
            + " access_token, app_secret, verify_token} from your Meta app's WhatsApp API Setup"
            + " page (see docs/whatsapp.md, \"Connecting a real number\")"
            + (sessionId == null ? "" : "; session: " + sessionId),
        "settings");
  }

  static JsonObject success(String message) {
    return new JsonObject().put("status", "success").put("message", message);
  }

  void respond(RoutingContext ctx, Future<Reply> reply) {
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

  static void error(RoutingContext ctx, Throwable cause) {
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

  static void passThrough(RoutingContext ctx, Future<Answer> answer) {
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

  Future<Answer> answer(RoutingContext ctx, HttpMethod method, String path, Object body) {
    return herald.json(ctx.request(), method, path, body);
  }

  /** Calls a Herald route and answers its JSON, or fails with its problem. */
  Future<JsonObject> call(RoutingContext ctx, HttpMethod method, String path, Object body) {
    return answer(ctx, method, path, body).compose(Reply::orFail).map(Answer::json);
  }

  /** Every item of a Herald list, page by page. */
  Future<List<JsonObject>> all(RoutingContext ctx, String path) {
    List<JsonObject> out = new ArrayList<>();
    return page(ctx, path, null, out).map(v -> out);
  }

  Future<Void> page(RoutingContext ctx, String path, String cursor, List<JsonObject> out) {
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
  Future<List<JsonObject>> sessions(RoutingContext ctx) {
    return all(ctx, "/api/v1/senders")
        .map(
            list ->
                list.stream()
                    .filter(s -> PROVIDER.equals(s.getString("provider")))
                    .filter(s -> s.getBoolean("is_active", false))
                    .toList());
  }

  Future<JsonObject> sessionOrNull(RoutingContext ctx, String sessionId) {
    return sessions(ctx)
        .map(
            list ->
                list.stream()
                    .filter(s -> sessionId.equals(s.getString("name")))
                    .findFirst()
                    .orElse(null));
  }

  Future<JsonObject> session(RoutingContext ctx, String sessionId) {
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

  Future<JsonObject> sessionFromBody(RoutingContext ctx, JsonObject in) {
    return session(ctx, in.getString("sessionId"));
  }

  /** The request's JSON body (object or array); 415 without a JSON content type, 400 if broken. */
  static Future<Object> jsonBody(RoutingContext ctx) {
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

  static Future<Object> jsonBodyOrEmpty(RoutingContext ctx) {
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

  static Future<Buffer> body(RoutingContext ctx) {
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

  /** The request's JSON body, which must be an object; failures as {@link #jsonBody}. */
  static Future<JsonObject> jsonObject(RoutingContext ctx) {
    return jsonBody(ctx).map(Gateway::asObject);
  }

  /** {@code field} of {@code in}; a 422 naming it when it is missing or blank. */
  static String required(JsonObject in, String field) {
    String value = in.getString(field);
    if (value == null || value.isBlank()) {
      throw new Failure(422, "'" + field + "' is required", field);
    }
    return value;
  }

  static JsonObject asObject(Object body) {
    if (body instanceof JsonObject o) {
      return o;
    }
    throw new Failure(422, "the body must be a JSON object", null);
  }

  /** The gateway's numbers are digits with the country code; Herald's are E.164. */
  static String phone(String number) {
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

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
