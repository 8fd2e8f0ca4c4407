package herald.platform.http;

import io.vertx.core.json.JsonObject;

/**
 * One problem with one input field.
 *
 * @param field JSON path of the field ({@code scopes[2]}, {@code admin_password}); empty for the
 *     body
 * @param code machine-readable reason ({@code required}, {@code invalid_type}, {@code
 *     unknown_field}, ...)
 * @param detail human-readable explanation
 */
public record FieldError(String field, String code, String detail) {
  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("code", code).put("detail", detail);
  }
}
