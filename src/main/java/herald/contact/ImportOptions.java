package herald.contact;

import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a contact import was asked to do, from query parameters or multipart form fields (a form
 * field wins over a query parameter of the same name). Kept in the job's {@code params}.
 *
 * @param fileName the uploaded file's name, or null for a raw body
 * @param groupId group every imported row joins, or null
 * @param update {@code on_duplicate=update}: a row whose number is already a contact updates it
 *     (cells left empty keep their values); otherwise ({@code skip}, the default) it is left as is
 * @param reject {@code on_error=reject}: any invalid row fails the job and nothing is imported;
 *     otherwise ({@code skip}, the default) invalid rows are left out and reported
 * @param mapping Herald field ({@code phone}, {@code name}, ..., {@code custom.<key>}) to the
 *     header of the file's column that holds it
 */
record ImportOptions(
    String fileName, UUID groupId, boolean update, boolean reject, Map<String, String> mapping) {

  static final int MAX_MAPPING = 100;

  /** Reads and validates the options; problems answer 422, each naming its parameter. */
  static ImportOptions read(MultiMap query, MultiMap form, String fileName) {
    List<FieldError> errors = new ArrayList<>();
    String group = value(query, form, "group_id");
    UUID groupId = null;
    if (group != null) {
      groupId = Ids.parse(group);
      if (groupId == null) {
        errors.add(new FieldError("group_id", "not_found", "no such group: " + group));
      }
    }
    boolean update = choice(query, form, "on_duplicate", "update", errors);
    boolean reject = choice(query, form, "on_error", "reject", errors);
    Map<String, String> mapping = new LinkedHashMap<>();
    String mappingText = value(query, form, "mapping");
    if (mappingText != null) {
      try {
        JsonObject json = new JsonObject(mappingText);
        if (json.size() > MAX_MAPPING) {
          errors.add(
              new FieldError(
                  "mapping", "too_many_items", "mapping takes at most " + MAX_MAPPING + " fields"));
        }
        for (String field : json.fieldNames()) {
          Object header = json.getValue(field);
          if (!(header instanceof String text) || text.isBlank() || text.length() > 200) {
            errors.add(
                new FieldError(
                    "mapping." + field,
                    "invalid_type",
                    "each mapping value is the header of a column in the file"));
          } else {
            mapping.put(field, text.trim());
          }
        }
      } catch (DecodeException | ClassCastException e) {
        errors.add(
            new FieldError(
                "mapping",
                "invalid_json",
                "mapping must be a JSON object such as {\"phone\": \"Mobile No\"}"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    String name = fileName == null || fileName.isBlank() ? null : fileName.trim();
    if (name != null && name.length() > 255) {
      name = name.substring(0, 255);
    }
    return new ImportOptions(name, groupId, update, reject, Collections.unmodifiableMap(mapping));
  }

  private static String value(MultiMap query, MultiMap form, String name) {
    String value = form == null ? null : form.get(name);
    if (value == null || value.isEmpty()) {
      value = query.get(name);
    }
    return value == null || value.isEmpty() ? null : value;
  }

  /** True for {@code yes}; false for {@code skip} or absent; otherwise an error. */
  private static boolean choice(
      MultiMap query, MultiMap form, String name, String yes, List<FieldError> errors) {
    String value = value(query, form, name);
    if (value == null || value.equals("skip")) {
      return false;
    }
    if (value.equals(yes)) {
      return true;
    }
    errors.add(new FieldError(name, "invalid_value", name + " must be skip or " + yes));
    return false;
  }

  ImportOptions withGroup(UUID group) {
    return new ImportOptions(fileName, group, update, reject, mapping);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("file_name", fileName)
        .put("group_id", groupId == null ? null : groupId.toString())
        .put("on_duplicate", update ? "update" : "skip")
        .put("on_error", reject ? "reject" : "skip")
        .put("mapping", new JsonObject(new LinkedHashMap<>(mapping)));
  }

  static ImportOptions fromJson(JsonObject json) {
    Map<String, String> mapping = new LinkedHashMap<>();
    JsonObject given = json.getJsonObject("mapping", new JsonObject());
    given.fieldNames().forEach(field -> mapping.put(field, given.getString(field)));
    String group = json.getString("group_id");
    return new ImportOptions(
        json.getString("file_name"),
        group == null ? null : UUID.fromString(group),
        "update".equals(json.getString("on_duplicate")),
        "reject".equals(json.getString("on_error")),
        Collections.unmodifiableMap(mapping));
  }
}
