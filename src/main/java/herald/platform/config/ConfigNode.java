package herald.platform.config;

import io.vertx.core.json.JsonObject;

/**
 * Typed, validating reads from one object of the merged configuration tree. Values coming from
 * environment variables arrive as strings, so numbers and booleans are also accepted in string
 * form. Every failure is a {@link ConfigException} naming the full key path.
 */
public final class ConfigNode {
  private final JsonObject json;
  private final String path;

  public ConfigNode(JsonObject json, String path) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  public ConfigNode child(String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(key(key), "must be a mapping of keys");
    }
    return new ConfigNode((JsonObject) value, key(key));
  }

  public String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A non-blank string, or the default when absent. */
  public String string(String key, String defaultValue) {
    String value = optionalString(key);
    return value == null ? defaultValue : value;
  }

  /** A string, or null when absent or blank. */
  public String optionalString(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject || value instanceof io.vertx.core.json.JsonArray) {
      throw new ConfigException(key(key), "must be a single value");
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  /**
   * A YAML list, or a comma-separated string (as environment variables give it); null when absent.
   */
  public java.util.List<String> list(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    if (value instanceof io.vertx.core.json.JsonArray array) {
      array.forEach(item -> out.add(String.valueOf(item).trim()));
    } else {
      for (String part : value.toString().replace("[", "").replace("]", "").split(",")) {
        out.add(part.trim());
      }
    }
    return out;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    String text = optionalString(key);
    if (text == null) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ConfigException(key(key), "must be a whole number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new ConfigException(
          key(key), "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public boolean bool(String key, boolean defaultValue) {
    String text = optionalString(key);
    if (text == null) {
      return defaultValue;
    }
    return switch (text.toLowerCase()) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(key(key), "must be true or false, got '" + text + "'");
    };
  }
}
