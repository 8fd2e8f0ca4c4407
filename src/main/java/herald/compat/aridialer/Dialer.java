package herald.compat.aridialer;

import herald.compat.Loopback;
import herald.compat.aridialer.Envelope.Failure;
import herald.compat.aridialer.Envelope.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the seed 001 routes share: Herald's routes called over loopback with the caller's
 * credentials (a failure comes back in the seed's shape), cursor-paged lists walked to the seed's
 * pages, the JSON body and its allowed fields, and the caller's voice campaign of a path.
 */
final class Dialer {
  private static final int MAX_BODY = 16 * 1024 * 1024;
  private static final int WALK_LIMIT = 200;
  private static final int MAX_WALK_PAGES = 50;

  private final Loopback herald;

  Dialer(Vertx vertx) {
    this.herald = new Loopback(vertx);
  }

  /** A Herald route's JSON answer; a failure in the seed's shape otherwise. */
  Future<JsonObject> call(
      RoutingContext ctx, HttpMethod method, String path, Object body, Map<String, String> names) {
    return herald
        .json(ctx.request(), method, path, body)
        .compose(
            answer ->
                answer.ok()
                    ? Future.succeededFuture(answer.json())
                    : Future.failedFuture(Envelope.from(answer, names)));
  }

  Future<JsonObject> get(RoutingContext ctx, String path) {
    return call(ctx, HttpMethod.GET, path, null, Map.of());
  }

  /** Deletes (or revokes) what Herald's {@code path} names; the seed's reply says {@code done}. */
  Future<Reply> delete(RoutingContext ctx, String path, String done) {
    return call(ctx, HttpMethod.DELETE, path, null, Map.of()).map(x -> new Reply(200, done, null));
  }

  /** Every item of a cursor-paged Herald list (bounded: at most 10,000). */
  Future<List<JsonObject>> all(RoutingContext ctx, String path) {
    return walk(ctx, path, WALK_LIMIT, MAX_WALK_PAGES, null, new ArrayList<>(), false);
  }

  /** Page {@code n} of size {@code size} of a cursor-paged Herald list, following the cursor. */
  Future<List<JsonObject>> page(RoutingContext ctx, String path, Paging paging) {
    return walk(ctx, path, paging.perPage(), paging.page(), null, new ArrayList<>(), true);
  }

  private Future<List<JsonObject>> walk(
      RoutingContext ctx,
      String path,
      int limit,
      int pagesLeft,
      String cursor,
      List<JsonObject> out,
      boolean lastOnly) {
    String sep = path.contains("?") ? "&" : "?";
    String uri = path + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
    return get(ctx, uri)
        .compose(
            page -> {
              List<JsonObject> items = new ArrayList<>();
              page.getJsonArray("data", new JsonArray()).forEach(o -> items.add((JsonObject) o));
              if (lastOnly) {
                out.clear();
              }
              out.addAll(items);
              String next = page.getString("next_cursor");
              if (pagesLeft <= 1 || next == null) {
                if (lastOnly && pagesLeft > 1) {
                  out.clear(); // the page asked for is past the end
                }
                return Future.succeededFuture(out);
              }
              return walk(ctx, path, limit, pagesLeft - 1, next, out, lastOnly);
            });
  }

  static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  static Future<JsonObject> body(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      return Future.failedFuture(new Failure(400, "Content-Type must be application/json", null));
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > MAX_BODY) {
      return Future.failedFuture(new Failure(413, "The body is too large", null));
    }
    Future<io.vertx.core.buffer.Buffer> read = ctx.request().body();
    ctx.request().resume();
    return read.compose(
        b -> {
          try {
            Object parsed = b.length() == 0 ? new JsonObject() : b.toJsonValue();
            if (parsed instanceof JsonObject o) {
              return Future.succeededFuture(o);
            }
          } catch (DecodeException e) {
            // reported below
          }
          return Future.failedFuture(new Failure(400, "The body must be a JSON object", null));
        });
  }

  static void only(JsonObject in, Set<String> allowed) {
    JsonObject errors = new JsonObject();
    for (String f : in.fieldNames()) {
      if (!allowed.contains(f)) {
        errors.put(f, "Unknown field");
      }
    }
    if (!errors.isEmpty()) {
      throw new Failure(400, "Validation failed", errors);
    }
  }

  static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  /** The Herald campaign of the path: 404 unless it is the caller's voice campaign. */
  Future<JsonObject> campaign(RoutingContext ctx, String id) {
    return get(ctx, "/api/v1/campaigns/" + enc(id))
        .map(
            c -> {
              if (!"voice".equals(c.getString("channel"))) {
                throw new Failure(404, "Campaign not found", null);
              }
              return c;
            });
  }

  /** A 404 of Herald's (campaign or recipient) as the seed's message for the resource. */
  static Throwable notFound(Throwable err, String message) {
    return err instanceof Failure f && f.status == 404 ? new Failure(404, message, null) : err;
  }
}
