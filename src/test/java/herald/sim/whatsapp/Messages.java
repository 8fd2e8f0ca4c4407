package herald.sim.whatsapp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Cloud API message bodies as the official OpenAPI document shows them. */
final class Messages {
  private Messages() {}

  static JsonObject envelope(String to, String type, Object object) {
    return new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put("to", to)
        .put("type", type)
        .put(type, object);
  }

  static JsonObject text(String to, String body) {
    return envelope(to, "text", new JsonObject().put("body", body).put("preview_url", false));
  }

  static JsonObject mediaById(String to, String type, String id) {
    return envelope(to, type, new JsonObject().put("id", id));
  }

  static JsonObject imageByLink(String to, String link, String caption) {
    return envelope(to, "image", new JsonObject().put("link", link).put("caption", caption));
  }

  static JsonObject document(String to, String id, String filename, String caption) {
    return envelope(
        to,
        "document",
        new JsonObject().put("id", id).put("filename", filename).put("caption", caption));
  }

  static JsonObject location(String to) {
    return envelope(
        to,
        "location",
        new JsonObject()
            .put("latitude", "37.758056")
            .put("longitude", "-122.425332")
            .put("name", "META HQ")
            .put("address", "1 Hacker Way, Menlo Park, CA 94025"));
  }

  static JsonObject contacts(String to) {
    JsonObject contact =
        new JsonObject()
            .put(
                "name",
                new JsonObject()
                    .put("formatted_name", "John Smith")
                    .put("first_name", "John")
                    .put("last_name", "Smith"))
            .put(
                "phones",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("phone", "+1 (650) 555-1234")
                            .put("type", "WORK")
                            .put("wa_id", "16505551234")))
            .put(
                "emails",
                new JsonArray()
                    .add(new JsonObject().put("email", "john@example.com").put("type", "WORK")));
    return envelope(to, "contacts", new JsonArray().add(contact));
  }

  static JsonObject reaction(String to, String messageId) {
    return envelope(
        to, "reaction", new JsonObject().put("message_id", messageId).put("emoji", "\uD83D\uDC4D"));
  }

  static JsonObject buttons(String to, int count) {
    JsonArray buttons = new JsonArray();
    for (int i = 1; i <= count; i++) {
      buttons.add(
          new JsonObject()
              .put("type", "reply")
              .put("reply", new JsonObject().put("id", "choice-" + i).put("title", "Choice " + i)));
    }
    return envelope(
        to,
        "interactive",
        new JsonObject()
            .put("type", "button")
            .put("body", new JsonObject().put("text", "Pick one"))
            .put("footer", new JsonObject().put("text", "Herald"))
            .put("action", new JsonObject().put("buttons", buttons)));
  }

  static JsonObject list(String to, int rows) {
    JsonArray rowArray = new JsonArray();
    for (int i = 1; i <= rows; i++) {
      rowArray.add(
          new JsonObject()
              .put("id", "row-" + i)
              .put("title", "Row " + i)
              .put("description", "Description " + i));
    }
    return envelope(
        to,
        "interactive",
        new JsonObject()
            .put("type", "list")
            .put("header", new JsonObject().put("type", "text").put("text", "Shipping"))
            .put("body", new JsonObject().put("text", "Choose a shipping option"))
            .put(
                "action",
                new JsonObject()
                    .put("button", "Options")
                    .put(
                        "sections",
                        new JsonArray()
                            .add(new JsonObject().put("title", "Speed").put("rows", rowArray)))));
  }

  /** A template message with {@code bodyParameters} text parameters in its body component. */
  static JsonObject template(String to, String name, String language, int bodyParameters) {
    JsonObject template =
        new JsonObject()
            .put("name", name)
            .put("language", new JsonObject().put("code", language).put("policy", "deterministic"));
    if (bodyParameters > 0) {
      JsonArray parameters = new JsonArray();
      for (int i = 1; i <= bodyParameters; i++) {
        parameters.add(new JsonObject().put("type", "text").put("text", "value " + i));
      }
      template.put(
          "components",
          new JsonArray().add(new JsonObject().put("type", "body").put("parameters", parameters)));
    }
    return envelope(to, "template", template);
  }
}
