package herald.channel.whatsapp.cloud;

import herald.channel.StatusUpdate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reading the {@code messages} field of Meta's {@code whatsapp_business_account} webhooks: the
 * status reports and the inbound messages of each change, grouped by the business phone number they
 * concern. Stateless.
 */
final class WebhookEvents {
  private static final Set<String> STATUSES = Set.of("sent", "delivered", "read", "failed");
  private static final Set<String> MEDIA = Set.of("image", "document", "audio", "video", "sticker");

  private WebhookEvents() {}

  /** One change: the phone-number id it concerns, its statuses and its inbound messages. */
  record Change(String phoneNumberId, List<StatusUpdate> statuses, List<Inbound> messages) {}

  /**
   * An inbound message.
   *
   * @param from the user's number in E.164 ({@code +} and the {@code wa_id})
   * @param text what the handler chain reads (text, caption, a button's title), never null
   * @param content {@code {"type": T, T: {...}, "context"?, "profile_name"?}}
   * @param mediaId the Cloud API media id of a media message, else null
   */
  record Inbound(String id, String from, String text, JsonObject content, String mediaId) {}

  /** The changes of a webhook body; those of other fields or without a phone number are skipped. */
  static List<Change> parse(JsonObject body) {
    List<Change> changes = new ArrayList<>();
    for (JsonObject entry : objects(body.getValue("entry"))) {
      for (JsonObject change : objects(entry.getValue("changes"))) {
        if (!"messages".equals(change.getValue("field"))
            || !(change.getValue("value") instanceof JsonObject value)
            || !(value.getValue("metadata") instanceof JsonObject metadata)
            || !(metadata.getValue("phone_number_id") instanceof String phoneNumberId)) {
          continue;
        }
        List<StatusUpdate> statuses = new ArrayList<>();
        for (JsonObject status : objects(value.getValue("statuses"))) {
          StatusUpdate update = status(status);
          if (update != null) {
            statuses.add(update);
          }
        }
        String profileName = profileName(value);
        List<Inbound> messages = new ArrayList<>();
        for (JsonObject message : objects(value.getValue("messages"))) {
          Inbound inbound = inbound(message, profileName);
          if (inbound != null) {
            messages.add(inbound);
          }
        }
        changes.add(new Change(phoneNumberId, statuses, messages));
      }
    }
    return changes;
  }

  static StatusUpdate status(JsonObject status) {
    String id = status.getString("id");
    String word = status.getValue("status") instanceof String s ? s : null;
    if (id == null || word == null || !STATUSES.contains(word)) {
      return null;
    }
    String code = null;
    String message = null;
    if (word.equals("failed")) {
      JsonObject error = objects(status.getValue("errors")).stream().findFirst().orElse(null);
      Integer number = error == null ? null : asInt(error.getValue("code"));
      code = number == null ? "whatsapp_failed" : CloudErrors.code(number);
      message =
          error == null
              ? "failed"
              : WhatsAppCloudProvider.details(error) + " (Cloud API error " + number + ")";
    }
    return new StatusUpdate(id, word, code, message, pricing(status));
  }

  private static JsonObject pricing(JsonObject status) {
    JsonObject pricing = status.getValue("pricing") instanceof JsonObject p ? p : null;
    JsonObject conversation = status.getValue("conversation") instanceof JsonObject c ? c : null;
    if (pricing == null && conversation == null) {
      return null;
    }
    JsonObject out = new JsonObject();
    if (pricing != null) {
      out.put("category", pricing.getValue("category"))
          .put("billable", pricing.getValue("billable"))
          .put("pricing_model", pricing.getValue("pricing_model"));
    }
    if (conversation != null) {
      out.put("conversation_id", conversation.getValue("id"));
      if (conversation.getValue("origin") instanceof JsonObject origin) {
        out.put("conversation_category", origin.getValue("type"));
      }
      Object raw = conversation.getValue("expiration_timestamp");
      Long expires = raw instanceof Number n ? n.longValue() : null;
      if (raw instanceof String text && text.matches("[0-9]{1,12}")) {
        expires = Long.parseLong(text);
      }
      if (expires != null) {
        out.put("conversation_expires_at", Instant.ofEpochSecond(expires).toString());
      }
    }
    return out;
  }

  private static Inbound inbound(JsonObject message, String profileName) {
    String id = message.getString("id");
    String from = message.getValue("from") instanceof String f ? f : null;
    String type = message.getValue("type") instanceof String t ? t : null;
    if (id == null || from == null || type == null) {
      return null;
    }
    JsonObject content = new JsonObject().put("type", type);
    Object payload = message.getValue(type);
    if (payload != null) {
      content.put(type, payload);
    }
    if (message.getValue("context") instanceof JsonObject context) {
      content.put("context", context);
    }
    if (profileName != null) {
      content.put("profile_name", profileName);
    }
    String text = "";
    String mediaId = null;
    if (payload instanceof JsonObject object) {
      text =
          switch (type) {
            case "text" -> object.getString("body", "");
            case "button" -> object.getString("text", "");
            case "reaction" -> object.getString("emoji", "");
            case "location" -> object.getString("name", "");
            case "interactive" -> replyTitle(object);
            default -> object.getValue("caption") instanceof String c ? c : "";
          };
      if (MEDIA.contains(type) && object.getValue("id") instanceof String m) {
        mediaId = m;
      }
    }
    String digits = from.startsWith("+") ? from.substring(1) : from;
    return new Inbound(id, "+" + digits, text, content, mediaId);
  }

  private static String replyTitle(JsonObject interactive) {
    for (String key : List.of("button_reply", "list_reply")) {
      if (interactive.getValue(key) instanceof JsonObject reply) {
        return reply.getString("title", "");
      }
    }
    return "";
  }

  private static String profileName(JsonObject value) {
    for (JsonObject contact : objects(value.getValue("contacts"))) {
      if (contact.getValue("profile") instanceof JsonObject profile
          && profile.getValue("name") instanceof String name) {
        return name;
      }
    }
    return null;
  }

  private static List<JsonObject> objects(Object value) {
    List<JsonObject> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof JsonObject object) {
          out.add(object);
        }
      }
    }
    return out;
  }

  private static Integer asInt(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
