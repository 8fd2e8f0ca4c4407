package herald.platform.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A JSON request body read field by field. {@link #of} answers 415 for a non-JSON content type, 400
 * for an empty or malformed body or one that is not an object, and 422 for unknown fields and for a
 * NUL character ({@code \u0000}) anywhere in it (PostgreSQL stores no NUL in text or jsonb).
 * Accessors collect field errors instead of throwing, so the client gets every problem at once from
 * {@link #check()}. An explicit JSON {@code null} is the same as an absent field for every
 * accessor: a required field that is null is reported as {@code required}.
 */
public final class JsonInput {
  private final JsonObject json;
  private final List<FieldError> errors = new ArrayList<>();

  private JsonInput(JsonObject json) {
    this.json = json;
  }

  /** Parses the body of {@code ctx}; {@code allowed} lists every field the resource accepts. */
  public static JsonInput of(RoutingContext ctx, Set<String> allowed) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !isJson(type)) {
      throw ApiException.unsupportedMediaType("Expected Content-Type: application/json");
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("Request body is empty; a JSON object is expected");
    }
    Object parsed;
    try {
      parsed = body.toJsonValue();
    } catch (DecodeException e) {
      throw ApiException.badRequest("Request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw ApiException.badRequest("Request body must be a JSON object");
    }
    return of(object, allowed);
  }

  /**
   * Fields that came another way (a multipart form, the query string), read like a JSON body: 422
   * for unknown fields.
   */
  public static JsonInput of(JsonObject object, Set<String> allowed) {
    List<FieldError> unknown = new ArrayList<>();
    for (String field : object.fieldNames()) {
      if (!allowed.contains(field)) {
        unknown.add(new FieldError(field, "unknown_field", "Unknown field '" + field + "'"));
      }
    }
    nulFields(object, "", unknown);
    if (!unknown.isEmpty()) {
      throw ApiException.validation(unknown);
    }
    return new JsonInput(object);
  }

  /**
   * Adds an {@code invalid_character} error for every string (value or object key) under {@code
   * value} that holds a NUL character, named by its path ({@code metadata.key}, {@code tags[2]}).
   */
  public static void nulFields(Object value, String path, List<FieldError> out) {
    if (value instanceof String text) {
      if (text.indexOf('\u0000') >= 0) {
        out.add(nulError(path));
      }
    } else if (value instanceof JsonObject object) {
      for (var entry : object) {
        String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
        if (entry.getKey().indexOf('\u0000') >= 0) {
          out.add(nulError(child));
        } else {
          nulFields(entry.getValue(), child, out);
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        nulFields(array.getValue(i), path + "[" + i + "]", out);
      }
    }
  }

  /** The first field under {@code value} that holds a NUL character, or null when none does. */
  public static FieldError firstNul(Object value) {
    List<FieldError> found = new ArrayList<>();
    nulFields(value, "", found);
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Fails with 422 when a form field (its name or a value) holds a NUL character; {@code form} is a
   * decoded {@code application/x-www-form-urlencoded} or multipart form.
   */
  public static void checkForm(io.vertx.core.MultiMap form) {
    List<FieldError> found = new ArrayList<>();
    for (var entry : form) {
      if (entry.getKey().indexOf('\u0000') >= 0 || entry.getValue().indexOf('\u0000') >= 0) {
        found.add(nulError(entry.getKey()));
      }
    }
    if (!found.isEmpty()) {
      throw ApiException.validation(found);
    }
  }

  private static FieldError nulError(String path) {
    String field = path.replace("\u0000", "\\u0000");
    return new FieldError(
        field, "invalid_character", "'" + field + "' must not contain the NUL character (U+0000)");
  }

  static boolean isJson(String contentType) {
    String base = contentType.split(";", 2)[0].trim().toLowerCase();
    return base.equals("application/json")
        || (base.startsWith("application/") && base.endsWith("+json"));
  }

  /** The field's raw JSON value (null when absent), for shapes the typed accessors do not cover. */
  public Object value(String field) {
    return json.getValue(field);
  }

  /**
   * True when the field is present, even if null (PATCH semantics: null clears a nullable field).
   * For "is a required field missing", use {@link #missing}: an explicit null is missing too.
   */
  public boolean has(String field) {
    return json.containsKey(field);
  }

  /** True when the field is absent or an explicit JSON null. */
  public boolean missing(String field) {
    return json.getValue(field) == null;
  }

  /**
   * Records a {@code required} error when the field is absent or null (a field that is present but
   * invalid already has its own error from the accessor that read it).
   */
  public void require(String field, String detail) {
    if (missing(field)) {
      error(field, "required", detail);
    }
  }

  public void error(String field, String code, String detail) {
    errors.add(new FieldError(field, code, detail));
  }

  /** How many field errors have been collected so far. */
  public int errorCount() {
    return errors.size();
  }

  /** Throws 422 with every collected field error, if any. */
  public void check() {
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }

  /** A required string of {@code min}..{@code max} characters after trimming. */
  public String requiredString(String field, int min, int max) {
    if (json.getValue(field) == null) {
      error(field, "required", "'" + field + "' is required");
      return null;
    }
    return optionalString(field, min, max);
  }

  /** A string of {@code min}..{@code max} characters, or null when absent or null. */
  public String optionalString(String field, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      error(field, "invalid_type", "'" + field + "' must be a string");
      return null;
    }
    String trimmed = text.trim();
    if (trimmed.length() < min || trimmed.length() > max) {
      error(
          field,
          "invalid_length",
          "'" + field + "' must be " + min + " to " + max + " characters long");
      return null;
    }
    return trimmed;
  }

  /** A boolean, or {@code defaultValue} when absent or null. */
  public Boolean optionalBoolean(String field, Boolean defaultValue) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      error(field, "invalid_type", "'" + field + "' must be true or false");
      return defaultValue;
    }
    return b;
  }

  /**
   * A whole number within {@code min}..{@code max}, or {@code defaultValue} when absent or null.
   */
  public Integer optionalInteger(String field, Integer defaultValue, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer || value instanceof Long)
        || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      error(
          field,
          "invalid_value",
          "'" + field + "' must be a whole number from " + min + " to " + max);
      return defaultValue;
    }
    return ((Number) value).intValue();
  }

  /** One of {@code choices}, or null when absent. */
  public String optionalEnum(String field, Set<String> choices) {
    String value = optionalString(field, 1, 100);
    if (value != null && !choices.contains(value)) {
      error(
          field,
          "invalid_value",
          "'"
              + field
              + "' must be one of "
              + String.join(", ", choices.stream().sorted().toList()));
      return null;
    }
    return value;
  }

  /**
   * An ISO-8601 timestamp with offset ({@code 2026-01-31T12:00:00Z}), or null when absent or null.
   */
  public Instant optionalInstant(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    error(
        field,
        "invalid_format",
        "'" + field + "' must be an ISO-8601 timestamp such as 2026-01-31T12:00:00Z");
    return null;
  }

  /** A JSON object, or null when absent or null. */
  public JsonObject optionalObject(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      error(field, "invalid_type", "'" + field + "' must be an object");
      return null;
    }
    return object;
  }

  /** A list of strings (each 1..{@code maxLength} characters), or null when absent. */
  public List<String> optionalStringList(String field, int maxItems, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      error(field, "invalid_type", "'" + field + "' must be an array of strings");
      return null;
    }
    if (array.size() > maxItems) {
      error(field, "too_many_items", "'" + field + "' may hold at most " + maxItems + " items");
      return null;
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String text) || text.isBlank() || text.length() > maxLength) {
        error(
            field + "[" + i + "]",
            "invalid_item",
            "each item of '" + field + "' must be a non-empty string");
        return null;
      }
      out.add(text.trim());
    }
    return out;
  }
}
