package herald.sim.ari;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The parameters of one ARI request: the query string, then the fields of a JSON object body, which
 * Asterisk also reads as parameters (a body field wins over the query). {@code variables} stays an
 * object.
 */
final class Params {
  private final RoutingContext ctx;
  private final JsonObject body;

  private Params(RoutingContext ctx, JsonObject body) {
    this.ctx = ctx;
    this.body = body;
  }

  /** Reads the request; a body that is present but not a JSON object answers 400. */
  static Params of(RoutingContext ctx) {
    JsonObject body = new JsonObject();
    if (ctx.body() != null && ctx.body().length() > 0) {
      String text = ctx.body().asString().trim();
      if (!text.isEmpty()) {
        try {
          Object parsed = io.vertx.core.json.Json.decodeValue(text);
          if (!(parsed instanceof JsonObject object)) {
            throw AriError.badRequest("JSON body must be an object");
          }
          body = object;
        } catch (DecodeException e) {
          throw AriError.badRequest("Error parsing request body");
        }
      }
    }
    return new Params(ctx, body);
  }

  /** The value, or null when absent or empty. */
  String string(String name) {
    Object fromBody = body.getValue(name);
    String value =
        fromBody != null && !(fromBody instanceof JsonObject)
            ? String.valueOf(fromBody)
            : ctx.request().getParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** The value or {@code fallback}. */
  String string(String name, String fallback) {
    String value = string(name);
    return value == null ? fallback : value;
  }

  /**
   * An integer read as Asterisk's generated code does ({@code atoi}): leading digits, 0 when there
   * are none; {@code fallback} when absent.
   */
  int integer(String name, int fallback) {
    String value = string(name);
    if (value == null) {
      return fallback;
    }
    String s = value.trim();
    int end = (s.startsWith("-") || s.startsWith("+")) ? 1 : 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    try {
      return end == 0 || (end == 1 && !Character.isDigit(s.charAt(0)))
          ? 0
          : Integer.parseInt(s.substring(0, end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The {@code variables} object of the body (string values only, as Asterisk demands). */
  JsonObject variables() {
    Object raw = body.getValue("variables");
    if (raw == null) {
      return new JsonObject();
    }
    if (!(raw instanceof JsonObject vars)) {
      throw AriError.badRequest("Only string values in the 'variables' object allowed");
    }
    for (String key : vars.fieldNames()) {
      if (!(vars.getValue(key) instanceof String)) {
        throw AriError.badRequest("Only string values in the 'variables' object allowed");
      }
    }
    return vars;
  }
}
