package herald.platform.config;

import herald.platform.pacing.RetrySchedule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed, validating reads from one object of the merged configuration tree. The tree is the
 * built-in defaults ({@link ConfigLoader#DEFAULTS}) with the operator's file and environment over
 * them, so every key is present: a read of a key that is absent means the key has no default, which
 * is a programming error reported as such. Values coming from environment variables arrive as
 * strings, so numbers and booleans are also accepted in string form. Every failure is a {@link
 * ConfigException} naming the full key path.
 */
public final class ConfigNode {
  private static final long MAX_RETRY_DELAY_SECONDS = 30L * 86_400;

  private final JsonObject json;
  private final String path;

  public ConfigNode(JsonObject json, String path) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  /** The mapping under {@code key}; empty when absent (its keys then report missing defaults). */
  public ConfigNode child(String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(key(key), "must be a mapping of keys");
    }
    return new ConfigNode((JsonObject) value, key(key));
  }

  /** The full path of {@code key} under this node, as error messages and the docs name it. */
  public String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A non-blank string. */
  public String string(String key) {
    String value = optionalString(key);
    if (value == null) {
      throw new ConfigException(key(key), "must not be empty");
    }
    return value;
  }

  /** A string, or null when the value is null ({@code ~}) or blank. */
  public String optionalString(String key) {
    Object value = value(key);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new ConfigException(key(key), "must be a single value");
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  /** A YAML list, or a comma-separated string (as environment variables give it). */
  public List<String> list(String key) {
    Object value = value(key);
    if (value == null) {
      throw new ConfigException(key(key), "must be a list");
    }
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> out.add(String.valueOf(item).trim()));
    } else if (value instanceof JsonObject) {
      throw new ConfigException(key(key), "must be a list");
    } else {
      for (String part : value.toString().replace("[", "").replace("]", "").split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /**
   * A retry schedule: a list of whole seconds ({@code [5, 30, 120]}, or {@code 5,30,120} from the
   * environment), at least one, each from 0 to 30 days. Every retry setting is written this way.
   */
  public RetrySchedule retrySchedule(String key) {
    List<Duration> delays = new ArrayList<>();
    for (String part : list(key)) {
      long seconds;
      try {
        seconds = Long.parseLong(part);
      } catch (NumberFormatException e) {
        seconds = -1;
      }
      if (seconds < 0 || seconds > MAX_RETRY_DELAY_SECONDS) {
        throw new ConfigException(
            key(key),
            "must be a list of whole seconds from 0 to "
                + MAX_RETRY_DELAY_SECONDS
                + ", such as [5, 30, 120], got '"
                + part
                + "'");
      }
      delays.add(Duration.ofSeconds(seconds));
    }
    if (delays.isEmpty()) {
      throw new ConfigException(key(key), "needs at least one delay");
    }
    return new RetrySchedule(delays);
  }

  /** A whole number from {@code min} to {@code max}. */
  public int integer(String key, int min, int max) {
    String text = string(key);
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

  /** A decimal number from {@code min} to {@code max}. */
  public double decimal(String key, double min, double max) {
    String text = string(key);
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value >= min && value <= max)) {
      throw new ConfigException(
          key(key), "must be a number from " + min + " to " + max + ", got '" + text + "'");
    }
    return value;
  }

  /** {@code true}/{@code false} (also yes/no, on/off, 1/0). */
  public boolean bool(String key) {
    String text = string(key);
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(key(key), "must be true or false, got '" + text + "'");
    };
  }

  private Object value(String key) {
    if (!json.containsKey(key)) {
      throw new ConfigException(
          key(key), "has no value: it is missing from the built-in " + ConfigLoader.DEFAULTS);
    }
    return json.getValue(key);
  }
}
