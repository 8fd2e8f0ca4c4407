package herald.compat.smsaiagent;

import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Seed 004's page-number pagination ({@code page}, {@code page_size}; answers {@code count}, {@code
 * next}, {@code previous}, {@code results}) over Herald's cursor pages: page N is reached by
 * following the cursor N - 1 times, so no store needs an offset.
 */
record SeedPages(int page, int size) {
  static final int DEFAULT_SIZE = 20;

  /** A fetch of one cursor page (the store's list with {@code limit + 1} rows). */
  interface Fetch<T> {
    Future<List<T>> apply(PageRequest request);
  }

  static SeedPages from(RoutingContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    int page = number(ctx, "page", 1, 1, 10_000, errors);
    int size = number(ctx, "page_size", DEFAULT_SIZE, 1, PageRequest.MAX_LIMIT, errors);
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("Invalid query parameters", errors);
    }
    return new SeedPages(page, size);
  }

  private static int number(
      RoutingContext ctx, String name, int fallback, int min, int max, List<FieldError> errors) {
    String text = ctx.queryParams().get(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(
        new FieldError(
            name, "invalid_value", name + " must be a whole number from " + min + " to " + max));
    return fallback;
  }

  /** The rows of this page (at most {@code size}). */
  <T> Future<List<T>> rows(Fetch<T> fetch, Function<T, UUID> id) {
    return walk(fetch, id, 1, null);
  }

  private <T> Future<List<T>> walk(Fetch<T> fetch, Function<T, UUID> id, int at, UUID after) {
    return fetch
        .apply(new PageRequest(size, after))
        .compose(
            rows -> {
              boolean more = rows.size() > size;
              List<T> shown = more ? rows.subList(0, size) : rows;
              if (at == page) {
                return Future.succeededFuture(shown);
              }
              if (!more) {
                return Future.succeededFuture(List.of());
              }
              return walk(fetch, id, at + 1, id.apply(shown.get(shown.size() - 1)));
            });
  }

  /** The seed's envelope around {@code results}, with links to the neighbouring pages. */
  JsonObject envelope(RoutingContext ctx, long count, JsonArray results) {
    return new JsonObject()
        .put("count", count)
        .put("next", (long) page * size < count ? link(ctx, page + 1) : null)
        .put("previous", page > 1 ? link(ctx, page - 1) : null)
        .put("results", results);
  }

  private String link(RoutingContext ctx, int target) {
    String uri = ctx.request().absoluteURI();
    int q = uri.indexOf('?');
    StringBuilder out = new StringBuilder(q < 0 ? uri : uri.substring(0, q)).append('?');
    ctx.queryParams()
        .forEach(
            (name, value) -> {
              if (!name.equals("page")) {
                out.append(encode(name)).append('=').append(encode(value)).append('&');
              }
            });
    return out.append("page=").append(target).toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
