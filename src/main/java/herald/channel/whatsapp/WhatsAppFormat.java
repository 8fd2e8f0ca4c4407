package herald.channel.whatsapp;

import herald.channel.ContentFormat;
import herald.platform.http.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * WhatsApp content: a typed message object, {@code {"type": T, T: {...}}} with the Cloud API's
 * object for that type, or a plain {@code body} (a text message). The limits checked here are the
 * Cloud API's (text 4,096 characters, captions 1,024, 1 to 3 reply buttons of 20-character titles,
 * at most 10 list rows, ...), so a bad message is refused at the API with a field error instead of
 * failing later at Meta. Everything but templates is free-form: it may be sent only within 24 hours
 * of the contact's last inbound message.
 */
public final class WhatsAppFormat implements ContentFormat {
  /** The message types Herald sends. */
  public static final List<String> TYPES =
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
          "interactive",
          "template");

  static final Set<String> MEDIA = Set.of("image", "document", "audio", "video", "sticker");
  static final int MAX_TEXT = 4096;
  static final int MAX_CAPTION = 1024;

  @Override
  public String channel() {
    return WhatsApp.CHANNEL;
  }

  @Override
  public Duration serviceWindow() {
    return Duration.ofHours(24);
  }

  @Override
  public Prepared prepare(String body, JsonObject content, List<FieldError> errors) {
    if (content == null) {
      if (body == null || body.isBlank()) {
        errors.add(
            new FieldError(
                body == null ? "content" : "body",
                "required",
                "a WhatsApp message needs a 'content' object or a non-empty 'body'"));
        return null;
      }
      content =
          new JsonObject().put("type", "text").put("text", new JsonObject().put("body", body));
    } else if (body != null) {
      errors.add(
          new FieldError(
              "body", "conflict", "give either 'body' (a text message) or 'content', not both"));
      return null;
    }
    Check check = new Check(errors);
    String summary = check.content(content);
    if (summary == null || check.failed) {
      return null;
    }
    String type = content.getString("type");
    return new Prepared(summary, normalized(content), null, 1, !type.equals("template"));
  }

  /**
   * Renders the {@code text} of every text parameter of a template's components (the template
   * engine fills {@code {{first_name}}} and the like from the recipient's contact).
   */
  @Override
  public JsonObject renderTexts(
      JsonObject content, java.util.function.UnaryOperator<String> render) {
    if (!"template".equals(content.getString("type"))
        || !(content.getValue("template") instanceof JsonObject template)
        || !(template.getValue("components") instanceof JsonArray components)) {
      return content;
    }
    JsonObject copy = content.copy();
    for (Object component : copy.getJsonObject("template").getJsonArray("components")) {
      if (component instanceof JsonObject c && c.getValue("parameters") instanceof JsonArray ps) {
        for (Object parameter : ps) {
          if (parameter instanceof JsonObject p
              && "text".equals(p.getValue("type"))
              && p.getValue("text") instanceof String text) {
            p.put("text", render.apply(text));
          }
        }
      }
    }
    return copy;
  }

  /**
   * A campaign recipient's copy: template parameters rendered as {@link #renderTexts} does, and for
   * free-form content the text body or the media caption too; a text body that renders empty, or a
   * body or caption over the Cloud API's limit, refuses the copy.
   */
  @Override
  public Prepared personalize(
      JsonObject content,
      java.util.function.UnaryOperator<String> render,
      List<FieldError> errors) {
    String type = content.getString("type");
    if (type.equals("template")) {
      return new Prepared("", renderTexts(content, render), null, 1, false);
    }
    JsonObject copy = content.copy();
    String summary = "";
    if (copy.getValue(type) instanceof JsonObject object) {
      String key = type.equals("text") ? "body" : "caption";
      int max = type.equals("text") ? MAX_TEXT : MAX_CAPTION;
      if (object.getValue(key) instanceof String text) {
        String rendered = render.apply(text).strip();
        if (type.equals("text") && rendered.isEmpty()) {
          errors.add(new FieldError("content.text.body", "empty_message", "the text is empty"));
          return null;
        }
        if (rendered.length() > max) {
          errors.add(
              new FieldError(
                  "content." + type + "." + key,
                  "message_too_long",
                  "'" + key + "' may be at most " + max + " characters"));
          return null;
        }
        object.put(key, rendered);
        summary = rendered;
      }
    }
    return new Prepared(summary, copy, null, 1, true);
  }

  @Override
  public MediaRef mediaRef(JsonObject content) {
    String type = content.getString("type");
    if (MEDIA.contains(type)
        && content.getValue(type) instanceof JsonObject media
        && media.getValue("media_id") instanceof String ref) {
      return new MediaRef(java.util.UUID.fromString(ref), type);
    }
    return null;
  }

  @Override
  public JsonObject withProviderMedia(JsonObject content, String providerMediaId) {
    JsonObject copy = content.copy();
    JsonObject media = copy.getJsonObject(copy.getString("type"));
    media.put("id", providerMediaId);
    return copy;
  }

  /** The content with a template's language given as a bare code turned into an object. */
  private static JsonObject normalized(JsonObject content) {
    JsonObject copy = content.copy();
    if (copy.getValue("template") instanceof JsonObject template
        && template.getValue("language") instanceof String code) {
      template.put("language", new JsonObject().put("code", code));
    }
    return copy;
  }

  /** One content's checks; the first problem per field is recorded. */
  private static final class Check {
    private final List<FieldError> errors;
    boolean failed;

    Check(List<FieldError> errors) {
      this.errors = errors;
    }

    void error(String field, String code, String detail) {
      failed = true;
      errors.add(new FieldError(field, code, detail));
    }

    /** Validates the content; answers its text summary (possibly empty), or null. */
    String content(JsonObject content) {
      Object typeValue = content.getValue("type");
      if (!(typeValue instanceof String type) || !TYPES.contains(type)) {
        error(
            "content.type",
            typeValue == null ? "required" : "invalid_value",
            "'content.type' must be one of " + String.join(", ", TYPES));
        return null;
      }
      for (String key : content.fieldNames()) {
        if (!key.equals("type") && !key.equals(type)) {
          error(
              "content." + key,
              "unknown_field",
              "a " + type + " message holds only 'type' and '" + type + "'");
          return null;
        }
      }
      String path = "content." + type;
      if (type.equals("contacts")) {
        return contacts(content.getValue(type), path);
      }
      JsonObject object = object(content, type, path);
      if (object == null) {
        return null;
      }
      return switch (type) {
        case "text" -> text(object, path);
        case "location" -> location(object, path);
        case "reaction" -> reaction(object, path);
        case "interactive" -> interactive(object, path);
        case "template" -> template(object, path);
        default -> media(object, type, path);
      };
    }

    private JsonObject object(JsonObject parent, String key, String path) {
      Object value = parent.getValue(key);
      if (!(value instanceof JsonObject object)) {
        error(
            path, value == null ? "required" : "invalid_type", "'" + path + "' must be an object");
        return null;
      }
      return object;
    }

    private String string(JsonObject parent, String key, String path, int max, boolean required) {
      Object value = parent.getValue(key);
      String field = path + "." + key;
      if (value == null) {
        if (required) {
          error(field, "required", "'" + field + "' is required");
        }
        return null;
      }
      if (!(value instanceof String text) || (required && text.isBlank())) {
        error(field, "invalid_value", "'" + field + "' must be a non-empty string");
        return null;
      }
      if (text.length() > max) {
        error(field, "too_long", "'" + field + "' may be at most " + max + " characters");
        return null;
      }
      return text;
    }

    private String text(JsonObject text, String path) {
      String body = string(text, "body", path, MAX_TEXT, true);
      Object preview = text.getValue("preview_url");
      if (preview != null && !(preview instanceof Boolean)) {
        error(path + ".preview_url", "invalid_type", "'preview_url' must be a boolean");
      }
      return body;
    }

    private String media(JsonObject media, String type, String path) {
      boolean hasId = media.containsKey("id");
      boolean hasLink = media.containsKey("link");
      boolean hasMedia = media.containsKey("media_id");
      if ((hasId ? 1 : 0) + (hasLink ? 1 : 0) + (hasMedia ? 1 : 0) != 1) {
        error(
            path,
            "invalid_value",
            "'" + path + "' needs exactly one of 'media_id' (uploaded to Herald), 'id' or 'link'");
        return null;
      }
      if (hasMedia) {
        Object ref = media.getValue("media_id");
        if (!(ref instanceof String text) || herald.platform.database.Ids.parse(text) == null) {
          error(path + ".media_id", "invalid_value", "'media_id' is the id POST /media answered");
        }
      } else if (hasId) {
        string(media, "id", path, 128, true);
      } else {
        String link = string(media, "link", path, 2048, true);
        if (link != null && !isHttpUrl(link)) {
          error(path + ".link", "invalid_value", "'" + path + ".link' must be an http(s) URL");
        }
      }
      boolean captioned = !type.equals("audio") && !type.equals("sticker");
      if (media.containsKey("caption") && !captioned) {
        error(path + ".caption", "not_supported", type + " messages have no caption");
      }
      if (media.containsKey("filename") && !type.equals("document")) {
        error(path + ".filename", "not_supported", "only documents have a filename");
      }
      String caption = string(media, "caption", path, MAX_CAPTION, false);
      string(media, "filename", path, 240, false);
      return caption == null ? "" : caption;
    }

    private String location(JsonObject location, String path) {
      coordinate(location, "latitude", path, 90);
      coordinate(location, "longitude", path, 180);
      String name = string(location, "name", path, 1000, false);
      string(location, "address", path, 1000, false);
      return name == null ? "" : name;
    }

    private void coordinate(JsonObject location, String key, String path, double bound) {
      Object value = location.getValue(key);
      if (!(value instanceof Number n) || Math.abs(n.doubleValue()) > bound) {
        error(
            path + "." + key,
            value == null ? "required" : "invalid_value",
            "'" + path + "." + key + "' must be a number within ±" + (int) bound);
      }
    }

    private String contacts(Object value, String path) {
      if (!(value instanceof JsonArray contacts) || contacts.isEmpty() || contacts.size() > 5) {
        error(path, "invalid_value", "'" + path + "' must be an array of 1 to 5 contacts");
        return null;
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < contacts.size(); i++) {
        String itemPath = path + "[" + i + "]";
        if (!(contacts.getValue(i) instanceof JsonObject contact)) {
          error(itemPath, "invalid_type", "'" + itemPath + "' must be an object");
          return null;
        }
        JsonObject name = object(contact, "name", itemPath + ".name");
        if (name == null) {
          return null;
        }
        names.add(string(name, "formatted_name", itemPath + ".name", 512, true));
      }
      return failed ? null : String.join(", ", names);
    }

    private String reaction(JsonObject reaction, String path) {
      string(reaction, "message_id", path, 256, true);
      Object emoji = reaction.getValue("emoji");
      if (!(emoji instanceof String e) || e.codePointCount(0, e.length()) > 10) {
        error(
            path + ".emoji",
            emoji == null ? "required" : "invalid_value",
            "'" + path + ".emoji' must be one emoji (or empty to remove a reaction)");
        return null;
      }
      return e;
    }

    private String interactive(JsonObject interactive, String path) {
      Object kind = interactive.getValue("type");
      if (!"button".equals(kind) && !"list".equals(kind)) {
        error(path + ".type", "invalid_value", "'" + path + ".type' must be button or list");
        return null;
      }
      JsonObject body = object(interactive, "body", path + ".body");
      String text = body == null ? null : string(body, "text", path + ".body", 1024, true);
      if (interactive.getValue("footer") instanceof JsonObject footer) {
        string(footer, "text", path + ".footer", 60, true);
      }
      JsonObject action = object(interactive, "action", path + ".action");
      if (action == null) {
        return null;
      }
      String actionPath = path + ".action";
      if (kind.equals("button")) {
        if (!(action.getValue("buttons") instanceof JsonArray buttons)
            || buttons.isEmpty()
            || buttons.size() > 3) {
          error(actionPath + ".buttons", "invalid_value", "1 to 3 reply buttons");
          return null;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < buttons.size(); i++) {
          String buttonPath = actionPath + ".buttons[" + i + "]";
          JsonObject reply =
              buttons.getValue(i) instanceof JsonObject button
                  ? object(button, "reply", buttonPath + ".reply")
                  : null;
          if (reply == null) {
            error(
                buttonPath,
                "invalid_value",
                "a button is {\"type\":\"reply\",\"reply\":{id,title}}");
            return null;
          }
          String id = string(reply, "id", buttonPath + ".reply", 256, true);
          string(reply, "title", buttonPath + ".reply", 20, true);
          if (id != null && !ids.add(id)) {
            error(buttonPath + ".reply.id", "duplicate", "button ids must be unique");
          }
        }
      } else {
        string(action, "button", actionPath, 20, true);
        if (!(action.getValue("sections") instanceof JsonArray sections)
            || sections.isEmpty()
            || sections.size() > 10) {
          error(actionPath + ".sections", "invalid_value", "1 to 10 sections");
          return null;
        }
        int rows = 0;
        for (int s = 0; s < sections.size(); s++) {
          String sectionPath = actionPath + ".sections[" + s + "]";
          if (!(sections.getValue(s) instanceof JsonObject section)
              || !(section.getValue("rows") instanceof JsonArray sectionRows)
              || sectionRows.isEmpty()) {
            error(sectionPath, "invalid_value", "a section holds a non-empty 'rows' array");
            return null;
          }
          string(section, "title", sectionPath, 24, sections.size() > 1);
          for (int r = 0; r < sectionRows.size(); r++) {
            String rowPath = sectionPath + ".rows[" + r + "]";
            if (!(sectionRows.getValue(r) instanceof JsonObject row)) {
              error(rowPath, "invalid_type", "a row is an object");
              return null;
            }
            string(row, "id", rowPath, 200, true);
            string(row, "title", rowPath, 24, true);
            string(row, "description", rowPath, 72, false);
            rows++;
          }
        }
        if (rows > 10) {
          error(actionPath + ".sections", "too_many_items", "a list holds at most 10 rows");
        }
      }
      return text;
    }

    private String template(JsonObject template, String path) {
      string(template, "name", path, 512, true);
      Object language = template.getValue("language");
      if (language instanceof JsonObject object) {
        string(object, "code", path + ".language", 15, true);
      } else if (!(language instanceof String code) || code.isBlank()) {
        error(
            path + ".language",
            language == null ? "required" : "invalid_value",
            "'" + path + ".language' is a language code (en_US) or {\"code\": ...}");
      }
      Object components = template.getValue("components");
      if (components != null && !(components instanceof JsonArray)) {
        error(path + ".components", "invalid_type", "'components' must be an array");
      }
      return "";
    }
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
