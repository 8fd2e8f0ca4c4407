package herald.template;

import herald.contact.Contact;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald's one template language, for previews, sends and campaigns alike.
 *
 * <p>A placeholder is {@code {name}} or {@code {{name}}} (seed 002), optionally with a default
 * after a bar: {@code {name|there}}. Names are matched case-insensitively. A contact provides
 * {@code name} (its name, else first and last name joined), {@code first_name}, {@code last_name},
 * {@code email}, {@code phone_number} and every custom field as {@code custom.<key>} or, when no
 * standard variable has that name, plain {@code <key>}. Seed 003's French names are aliases: {@code
 * nom} is the full name (as seed 003 documents it, not the last name), {@code prenom}/{@code
 * prénom} the first name, {@code telephone}/{@code téléphone} (and {@code phone}, {@code mobile})
 * the phone number. Text in braces that is not a placeholder, such as {@code { }} or {@code {1,2}},
 * is kept as it is.
 *
 * <p>A variable with no value (absent, null or empty) takes its default if it has one; otherwise it
 * is <em>missing</em>: it renders as nothing and is named in {@link Result#missing()}, and the
 * caller decides (previews refuse, sends apply their configured fallback). Thread-safe and
 * stateless.
 */
public final class Renderer {
  private static final Pattern PLACEHOLDER =
      Pattern.compile(
          "\\{\\{\\s*([\\p{L}_][\\p{L}\\p{N}_.]*)\\s*(?:\\|([^{}]*))?\\}\\}"
              + "|\\{([\\p{L}_][\\p{L}\\p{N}_.]*)(?:\\|([^{}]*))?\\}");

  private static final Map<String, String> ALIASES =
      Map.of(
          "nom", "name",
          "prenom", "first_name",
          "prénom", "first_name",
          "telephone", "phone_number",
          "téléphone", "phone_number",
          "phone", "phone_number",
          "mobile", "phone_number",
          "firstname", "first_name",
          "lastname", "last_name");

  private static final Set<String> STANDARD =
      Set.of("name", "first_name", "last_name", "email", "phone_number");

  private Renderer() {}

  /**
   * A rendered text.
   *
   * @param missing the variables (as written in the template) that had no value and no default, in
   *     order of first appearance; empty when everything resolved
   */
  public record Result(String text, List<String> missing) {}

  /** Values for placeholders, keyed by canonical (lower-case, alias-resolved) name. */
  public static final class Variables {
    private final Map<String, String> values = new HashMap<>();

    private Variables() {}

    /**
     * Variables from client data such as {@code {"nom": "Jean"}} or seed 003's {@code {"{nom}":
     * "Jean"}}: braces around keys are ignored, values are taken as text.
     */
    public static Variables of(JsonObject data) {
      return new Variables().with(data);
    }

    /** These variables with {@code data} (read as {@link #of(JsonObject)} does) over them. */
    public Variables with(JsonObject data) {
      Variables v = this;
      for (String key : data.fieldNames()) {
        Object value = data.getValue(key);
        String name = key.trim();
        while (name.startsWith("{") && name.endsWith("}") && name.length() > 2) {
          name = name.substring(1, name.length() - 1).trim();
        }
        v.put(name, value == null ? null : value.toString());
      }
      return v;
    }

    /** Variables of a contact. */
    public static Variables of(Contact contact) {
      Variables v = new Variables();
      JsonObject custom = contact.customFields();
      for (String key : custom.fieldNames()) {
        Object value = custom.getValue(key);
        v.put("custom." + key, value == null ? null : value.toString());
      }
      String full = contact.name();
      if (full == null || full.isBlank()) {
        String joined =
            String.join(
                    " ",
                    contact.firstName() == null ? "" : contact.firstName(),
                    contact.lastName() == null ? "" : contact.lastName())
                .trim();
        full = joined.isEmpty() ? null : joined;
      }
      v.put("name", full);
      v.put("first_name", contact.firstName());
      v.put("last_name", contact.lastName());
      v.put("email", contact.email());
      v.put("phone_number", contact.phoneNumber());
      return v;
    }

    private void put(String name, String value) {
      values.put(canonical(name), value);
    }

    /** The value of a placeholder name, or null. */
    String get(String name) {
      String key = canonical(name);
      String value = values.get(key);
      if (value == null || value.isEmpty()) {
        if (key.startsWith("custom.")) {
          value = values.get(key.substring("custom.".length()));
        } else if (!STANDARD.contains(key)) {
          value = values.get("custom." + key);
        }
      }
      return value == null || value.isEmpty() ? null : value;
    }
  }

  private static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(lower, lower);
  }

  /** Renders {@code template} with {@code variables}. */
  public static Result render(String template, Variables variables) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 32);
    Set<String> missing = new LinkedHashSet<>();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(3);
      String fallback = m.group(1) != null ? m.group(2) : m.group(4);
      String value = variables.get(name);
      if (value == null) {
        value = fallback == null ? "" : fallback;
        if (fallback == null) {
          missing.add(name);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return new Result(out.toString(), new ArrayList<>(missing));
  }

  /** The distinct placeholder names of {@code template}, in order of first appearance. */
  public static List<String> variables(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    Set<String> names = new LinkedHashSet<>();
    while (m.find()) {
      names.add(m.group(1) != null ? m.group(1) : m.group(3));
    }
    return new ArrayList<>(names);
  }
}
