package herald.call.ivr;

import herald.platform.http.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of an IVR's menus (the body of {@code POST} and {@code PUT /api/v1/ivr}) into the
 * normalised definition a call carries: {@code {start, menus}} where each menu has its {@code
 * prompt} (a list of ARI media URIs), {@code timeout_seconds}, {@code max_retries}, optional {@code
 * retry_prompt} and {@code invalid_prompt}, {@code options} (DTMF key to action) and {@code
 * on_timeout} (the action once the retries are spent). Also validates an agent destination ({@code
 * {type, value}}), shared with {@code POST /api/v1/calls}.
 */
public final class IvrDefinition {
  /** Menus per IVR at most. */
  public static final int MAX_MENUS = 50;

  private static final Pattern MENU_ID = Pattern.compile("^[A-Za-z0-9_-]{1,40}$");
  private static final Pattern KEY = Pattern.compile("^[0-9*#]$");
  private static final Pattern MEDIA =
      Pattern.compile("^(sound|recording|number|digits|characters|tone):[^\\s,]{1,490}$");
  private static final Pattern EXTENSION = Pattern.compile("^[A-Za-z0-9_+*#.-]{1,80}$");
  private static final Pattern SIP = Pattern.compile("^[A-Za-z0-9_+.@:-]{1,120}$");
  private static final Set<String> MENU_FIELDS =
      Set.of(
          "prompt",
          "timeout_seconds",
          "max_retries",
          "retry_prompt",
          "invalid_prompt",
          "options",
          "on_timeout");
  private static final Set<String> ACTIONS = Set.of("menu", "agent", "webhook", "record", "hangup");

  private final List<FieldError> errors = new ArrayList<>();

  private IvrDefinition() {}

  /**
   * The normalised definition of {@code start} and {@code menus}, or null with {@code errors}
   * filled (field paths such as {@code menus.main.options.1.menu}).
   */
  public static JsonObject read(Object start, Object menus, List<FieldError> errors) {
    IvrDefinition d = new IvrDefinition();
    JsonObject result = d.definition(start, menus);
    errors.addAll(d.errors);
    return d.errors.isEmpty() ? result : null;
  }

  /**
   * A validated agent destination {@code {type, value, timeout_seconds}} read from {@code value}
   * (errors under {@code field}), or null.
   */
  public static JsonObject agent(Object value, String field, List<FieldError> errors) {
    IvrDefinition d = new IvrDefinition();
    JsonObject agent = d.agentOf(value, field);
    errors.addAll(d.errors);
    return agent;
  }

  private JsonObject definition(Object start, Object menusValue) {
    if (!(menusValue instanceof JsonObject menus) || menus.isEmpty()) {
      error("menus", "an object of menus by id, at least one");
      return null;
    }
    if (menus.size() > MAX_MENUS) {
      error("menus", "at most " + MAX_MENUS + " menus");
      return null;
    }
    if (!(start instanceof String startId) || !menus.containsKey(startId)) {
      error("start", "the id of the menu the call starts in, one of 'menus'");
    }
    JsonObject out = new JsonObject();
    for (String id : menus.fieldNames()) {
      String path = "menus." + id;
      if (!MENU_ID.matcher(id).matches()) {
        error(path, "a menu id is 1..40 letters, digits, '_' or '-'");
        continue;
      }
      out.put(id, menu(menus.getValue(id), path, menus));
    }
    return new JsonObject().put("start", start).put("menus", out);
  }

  private JsonObject menu(Object value, String path, JsonObject menus) {
    if (!(value instanceof JsonObject menu)) {
      error(path, "a menu is an object");
      return null;
    }
    for (String field : menu.fieldNames()) {
      if (!MENU_FIELDS.contains(field)) {
        errors.add(new FieldError(path + "." + field, "unknown_field", "not a menu field"));
      }
    }
    JsonObject out = new JsonObject();
    JsonArray prompt = prompt(menu.getValue("prompt"), path + ".prompt", true);
    out.put("prompt", prompt);
    out.put("timeout_seconds", integer(menu, "timeout_seconds", path, 5, 1, 60));
    out.put("max_retries", integer(menu, "max_retries", path, 2, 0, 10));
    if (menu.getValue("retry_prompt") != null) {
      out.put("retry_prompt", prompt(menu.getValue("retry_prompt"), path + ".retry_prompt", true));
    }
    if (menu.getValue("invalid_prompt") != null) {
      out.put(
          "invalid_prompt",
          prompt(menu.getValue("invalid_prompt"), path + ".invalid_prompt", true));
    }
    Object optionsValue = menu.getValue("options");
    JsonObject options = new JsonObject();
    if (!(optionsValue instanceof JsonObject given) || given.isEmpty()) {
      error(path + ".options", "an object of actions by DTMF key (0-9, * or #), at least one");
    } else {
      for (String key : given.fieldNames()) {
        String keyPath = path + ".options." + key;
        if (!KEY.matcher(key).matches()) {
          error(keyPath, "an option's key is one DTMF digit: 0-9, * or #");
          continue;
        }
        options.put(key, action(given.getValue(key), keyPath, menus));
      }
    }
    out.put("options", options);
    Object onTimeout = menu.getValue("on_timeout");
    out.put(
        "on_timeout",
        onTimeout == null
            ? new JsonObject().put("action", "hangup")
            : action(onTimeout, path + ".on_timeout", menus));
    return out;
  }

  private JsonObject action(Object value, String path, JsonObject menus) {
    if (!(value instanceof JsonObject given)) {
      error(path, "an action is an object with 'action': menu, agent, webhook, record or hangup");
      return null;
    }
    String action = given.getValue("action") instanceof String s ? s : null;
    if (action == null || !ACTIONS.contains(action)) {
      error(path + ".action", "one of menu, agent, webhook, record, hangup");
      return null;
    }
    JsonObject out = new JsonObject().put("action", action);
    Set<String> allowed =
        switch (action) {
          case "menu" -> Set.of("action", "menu");
          case "agent" -> Set.of("action", "agent");
          case "webhook" -> Set.of("action", "data", "menu", "prompt");
          case "record" -> Set.of("action", "prompt", "max_seconds", "beep");
          default -> Set.of("action", "prompt");
        };
    for (String field : given.fieldNames()) {
      if (!allowed.contains(field)) {
        errors.add(
            new FieldError(
                path + "." + field, "unknown_field", "not a field of a '" + action + "' action"));
      }
    }
    if (action.equals("menu") || (action.equals("webhook") && given.getValue("menu") != null)) {
      Object menu = given.getValue("menu");
      if (!(menu instanceof String id) || !menus.containsKey(id)) {
        error(path + ".menu", "the id of another menu of this IVR");
      } else {
        out.put("menu", id);
      }
    }
    if (action.equals("agent")) {
      out.put("agent", agentOf(given.getValue("agent"), path + ".agent"));
    }
    if (action.equals("webhook")) {
      Object data = given.getValue("data");
      if (data != null && !(data instanceof JsonObject)) {
        error(path + ".data", "an object delivered with the call.ivr_callback event");
      } else if (data != null && ((JsonObject) data).encode().length() > 4096) {
        error(path + ".data", "at most 4096 characters of JSON");
      } else {
        out.put("data", data == null ? new JsonObject() : data);
      }
    }
    if (action.equals("record")) {
      out.put("max_seconds", integer(given, "max_seconds", path, 60, 1, 600));
      Object beep = given.getValue("beep");
      if (beep != null && !(beep instanceof Boolean)) {
        error(path + ".beep", "true or false");
      }
      out.put("beep", beep instanceof Boolean b ? b : true);
    }
    if (!action.equals("menu") && !action.equals("agent") && given.getValue("prompt") != null) {
      out.put("prompt", prompt(given.getValue("prompt"), path + ".prompt", false));
    }
    return out;
  }

  private JsonObject agentOf(Object value, String path) {
    if (!(value instanceof JsonObject given)) {
      error(path, "an agent is {type: extension|queue|sip, value}");
      return null;
    }
    for (String field : given.fieldNames()) {
      if (!Set.of("type", "value", "timeout_seconds").contains(field)) {
        errors.add(new FieldError(path + "." + field, "unknown_field", "not an agent field"));
      }
    }
    String type = given.getValue("type") instanceof String s ? s : null;
    String target = given.getValue("value") instanceof String s ? s : null;
    if (type == null || !Set.of("extension", "queue", "sip").contains(type)) {
      error(path + ".type", "one of extension, queue, sip");
      return null;
    }
    Pattern pattern = type.equals("sip") ? SIP : EXTENSION;
    if (target == null || !pattern.matcher(target).matches()) {
      error(
          path + ".value",
          type.equals("sip")
              ? "a PJSIP endpoint (letters, digits and _+.@:-)"
              : "an extension or queue name (letters, digits and _+*#.-)");
      return null;
    }
    return new JsonObject()
        .put("type", type)
        .put("value", target)
        .put("timeout_seconds", integer(given, "timeout_seconds", path, 30, 5, 300));
  }

  private JsonArray prompt(Object value, String path, boolean required) {
    JsonArray uris = new JsonArray();
    if (value instanceof String s) {
      uris.add(s);
    } else if (value instanceof JsonArray list) {
      uris = list;
    } else if (value != null || required) {
      error(path, "an ARI media URI (sound:, recording:, digits:, ...) or a list of them");
      return null;
    }
    if (uris.isEmpty() && required) {
      error(path, "at least one media URI");
      return null;
    }
    if (uris.size() > 10) {
      error(path, "at most 10 media URIs");
      return null;
    }
    for (int i = 0; i < uris.size(); i++) {
      if (!(uris.getValue(i) instanceof String uri) || !MEDIA.matcher(uri).matches()) {
        error(
            path, "each prompt is an ARI media URI such as sound:main-menu or recording:greeting");
        return null;
      }
    }
    return uris;
  }

  private Integer integer(
      JsonObject object, String field, String path, int dflt, int min, int max) {
    Object value = object.getValue(field);
    if (value == null) {
      return dflt;
    }
    if (!(value instanceof Integer || value instanceof Long)
        || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      error(path + "." + field, "an integer in " + min + ".." + max);
      return dflt;
    }
    return ((Number) value).intValue();
  }

  private void error(String field, String detail) {
    errors.add(new FieldError(field, "invalid_value", detail));
  }
}
