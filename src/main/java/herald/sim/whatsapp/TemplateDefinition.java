package herald.sim.whatsapp;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A message template the simulated WhatsApp Business Account holds, in one language. A send naming
 * it must use exactly its parameter counts.
 *
 * @param name template name (lower case, digits and underscores, as Meta requires)
 * @param language language code such as {@code en_US}
 * @param category {@code MARKETING}, {@code UTILITY} or {@code AUTHENTICATION}
 * @param status {@code APPROVED}, {@code PENDING}, {@code REJECTED}, {@code PAUSED} or {@code
 *     DISABLED}; only approved templates can be sent
 * @param bodyParameters number of {@code {{n}}} variables in the body
 * @param headerParameters number of header parameters: 0 (no or static header) or 1 (a text
 *     variable or a media header)
 * @param quickReplyButtons number of quick-reply buttons, each taking one payload parameter
 */
public record TemplateDefinition(
    String name,
    String language,
    String category,
    String status,
    int bodyParameters,
    int headerParameters,
    int quickReplyButtons) {

  private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
  private static final Set<String> STATUSES =
      Set.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED");

  /** Validates every field; see the record's parameters. */
  public TemplateDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(status, "status");
    if (!name.matches("^[a-z0-9_]{1,512}$")) {
      throw new IllegalArgumentException("template name must be lower case letters, digits, _");
    }
    if (!language.matches("^[a-z]{2,3}(_[A-Z]{2})?$")) {
      throw new IllegalArgumentException("template language must look like en or en_US");
    }
    if (!CATEGORIES.contains(category)) {
      throw new IllegalArgumentException("template category must be one of " + CATEGORIES);
    }
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("template status must be one of " + STATUSES);
    }
    if (bodyParameters < 0 || headerParameters < 0 || headerParameters > 1) {
      throw new IllegalArgumentException("template parameter counts out of range");
    }
    if (quickReplyButtons < 0 || quickReplyButtons > 10) {
      throw new IllegalArgumentException("a template has at most 10 quick-reply buttons");
    }
  }

  /** An approved template with body parameters only. */
  public static TemplateDefinition approved(
      String name, String language, String category, int bodyParameters) {
    return new TemplateDefinition(name, language, category, "APPROVED", bodyParameters, 0, 0);
  }

  /** The pricing category a send of this template is billed in ({@code marketing}, ...). */
  String pricingCategory() {
    return category.toLowerCase(Locale.ROOT);
  }

  /** A body text with as many numbered variables as the template has. */
  String bodyText() {
    StringBuilder text = new StringBuilder("Message from template ").append(name);
    for (int i = 1; i <= bodyParameters; i++) {
      text.append(i == 1 ? ": " : ", ").append("{{").append(i).append("}}");
    }
    return text.append('.').toString();
  }
}
