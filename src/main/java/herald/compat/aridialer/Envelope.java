package herald.compat.aridialer;

import herald.compat.Loopback;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Seed 001's response envelope: {@code {success, code, message, data}} on success (with {@code
 * pagination: {total, per_page, current_page, total_pages, from, to}} on lists) and {@code
 * {success: false, code, message, errors}} on failure, where {@code errors} is field to message.
 * Herald's validation problems (422) answer 400 here, the seed's code for bad input; every other
 * status is Herald's own. Times are shown the seed's way, {@code YYYY-MM-DD HH:MM:SS} in UTC.
 */
final class Envelope {
  private static final DateTimeFormatter SEED_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Envelope() {}

  /** A success to render. */
  record Reply(int status, String message, Object data, JsonObject pagination) {
    Reply(int status, String message, Object data) {
      this(status, message, data, null);
    }
  }

  /** A failure to render in the seed's error shape. */
  static final class Failure extends RuntimeException {
    final int status;
    final JsonObject errors;

    Failure(int status, String message, JsonObject errors) {
      super(message, null, false, false);
      this.status = status;
      this.errors = errors == null ? new JsonObject() : errors;
    }

    static Failure field(int status, String message, String field, String detail) {
      return new Failure(status, message, new JsonObject().put(field, detail));
    }
  }

  static void send(RoutingContext ctx, Reply reply) {
    JsonObject body =
        new JsonObject()
            .put("success", true)
            .put("code", reply.status())
            .put("message", reply.message())
            .put("data", reply.data());
    if (reply.pagination() != null) {
      body.put("pagination", reply.pagination());
    }
    write(ctx, reply.status(), body);
  }

  static void fail(RoutingContext ctx, Throwable err) {
    Failure f =
        err instanceof Failure known
            ? known
            : new Failure(500, "Internal server error", new JsonObject());
    write(
        ctx,
        f.status,
        new JsonObject()
            .put("success", false)
            .put("code", f.status)
            .put("message", f.getMessage())
            .put("errors", f.errors));
  }

  private static void write(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /**
   * The failure of a Herald answer: its status (422 as 400), the problem's detail as the message,
   * and its field errors as field to message, each field renamed by the first matching prefix of
   * {@code names} (Herald's field names are the seed's otherwise).
   */
  static Failure from(Loopback.Answer answer, Map<String, String> names) {
    JsonObject problem = answer.json();
    int status = answer.status() == 422 ? 400 : answer.status();
    String message = problem.getString("detail", problem.getString("title", "Request failed"));
    JsonObject errors = new JsonObject();
    JsonArray list = problem.getJsonArray("errors", new JsonArray());
    for (Object o : list) {
      if (o instanceof JsonObject e) {
        String field = rename(e.getString("field", ""), names);
        String detail = e.getString("detail", e.getString("code"));
        errors.put(
            field, errors.containsKey(field) ? errors.getString(field) + "; " + detail : detail);
      }
    }
    if (status == 400 && !errors.isEmpty()) {
      message = "Validation failed";
    }
    return new Failure(status, message, errors);
  }

  private static String rename(String field, Map<String, String> names) {
    for (Map.Entry<String, String> e : names.entrySet()) {
      if (field.equals(e.getKey())
          || field.startsWith(e.getKey() + ".")
          || field.startsWith(e.getKey() + "[")) {
        return e.getValue();
      }
    }
    return field;
  }

  /**
   * An ISO-8601 instant of Herald's as the seed's {@code YYYY-MM-DD HH:MM:SS} (UTC); null stays.
   */
  static String time(String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return SEED_TIME.format(OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  /**
   * A time given the seed's way ({@code YYYY-MM-DD HH:MM:SS} or {@code YYYY-MM-DD}, UTC) or as
   * ISO-8601; {@code endOfDay} makes a bare date mean the start of the next day. Null when it is
   * none of these.
   */
  static Instant parseTime(String text, boolean endOfDay) {
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // not ISO with an offset
    }
    try {
      return LocalDateTime.parse(t, SEED_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // not the seed's date and time
    }
    try {
      LocalDate day = LocalDate.parse(t);
      return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
