package herald.campaign;

import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.PageRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A page request over a campaign's recipients, in campaign order: {@code limit} (1..200, default
 * 50, as {@link PageRequest}), an opaque {@code cursor} (the last recipient's place, base64url),
 * and the {@code status} filter. A bad value answers 400.
 *
 * @param afterSeq the place to continue after, or null for the first page
 * @param status one of {@link RecipientResult#STATUSES}, or null for every recipient
 */
record RecipientPage(int limit, Long afterSeq, String status) {
  private static final String PREFIX = "r1:";

  static RecipientPage from(RoutingContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    int limit = PageRequest.DEFAULT_LIMIT;
    String limitText = ctx.queryParams().get("limit");
    if (limitText != null) {
      limit = limitText.matches("[0-9]{1,4}") ? Integer.parseInt(limitText) : -1;
      if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
        errors.add(
            new FieldError(
                "limit",
                "invalid_value",
                "limit must be a whole number from 1 to " + PageRequest.MAX_LIMIT));
      }
    }
    String cursor = ctx.queryParams().get("cursor");
    Long after = cursor == null || cursor.isEmpty() ? null : decode(cursor);
    if (cursor != null && !cursor.isEmpty() && after == null) {
      errors.add(new FieldError("cursor", "invalid_cursor", "cursor is not one this API returned"));
    }
    String status = ctx.queryParams().get("status");
    if (status != null && !RecipientResult.STATUSES.contains(status)) {
      errors.add(
          new FieldError(
              "status",
              "invalid_value",
              "status must be one of " + String.join(", ", RecipientResult.STATUSES)));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("Invalid query parameters", errors);
    }
    return new RecipientPage(limit, after, status);
  }

  private static Long decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      return text.startsWith(PREFIX) ? Long.valueOf(text.substring(PREFIX.length())) : null;
    } catch (IllegalArgumentException e) {
      return null; // not base64, or not a number (NumberFormatException is one)
    }
  }

  static String encode(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + seq).getBytes(StandardCharsets.UTF_8));
  }

  /** The response page of {@code rows}, fetched with {@code limit + 1} to know if more follow. */
  JsonObject page(List<RecipientResult> rows) {
    boolean more = rows.size() > limit;
    List<RecipientResult> shown = more ? rows.subList(0, limit) : rows;
    JsonArray data = new JsonArray();
    shown.forEach(r -> data.add(r.toJson()));
    return new JsonObject()
        .put("data", data)
        .put("next_cursor", more ? encode(shown.get(shown.size() - 1).seq()) : null);
  }
}
