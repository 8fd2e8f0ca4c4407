package herald.compat.aridialer;

import herald.compat.aridialer.Envelope.Failure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The seed's {@code page} and {@code per_page} (1..200, default 20). */
record Paging(int page, int perPage) {
  static Paging from(RoutingContext ctx) {
    JsonObject errors = new JsonObject();
    int page = param(ctx, "page", 1, 10_000, 1, errors);
    int perPage = param(ctx, "per_page", 1, 200, 20, errors);
    if (!errors.isEmpty()) {
      throw new Failure(400, "Invalid query parameters", errors);
    }
    return new Paging(page, perPage);
  }

  private static int param(
      RoutingContext ctx, String name, int min, int max, int fallback, JsonObject errors) {
    String text = ctx.queryParams().get(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    if (text.matches("[0-9]{1,6}")) {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    }
    errors.put(name, name + " must be a whole number from " + min + " to " + max);
    return fallback;
  }

  <T> List<T> slice(List<T> all) {
    int from = Math.min(all.size(), (page - 1) * perPage);
    return all.subList(from, Math.min(all.size(), from + perPage));
  }

  JsonObject object(long total) {
    long pages = (total + perPage - 1) / perPage;
    long first = (long) (page - 1) * perPage;
    return new JsonObject()
        .put("total", total)
        .put("per_page", perPage)
        .put("current_page", page)
        .put("total_pages", pages)
        .put("from", total == 0 || first >= total ? 0 : first + 1)
        .put("to", total == 0 || first >= total ? 0 : Math.min(total, first + perPage));
  }
}
