package herald.message;

import herald.channel.registry.Channels;
import herald.phone.PhoneNumbers;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

/**
 * One item of a send request, validated on its own: a bad item is reported by index and does not
 * stop the others.
 */
final class SendRequest {
  static final Set<String> FIELDS =
      Set.of(
          "to",
          "body",
          "content",
          "sender_id",
          "channel",
          "scheduled_at",
          "metadata",
          "callback_url");

  /** Bound on any body before its channel's own limit is checked. */
  static final int MAX_BODY = 4096;

  static final int MAX_CONTENT_BYTES = 16 * 1024;
  static final int MAX_METADATA_BYTES = 4096;

  /**
   * A valid item, before its sender, its channel's content rules and the blacklist are checked.
   *
   * @param body the text, or null
   * @param content the typed content, or null
   * @param channel the channel the item names, or null (its sender's, or the default channel)
   */
  record Draft(
      int index,
      String to,
      String body,
      JsonObject content,
      String channel,
      UUID senderId,
      Instant scheduledAt,
      JsonObject metadata,
      String callbackUrl) {}

  /** Why an item was refused. */
  record ItemError(int index, String field, String code, String detail) {
    JsonObject toJson() {
      return new JsonObject()
          .put("index", index)
          .put("field", field)
          .put("code", code)
          .put("detail", detail);
    }
  }

  /** Either a draft or an error. */
  record Result(Draft draft, ItemError error) {}

  private SendRequest() {}

  static Result parse(int index, Object item, String defaultRegion) {
    if (!(item instanceof JsonObject json)) {
      return error(index, "", "invalid_type", "each message must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        return error(index, field, "unknown_field", "Unknown field '" + field + "'");
      }
    }
    herald.platform.http.FieldError nul = herald.platform.http.JsonInput.firstNul(json);
    if (nul != null) {
      return error(index, nul.field(), nul.code(), nul.detail());
    }
    if (!(json.getValue("to") instanceof String toText)) {
      return error(
          index,
          "to",
          json.getValue("to") == null ? "required" : "invalid_type",
          "'to' must be a phone number string");
    }
    PhoneNumbers.Parsed to = PhoneNumbers.parse(toText, defaultRegion);
    if (!to.ok()) {
      return error(index, "to", "invalid_number", to.error());
    }
    Object bodyValue = json.getValue("body");
    if (bodyValue != null && !(bodyValue instanceof String)) {
      return error(index, "body", "invalid_value", "'body' must be a non-empty string");
    }
    String body = (String) bodyValue;
    if (body != null && body.length() > MAX_BODY) {
      return error(index, "body", "too_long", "'body' may be at most " + MAX_BODY + " characters");
    }
    Object contentValue = json.getValue("content");
    if (contentValue != null
        && (!(contentValue instanceof JsonObject)
            || ((JsonObject) contentValue).encode().length() > MAX_CONTENT_BYTES)) {
      return error(
          index,
          "content",
          "invalid_value",
          "'content' must be an object of at most " + MAX_CONTENT_BYTES + " bytes");
    }
    Object channelValue = json.getValue("channel");
    String channel = channelValue instanceof String c ? c : null;
    if (channelValue != null && Channels.contentFormat(channel) == null) {
      return error(
          index,
          "channel",
          "unsupported_channel",
          "channel must be one of "
              + String.join(
                  ", ",
                  Channels.channels().stream()
                      .filter(name -> Channels.contentFormat(name) != null)
                      .toList()));
    }
    UUID senderId = null;
    if (json.getValue("sender_id") != null) {
      senderId =
          json.getValue("sender_id") instanceof String s
              ? herald.platform.database.Ids.parse(s)
              : null;
      if (senderId == null) {
        return error(index, "sender_id", "invalid_value", "'sender_id' must be a sender id");
      }
    }
    Instant scheduledAt = null;
    if (json.getValue("scheduled_at") != null) {
      try {
        scheduledAt =
            OffsetDateTime.parse(String.valueOf(json.getValue("scheduled_at"))).toInstant();
      } catch (DateTimeParseException e) {
        return error(
            index,
            "scheduled_at",
            "invalid_format",
            "'scheduled_at' must be an ISO-8601 timestamp");
      }
      if (!(json.getValue("scheduled_at") instanceof String)) {
        return error(index, "scheduled_at", "invalid_type", "'scheduled_at' must be a string");
      }
    }
    Object metadataValue = json.getValue("metadata");
    if (metadataValue != null
        && (!(metadataValue instanceof JsonObject)
            || ((JsonObject) metadataValue).encode().length() > MAX_METADATA_BYTES)) {
      return error(
          index,
          "metadata",
          "invalid_value",
          "'metadata' must be an object of at most " + MAX_METADATA_BYTES + " bytes");
    }
    String callback = null;
    if (json.getValue("callback_url") != null) {
      callback = json.getValue("callback_url") instanceof String s ? s : "";
      if (!isHttpUrl(callback)) {
        return error(
            index, "callback_url", "invalid_value", "'callback_url' must be an http(s) URL");
      }
    }
    return new Result(
        new Draft(
            index,
            to.e164(),
            body,
            (JsonObject) contentValue,
            channel,
            senderId,
            scheduledAt,
            (JsonObject) metadataValue,
            callback),
        null);
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && text.length() <= 2048;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Result error(int index, String field, String code, String detail) {
    return new Result(null, new ItemError(index, field, code, detail));
  }
}
