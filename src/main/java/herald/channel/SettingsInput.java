package herald.channel;

import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * A sender's settings being validated by its {@link ProviderType}: the given keys merged over the
 * current ones. Readers record each problem as a field error named {@code settings.<key>} on the
 * request's {@link JsonInput} and fill defaults into the merged settings, which are what is stored.
 */
public final class SettingsInput {
  private final JsonInput in;
  private final JsonObject merged;

  public SettingsInput(JsonInput in, JsonObject merged) {
    this.in = in;
    this.merged = merged;
  }

  /** The merged settings, defaults filled in by the readers so far. */
  public JsonObject values() {
    return merged;
  }

  /** Records a field error on {@code settings.<key>}. */
  public void error(String key, String code, String detail) {
    in.error("settings." + key, code, detail);
  }

  /** A required non-blank string of at most {@code max} characters, or null (error recorded). */
  public String requiredString(String key, int max) {
    Object value = merged.getValue(key);
    if (!(value instanceof String text) || text.isBlank() || text.length() > max) {
      error(
          key,
          value == null ? "required" : "invalid_value",
          "settings." + key + " is required: a string of up to " + max + " characters");
      return null;
    }
    return text;
  }

  /** An optional string of at most {@code max} characters, or null. */
  public String optionalString(String key, int max) {
    Object value = merged.getValue(key);
    if (value != null && (!(value instanceof String text) || text.length() > max)) {
      error(
          key,
          "invalid_value",
          "settings." + key + " must be a string of up to " + max + " characters");
      return null;
    }
    return (String) value;
  }

  /** A whole number in {@code [min, max]}, {@code defaultValue} (stored) when absent. */
  public int integer(String key, int defaultValue, int min, int max) {
    Object value = merged.getValue(key);
    if (value == null) {
      merged.put(key, defaultValue);
      return defaultValue;
    }
    if (!(value instanceof Integer i) || i < min || i > max) {
      error(
          key,
          "invalid_value",
          "settings." + key + " must be a whole number from " + min + " to " + max);
      return defaultValue;
    }
    return i;
  }

  /** An http(s) URL; {@code defaultValue} (stored) when absent, required when that is null. */
  public String url(String key, String defaultValue) {
    Object value = merged.getValue(key);
    if (value == null && defaultValue != null) {
      merged.put(key, defaultValue);
      return defaultValue;
    }
    boolean ok = false;
    if (value instanceof String text) {
      try {
        URI uri = URI.create(text);
        ok =
            ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && uri.getHost() != null;
      } catch (IllegalArgumentException e) {
        ok = false;
      }
    }
    if (!ok) {
      error(
          key,
          value == null ? "required" : "invalid_value",
          "settings." + key + " must be an http(s) URL");
      return null;
    }
    return (String) value;
  }
}
