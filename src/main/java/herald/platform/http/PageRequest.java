package herald.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Cursor pagination over time-ordered ids, newest first. The cursor is opaque to clients (base64url
 * of the last id returned); a tampered or foreign cursor answers 400.
 *
 * @param limit page size, 1..200 (default 50)
 * @param after id to continue after, or null for the first page
 */
public record PageRequest(int limit, UUID after) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /** Reads {@code limit} and {@code cursor} from the query string. */
  public static PageRequest from(RoutingContext ctx) {
    int limit = DEFAULT_LIMIT;
    String limitText = ctx.queryParams().get("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiException.badRequest(
            "Invalid query parameter",
            List.of(
                new FieldError(
                    "limit",
                    "invalid_value",
                    "limit must be a whole number from 1 to " + MAX_LIMIT)));
      }
    }
    String cursor = ctx.queryParams().get("cursor");
    return new PageRequest(limit, cursor == null || cursor.isEmpty() ? null : decode(cursor));
  }

  private static UUID decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith("v1:")) {
        return UUID.fromString(text.substring(3));
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "Invalid query parameter",
        List.of(new FieldError("cursor", "invalid_cursor", "cursor is not one this API returned")));
  }

  static String encode(UUID id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("v1:" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The response page: {@code rows} were fetched with {@code limit + 1} so that a full page knows
   * whether more follow.
   */
  public <T> JsonObject page(List<T> rows, Function<T, UUID> id, Function<T, JsonObject> json) {
    boolean more = rows.size() > limit;
    List<T> shown = more ? rows.subList(0, limit) : rows;
    JsonArray data = new JsonArray();
    shown.forEach(row -> data.add(json.apply(row)));
    return new JsonObject()
        .put("data", data)
        .put("next_cursor", more ? encode(id.apply(shown.get(shown.size() - 1))) : null);
  }
}
