package herald.contact;

import herald.phone.PhoneNumbers;
import herald.platform.database.Ids;
import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The fields of a contact as a client sends them, validated in one place for create and update.
 * Each value is null when the field was absent; {@link #has} tells an explicit null (clear it) from
 * an absent field on PATCH.
 */
record ContactInput(
    JsonInput in,
    String phoneNumber,
    String name,
    String firstName,
    String lastName,
    String email,
    String status,
    String timezone,
    String language,
    JsonObject customFields,
    List<UUID> groupIds,
    String tier) {

  static final Set<String> FIELDS =
      Set.of(
          "phone_number",
          "name",
          "first_name",
          "last_name",
          "email",
          "status",
          "timezone",
          "language",
          "custom_fields",
          "group_ids",
          "tier");

  static final Set<String> STATUSES = Set.of("active", "inactive");

  /** Keys of custom fields: also usable as {@code custom.<key>} filters and CSV columns. */
  static final Pattern CUSTOM_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");

  static final int MAX_CUSTOM_FIELDS = 50;
  static final int MAX_GROUPS = 100;

  static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
  static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  /**
   * Reads and validates every field; problems are collected on {@code in} for the caller's {@code
   * check()}. Phone numbers are normalised to E.164 with {@code defaultRegion} (may be null).
   */
  static ContactInput read(JsonInput in, String defaultRegion, boolean create) {
    String phone = null;
    int before = in.errorCount();
    String rawPhone =
        create
            ? in.requiredString("phone_number", 1, 64)
            : in.optionalString("phone_number", 1, 64);
    if (rawPhone != null) {
      PhoneNumbers.Parsed parsed = PhoneNumbers.parse(rawPhone, defaultRegion);
      if (parsed.ok()) {
        phone = parsed.e164();
      } else {
        in.error("phone_number", "invalid_phone_number", parsed.error());
      }
    } else if (!create && in.has("phone_number") && in.errorCount() == before) {
      in.error("phone_number", "required", "'phone_number' cannot be removed");
    }
    String name = in.optionalString("name", 1, 200);
    String firstName = in.optionalString("first_name", 1, 100);
    String lastName = in.optionalString("last_name", 1, 100);
    String email = in.optionalString("email", 3, 254);
    if (email != null && !isEmail(email)) {
      in.error("email", "invalid_format", "'email' must be an e-mail address");
    }
    before = in.errorCount();
    String status = in.optionalEnum("status", STATUSES);
    if (!create && in.has("status") && status == null && in.errorCount() == before) {
      in.error("status", "required", "'status' cannot be removed");
    }
    String timezone = in.optionalString("timezone", 1, 64);
    if (timezone != null && !ZONES.contains(timezone)) {
      in.error(
          "timezone", "invalid_value", "'timezone' must be an IANA time zone such as Europe/Paris");
    }
    String language = in.optionalString("language", 2, 35);
    if (language != null && !LANGUAGE.matcher(language).matches()) {
      in.error(
          "language", "invalid_value", "'language' must be a language tag such as fr or en-GB");
    }
    JsonObject custom = in.optionalObject("custom_fields");
    if (custom != null) {
      custom = customFields(in, custom);
    }
    List<UUID> groups = null;
    List<String> groupTexts = in.optionalStringList("group_ids", MAX_GROUPS, 64);
    if (groupTexts != null) {
      Set<UUID> ids = new LinkedHashSet<>();
      for (int i = 0; i < groupTexts.size(); i++) {
        UUID id = Ids.parse(groupTexts.get(i));
        if (id == null) {
          in.error("group_ids[" + i + "]", "not_found", "no such group: " + groupTexts.get(i));
        } else {
          ids.add(id);
        }
      }
      groups = new ArrayList<>(ids);
    }
    String tier = in.optionalString("tier", 1, 100);
    return new ContactInput(
        in, phone, name, firstName, lastName, email, status, timezone, language, custom, groups,
        tier);
  }

  /**
   * An e-mail address as far as we check one: 1 to 64 characters before the only {@code @}, a dot
   * with something on each side after it, no whitespace. (The regex {@code
   * [^@\s]{1,64}@[^@\s]+\.[^@\s]+}, written out: imports check a million of them.)
   */
  static boolean isEmail(String text) {
    int at = -1;
    boolean dotInDomain = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case ' ', '\t', '\n', '\u000B', '\f', '\r' -> {
          return false;
        }
        case '@' -> {
          if (at >= 0) {
            return false;
          }
          at = i;
        }
        case '.' -> {
          if (at >= 0 && i > at + 1 && i < text.length() - 1) {
            dotInDomain = true;
          }
        }
        default -> {}
      }
    }
    return at >= 1 && at <= 64 && dotInDomain;
  }

  /** Custom fields: up to 50 keys of letters, digits and underscores, with scalar values. */
  private static JsonObject customFields(JsonInput in, JsonObject custom) {
    if (custom.size() > MAX_CUSTOM_FIELDS) {
      in.error(
          "custom_fields",
          "too_many_items",
          "'custom_fields' may hold at most " + MAX_CUSTOM_FIELDS + " keys");
      return null;
    }
    for (String key : custom.fieldNames()) {
      Object value = custom.getValue(key);
      if (!CUSTOM_KEY.matcher(key).matches()) {
        in.error(
            "custom_fields." + key,
            "invalid_key",
            "custom field names are 1 to 64 letters, digits or underscores");
      } else if (!(value == null
          || value instanceof String
          || value instanceof Number
          || value instanceof Boolean)) {
        in.error(
            "custom_fields." + key,
            "invalid_type",
            "custom field values are strings, numbers, booleans or null");
      } else if (value instanceof String text && text.length() > 1000) {
        in.error(
            "custom_fields." + key, "invalid_length", "custom field values are at most 1000 long");
      }
    }
    return custom;
  }

  boolean has(String field) {
    return in.has(field);
  }
}
