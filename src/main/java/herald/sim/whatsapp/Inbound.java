package herald.sim.whatsapp;

import herald.sim.whatsapp.WhatsAppSimConfig.PhoneNumber;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code messages} webhook of a simulated inbound message from the control API's
 * request: {@code {"phone_number_id"?, "from", "name"?, "type", "<type>": {...}, "context"?:
 * {"id"}}}. Media types ({@code image}, {@code document}, {@code audio}, {@code video}, {@code
 * sticker}) take {@code {"mime_type"?, "caption"?, "filename"?, "data"?}} where {@code data} is the
 * file in base64 (a small sample file of the MIME type when absent); the file is stored so the
 * client can download it like any Cloud API media, and the webhook carries its {@code id}, {@code
 * mime_type} and {@code sha256}. Other types are passed on as given.
 */
final class Inbound {
  private Inbound() {}

  static final List<String> TYPES =
      List.of(
          "text",
          "image",
          "document",
          "audio",
          "video",
          "sticker",
          "location",
          "contacts",
          "reaction",
          "button",
          "interactive");

  private static final Map<String, String> DEFAULT_MIME =
      Map.of(
          "image", "image/jpeg",
          "document", "application/pdf",
          "audio", "audio/ogg",
          "video", "video/mp4",
          "sticker", "image/webp");

  /** What a simulated inbound message became. */
  record Built(String messageId, String waId, String mediaId, JsonObject payload) {}

  static Built build(
      JsonObject request, WhatsAppSimConfig config, MediaStore media, String messageId) {
    PhoneNumber phone =
        config.phoneNumber(request.getString("phone_number_id", config.phoneNumbers().get(0).id()));
    if (phone == null) {
      throw GraphError.invalidParameter("phone_number_id is not a phone number of this account.");
    }
    String from = string(request, "from");
    if (!from.matches("^[0-9]{5,15}$")) {
      throw GraphError.invalidParameter("from must be the sender's WhatsApp id (digits).");
    }
    String type = string(request, "type");
    if (!TYPES.contains(type)) {
      throw GraphError.invalidParameter("type must be one of " + TYPES + ".");
    }
    if (!(request.getValue(type) instanceof JsonObject) && !type.equals("contacts")) {
      throw GraphError.invalidParameter("The object " + type + " is required.");
    }
    JsonObject message =
        new JsonObject()
            .put("from", from)
            .put("id", messageId)
            .put("timestamp", Long.toString(Instant.now().getEpochSecond()))
            .put("type", type);
    if (request.getValue("context") instanceof JsonObject context) {
      message.put(
          "context",
          new JsonObject()
              .put("from", phone.displayPhoneNumber())
              .put("id", string(context, "id")));
    }
    String mediaId = null;
    if (DEFAULT_MIME.containsKey(type)) {
      JsonObject given = request.getJsonObject(type);
      String mime = given.getString("mime_type", DEFAULT_MIME.get(type));
      if (!type.equals(MediaTypes.kindOf(mime))) {
        throw GraphError.invalidParameter(mime + " is not a MIME type of " + type + " media.");
      }
      Buffer content;
      try {
        content =
            given.containsKey("data")
                ? Buffer.buffer(Base64.getDecoder().decode(given.getString("data")))
                : MediaTypes.sample(mime);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw GraphError.invalidParameter("data must be base64.");
      }
      MediaStore.Media stored = media.add(phone.id(), mime, content);
      mediaId = stored.id();
      JsonObject object =
          new JsonObject()
              .put("mime_type", mime)
              .put("sha256", stored.sha256Base64())
              .put("id", stored.id());
      for (String optional : List.of("caption", "filename")) {
        if (given.getValue(optional) instanceof String value) {
          object.put(optional, value);
        }
      }
      if (type.equals("document") && !object.containsKey("filename")) {
        object.put("filename", "document");
      }
      if (type.equals("sticker")) {
        object.put("animated", MediaTypes.isAnimatedWebp(content));
      }
      if (type.equals("audio")) {
        object.put("voice", given.getBoolean("voice", false));
      }
      message.put(type, object);
    } else {
      message.put(type, request.getValue(type));
    }
    String name = request.getString("name", "Simulated User");
    JsonObject value =
        new JsonObject()
            .put("messaging_product", "whatsapp")
            .put("metadata", Statuses.metadata(phone))
            .put(
                "contacts",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("profile", new JsonObject().put("name", name))
                            .put("wa_id", from)))
            .put("messages", new JsonArray().add(message));
    return new Built(
        messageId, phone.id() + "/" + from, mediaId, Statuses.envelope(config.wabaId(), value));
  }

  private static String string(JsonObject object, String key) {
    if (!(object.getValue(key) instanceof String value) || value.isBlank()) {
      throw GraphError.invalidParameter("The parameter " + key + " is required.");
    }
    return value;
  }
}
