package herald.sim.whatsapp;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /{WABA-ID}/message_templates}: the account's templates as Graph lists them ({@code
 * name, parameter_format, components, language, status, category, id}), filtered and paged with
 * Graph's {@code before}/{@code after} cursors.
 */
final class TemplateListing {
  private TemplateListing() {}

  /**
   * One page of templates.
   *
   * @param params the query: {@code name} (part of the name), {@code status}, {@code language},
   *     {@code limit} (1..1000, default 25), {@code after} or {@code before} (cursors)
   * @param self the absolute URL of the listing, for {@code paging.next} and {@code previous}
   */
  static JsonObject page(List<TemplateDefinition> templates, MultiMap params, String self) {
    String name = params.get("name");
    String status = params.get("status");
    String language = params.get("language");
    List<TemplateDefinition> matching =
        templates.stream()
            .filter(t -> name == null || t.name().contains(name))
            .filter(t -> status == null || t.status().equalsIgnoreCase(status))
            .filter(t -> language == null || t.language().equals(language))
            .toList();
    int limit = WhatsAppSimulator.intParam(params.get("limit"), 25, 1, 1000);
    int start = 0;
    int end;
    if (params.get("after") != null) {
      start = cursor(params.get("after")) + 1;
      end = Math.min(matching.size(), start + limit);
    } else if (params.get("before") != null) {
      end = cursor(params.get("before"));
      start = Math.max(0, end - limit);
    } else {
      end = Math.min(matching.size(), limit);
    }
    start = Math.min(Math.max(0, start), matching.size());
    end = Math.max(start, Math.min(end, matching.size()));
    JsonArray data = new JsonArray();
    matching.subList(start, end).forEach(t -> data.add(templateJson(t)));
    JsonObject answer = new JsonObject().put("data", data);
    if (!data.isEmpty()) {
      JsonObject paging =
          new JsonObject()
              .put(
                  "cursors",
                  new JsonObject().put("before", cursor(start)).put("after", cursor(end - 1)));
      String query = self + "?limit=" + limit + filters(name, status, language);
      if (end < matching.size()) {
        paging.put("next", query + "&after=" + cursor(end - 1));
      }
      if (start > 0) {
        paging.put("previous", query + "&before=" + cursor(start));
      }
      answer.put("paging", paging);
    }
    return answer;
  }

  private static String filters(String name, String status, String language) {
    StringBuilder query = new StringBuilder();
    Map<String, String> given = new LinkedHashMap<>();
    given.put("name", name);
    given.put("status", status);
    given.put("language", language);
    given.forEach(
        (k, v) -> {
          if (v != null) {
            query
                .append('&')
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return query.toString();
  }

  private static JsonObject templateJson(TemplateDefinition t) {
    JsonArray components = new JsonArray();
    if (t.headerParameters() == 1) {
      components.add(
          new JsonObject()
              .put("type", "HEADER")
              .put("format", "TEXT")
              .put("text", "Header {{1}}")
              .put("example", new JsonObject().put("header_text", new JsonArray().add("Example"))));
    }
    JsonObject body = new JsonObject().put("type", "BODY").put("text", t.bodyText());
    if (t.bodyParameters() > 0) {
      JsonArray example = new JsonArray();
      for (int i = 1; i <= t.bodyParameters(); i++) {
        example.add("Example " + i);
      }
      body.put("example", new JsonObject().put("body_text", new JsonArray().add(example)));
    }
    components.add(body);
    if (t.quickReplyButtons() > 0) {
      JsonArray buttons = new JsonArray();
      for (int i = 1; i <= t.quickReplyButtons(); i++) {
        buttons.add(new JsonObject().put("type", "QUICK_REPLY").put("text", "Option " + i));
      }
      components.add(new JsonObject().put("type", "BUTTONS").put("buttons", buttons));
    }
    return new JsonObject()
        .put("name", t.name())
        .put("parameter_format", "POSITIONAL")
        .put("components", components)
        .put("language", t.language())
        .put("status", t.status())
        .put("category", t.category())
        .put(
            "id",
            Long.toString(
                1_000_000_000_000_000L
                    + Math.floorMod((t.name() + "/" + t.language()).hashCode(), 1_000_000_000L)));
  }

  private static String cursor(int index) {
    return Base64.getEncoder()
        .encodeToString(Integer.toString(index).getBytes(StandardCharsets.US_ASCII));
  }

  private static int cursor(String value) {
    try {
      return Integer.parseInt(
          new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw GraphError.invalidParameter("Invalid cursor: " + value);
    }
  }
}
