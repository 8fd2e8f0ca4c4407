package herald.contact;

import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which column of an import file holds which contact field: the client's mapping first, then the
 * header's names (any case; spaces and hyphens count as underscores) against each field's aliases.
 * Every other named column becomes a custom field named after its header (letters, digits and
 * underscores; accents dropped, other characters turned into underscores); {@code id}, {@code
 * created_at}, {@code updated_at} and {@code group_ids}, which an export writes and Herald assigns
 * itself, are ignored, as are columns with an empty header.
 *
 * @param header the header as written in the file
 * @param index column of each {@link Field} (by ordinal), or -1
 */
record ImportColumns(List<String> header, int[] index, List<Custom> custom, List<String> ignored) {

  /** A column kept as a custom field. */
  record Custom(int column, String key) {}

  /** The contact fields an import can fill, with the header names that mean them. */
  enum Field {
    PHONE(
        "phone",
        "phone_number",
        "phonenumber",
        "number",
        "mobile",
        "mobile_number",
        "mobile_phone",
        "telephone",
        "téléphone",
        "tel",
        "msisdn"),
    NAME("name", "full_name", "fullname", "nom"),
    FIRST_NAME("first_name", "firstname", "prenom", "prénom", "given_name"),
    LAST_NAME("last_name", "lastname", "surname", "family_name"),
    EMAIL("email", "e_mail", "mail", "email_address"),
    TIMEZONE("timezone", "time_zone", "tz"),
    LANGUAGE("language", "lang", "locale"),
    STATUS("status"),
    GROUPS("groups", "group");

    final String key;
    final Set<String> aliases;

    Field(String key, String... aliases) {
      this.key = key;
      this.aliases = Set.of(aliases);
    }

    static Field byAlias(String normalised) {
      for (Field field : values()) {
        if (field.key.equals(normalised) || field.aliases.contains(normalised)) {
          return field;
        }
      }
      return null;
    }
  }

  private static final Set<String> IGNORED = Set.of("id", "created_at", "updated_at", "group_ids");

  int column(Field field) {
    return index[field.ordinal()];
  }

  /** The header of {@code field}'s column as written in the file, or null. */
  String headerOf(Field field) {
    int column = column(field);
    return column < 0 ? null : header.get(column).trim();
  }

  /**
   * Plans the columns of {@code header}; a header or mapping that cannot work answers 422 with one
   * field error per problem.
   */
  static ImportColumns of(List<String> header, Map<String, String> mapping) {
    int[] index = new int[Field.values().length];
    Arrays.fill(index, -1);
    boolean[] used = new boolean[header.size()];
    List<Custom> custom = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    mapping.forEach(
        (target, wanted) -> {
          String field = target.trim().toLowerCase(Locale.ROOT);
          int column = find(header, wanted);
          if (column < 0) {
            errors.add(
                new FieldError(
                    "mapping." + target,
                    "unknown_column",
                    "the file's header has no column '" + wanted + "'"));
            return;
          }
          if (used[column]) {
            errors.add(
                new FieldError(
                    "mapping." + target,
                    "duplicate_column",
                    "column '" + wanted + "' is mapped to two fields"));
            return;
          }
          if (field.startsWith("custom.")) {
            String key = target.trim().substring("custom.".length());
            if (!ContactInput.CUSTOM_KEY.matcher(key).matches()) {
              errors.add(
                  new FieldError(
                      "mapping." + target,
                      "invalid_key",
                      "custom field names are 1 to 64 letters, digits or underscores"));
              return;
            }
            custom.add(new Custom(column, key));
          } else {
            Field f = Field.byAlias(field);
            if (f == null || index[f.ordinal()] >= 0) {
              errors.add(
                  new FieldError(
                      "mapping." + target,
                      f == null ? "unknown_field" : "duplicate_field",
                      f == null
                          ? "mapping keys are phone, name, first_name, last_name, email,"
                              + " timezone, language, status, groups or custom.<name>"
                          : "two mapping keys name the " + f.key + " field"));
              return;
            }
            index[f.ordinal()] = column;
          }
          used[column] = true;
        });
    for (int column = 0; column < header.size(); column++) {
      String raw = header.get(column).trim();
      if (used[column] || raw.isEmpty()) {
        continue;
      }
      String normalised = normalise(raw);
      Field field = Field.byAlias(normalised);
      if (IGNORED.contains(normalised)) {
        ignored.add(raw);
      } else if (field != null && index[field.ordinal()] < 0) {
        index[field.ordinal()] = column;
      } else {
        String key =
            customKey(normalised.startsWith("custom.") ? raw.substring("custom.".length()) : raw);
        if (key.isEmpty()) {
          errors.add(
              new FieldError(
                  "file",
                  "invalid_column",
                  "column '" + raw + "' cannot name a custom field: rename it or map it"));
        } else {
          custom.add(new Custom(column, key));
        }
      }
    }
    if (index[Field.PHONE.ordinal()] < 0) {
      errors.add(
          new FieldError(
              "file",
              "no_phone_column",
              "No phone column: the header needs one of phone, phone_number, number, mobile,"
                  + " telephone, tel or msisdn (any case), or map one with"
                  + " mapping={\"phone\": \"<header>\"}"));
    }
    Set<String> keys = new HashSet<>();
    for (Custom c : custom) {
      if (!keys.add(c.key())) {
        errors.add(
            new FieldError(
                "file",
                "duplicate_column",
                "two columns make the custom field '" + c.key() + "'; rename or map one"));
      }
    }
    if (custom.size() > ContactInput.MAX_CUSTOM_FIELDS) {
      errors.add(
          new FieldError(
              "file",
              "too_many_columns",
              custom.size()
                  + " columns would be custom fields; a contact holds at most "
                  + ContactInput.MAX_CUSTOM_FIELDS));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return new ImportColumns(List.copyOf(header), index, List.copyOf(custom), List.copyOf(ignored));
  }

  private static int find(List<String> header, String wanted) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).trim().equalsIgnoreCase(wanted.trim())) {
        return i;
      }
    }
    return -1;
  }

  private static String normalise(String header) {
    return header.toLowerCase(Locale.ROOT).replaceAll("[\\s\\-]+", "_");
  }

  private static String customKey(String header) {
    String plain = Normalizer.normalize(header, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    String key = plain.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
    return key.length() > 64 ? key.substring(0, 64) : key;
  }

  /** What was recognised, as the job shows it: field to header, custom fields, ignored columns. */
  JsonObject describe() {
    JsonObject fields = new JsonObject();
    for (Field field : Field.values()) {
      if (column(field) >= 0) {
        fields.put(field.key, headerOf(field));
      }
    }
    JsonObject customs = new JsonObject();
    custom.forEach(c -> customs.put(c.key(), header.get(c.column()).trim()));
    return new JsonObject()
        .put("fields", fields)
        .put("custom_fields", customs)
        .put("ignored", new JsonArray(new ArrayList<>(ignored)));
  }
}
