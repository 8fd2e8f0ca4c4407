package herald.sender;

import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a sender's provider settings, per provider, and splits them into public settings and
 * secrets. Every problem becomes a field error named {@code settings.<key>}.
 */
final class SenderInput {
  static final Set<String> PROVIDERS = Set.of("smpp", "twilio", "android");

  /** Keys that are secrets: accepted on input, stored apart, never shown. */
  static final Set<String> SECRET_KEYS = Set.of("password", "auth_token", "device_key");

  private static final Map<String, Set<String>> KEYS =
      Map.of(
          "smpp",
              Set.of(
                  "host",
                  "port",
                  "system_id",
                  "password",
                  "system_type",
                  "service_type",
                  "priority_flag",
                  "source_addr",
                  "source_ton",
                  "source_npi",
                  "dest_ton",
                  "dest_npi",
                  "window",
                  "enquire_link_seconds"),
          "twilio", Set.of("account_sid", "auth_token", "from", "base_url"),
          "android", Set.of("device_url", "device_key", "phone_number"));
  private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-f]{32}");
  // SMPP 3.4 C-Octet Strings: the spec's sizes count the NUL (system_id 16 octets, password 9,
  // system_type 13, service_type 6). A real SMSC refuses longer ones; jsmpp will not even send
  // them.
  private static final int MAX_SYSTEM_ID = 15;
  private static final int MAX_PASSWORD = 8;
  private static final int MAX_SYSTEM_TYPE = 12;
  private static final int MAX_SERVICE_TYPE = 5;
  private static final Pattern SOURCE = Pattern.compile("\\+?[0-9]{3,15}|[A-Za-z0-9 ]{1,11}");

  private SenderInput() {}

  /** Public settings and secrets of a validated settings object. */
  record Split(JsonObject settings, JsonObject secrets) {}

  /**
   * Validates {@code given} for {@code provider}, merged over {@code current} (for PATCH; empty for
   * create). Returns null when there were errors (already recorded on {@code in}).
   */
  static Split read(JsonInput in, String provider, JsonObject given, Split current) {
    JsonObject merged = current.settings().copy().mergeIn(current.secrets());
    for (String key : given.fieldNames()) {
      if (!KEYS.get(provider).contains(key)) {
        in.error(
            "settings." + key,
            "unknown_field",
            "'" + key + "' is not a setting of " + provider + " senders");
      } else {
        merged.put(key, given.getValue(key));
      }
    }
    int before = in.errorCount();
    switch (provider) {
      case "smpp" -> smpp(in, merged);
      case "twilio" -> twilio(in, merged);
      default -> android(in, merged);
    }
    JsonObject settings = new JsonObject();
    JsonObject secrets = new JsonObject();
    merged.forEach(
        e -> (SECRET_KEYS.contains(e.getKey()) ? secrets : settings).put(e.getKey(), e.getValue()));
    return in.errorCount() > before ? null : new Split(settings, secrets);
  }

  private static void smpp(JsonInput in, JsonObject s) {
    requiredString(in, s, "host", 255);
    cOctetString(in, s, "system_id", MAX_SYSTEM_ID, true);
    cOctetString(in, s, "password", MAX_PASSWORD, true);
    cOctetString(in, s, "system_type", MAX_SYSTEM_TYPE, false);
    cOctetString(in, s, "service_type", MAX_SERVICE_TYPE, false);
    integer(in, s, "priority_flag", 0, 0, 3);
    String source = requiredString(in, s, "source_addr", 21);
    if (source != null && !SOURCE.matcher(source).matches()) {
      in.error(
          "settings.source_addr",
          "invalid_value",
          "source_addr must be a number or up to 11 letters and digits");
    }
    integer(in, s, "port", 2775, 1, 65535);
    boolean alphanumeric = source != null && !source.matches("\\+?[0-9]+");
    integer(in, s, "source_ton", alphanumeric ? 5 : 1, 0, 6);
    integer(in, s, "source_npi", alphanumeric ? 0 : 1, 0, 18);
    integer(in, s, "dest_ton", 1, 0, 6);
    integer(in, s, "dest_npi", 1, 0, 18);
    integer(in, s, "window", 10, 1, 1000);
    integer(in, s, "enquire_link_seconds", 30, 5, 3600);
  }

  private static void twilio(JsonInput in, JsonObject s) {
    String sid = requiredString(in, s, "account_sid", 34);
    if (sid != null && !ACCOUNT_SID.matcher(sid).matches()) {
      in.error(
          "settings.account_sid", "invalid_value", "account_sid is AC followed by 32 hex digits");
    }
    requiredString(in, s, "auth_token", 128);
    requiredString(in, s, "from", 32);
    url(in, s, "base_url", "https://api.twilio.com");
  }

  private static void android(JsonInput in, JsonObject s) {
    url(in, s, "device_url", null);
    requiredString(in, s, "device_key", 256);
    optionalString(in, s, "phone_number", 32);
  }

  private static String requiredString(JsonInput in, JsonObject s, String key, int max) {
    Object value = s.getValue(key);
    if (!(value instanceof String text) || text.isBlank() || text.length() > max) {
      in.error(
          "settings." + key,
          value == null ? "required" : "invalid_value",
          "settings." + key + " is required: a string of up to " + max + " characters");
      return null;
    }
    return text;
  }

  /**
   * An SMPP C-Octet String setting: up to {@code max} printable ASCII characters (0x20-0x7E), as
   * the protocol carries it. Optional ones may be absent or empty (the field is then sent empty).
   */
  private static void cOctetString(
      JsonInput in, JsonObject s, String key, int max, boolean required) {
    Object value = s.getValue(key);
    String field = "settings." + key;
    String rule = "up to " + max + " printable ASCII characters (SMPP 3.4 " + key + ")";
    if (value == null) {
      if (required) {
        in.error(field, "required", field + " is required: " + rule);
      }
    } else if (!(value instanceof String text) || (required && text.isBlank())) {
      in.error(field, "invalid_value", field + " must be a string of " + rule);
    } else if (text.length() > max) {
      in.error(
          field,
          "invalid_value",
          field + " is " + text.length() + " characters; SMPP 3.4 allows " + rule);
    } else if (!text.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
      in.error(field, "invalid_value", field + " must be " + rule);
    }
  }

  private static void optionalString(JsonInput in, JsonObject s, String key, int max) {
    Object value = s.getValue(key);
    if (value != null && (!(value instanceof String text) || text.length() > max)) {
      in.error(
          "settings." + key,
          "invalid_value",
          "settings." + key + " must be a string of up to " + max + " characters");
    }
  }

  private static void integer(
      JsonInput in, JsonObject s, String key, int defaultValue, int min, int max) {
    Object value = s.getValue(key);
    if (value == null) {
      s.put(key, defaultValue);
    } else if (!(value instanceof Integer i) || i < min || i > max) {
      in.error(
          "settings." + key,
          "invalid_value",
          "settings." + key + " must be a whole number from " + min + " to " + max);
    }
  }

  private static void url(JsonInput in, JsonObject s, String key, String defaultValue) {
    Object value = s.getValue(key);
    if (value == null && defaultValue != null) {
      s.put(key, defaultValue);
      return;
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
      in.error(
          "settings." + key,
          value == null ? "required" : "invalid_value",
          "settings." + key + " must be an http(s) URL");
    }
  }
}
