package herald.agent;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * An AI agent: an OpenAI-compatible chat-completions endpoint and how Herald prompts it. The API
 * key lives in {@code apiKey} and is never rendered.
 *
 * @param baseUrl the API root, such as {@code https://api.openai.com/v1} or {@code
 *     http://127.0.0.1:11434/v1}; requests go to {@code baseUrl + "/chat/completions"}
 * @param apiKey sent as {@code Authorization: Bearer}; null sends none (local servers)
 * @param promptTemplates category to template; {@code {message}} in a template is the user's text
 * @param categoryKeywords category to keywords: the first category with a keyword in the text is
 *     the task's category, else {@code general}
 * @param historyTurns how many earlier exchanges with the same number go into the prompt
 * @param maxSegments an SMS reply is cut to at most this many segments
 * @param fallbackReply sent when the model fails (timeout, error, open circuit)
 * @param defaultTier the tier of numbers without a contact or a contact tier; null for no quota
 * @param unknownTierReply sent, without calling the model, when the tier names no defined tier
 * @param promptTokenPrice price of 1,000 prompt tokens (in the account's currency), for the cost
 *     estimate; null: not priced
 * @param completionTokenPrice price of 1,000 completion tokens; null: not priced
 * @param classification {@code keywords} (the keyword map) or {@code model} (a short call to the
 *     model whose answer must be one of the categories, else the keyword map decides)
 */
public record Agent(
    UUID id,
    UUID accountId,
    String name,
    String baseUrl,
    String model,
    String apiKey,
    String systemPrompt,
    JsonObject promptTemplates,
    JsonObject categoryKeywords,
    double temperature,
    int maxTokens,
    int historyTurns,
    int maxSegments,
    int timeoutMs,
    String fallbackReply,
    String defaultTier,
    String unknownTierReply,
    Double promptTokenPrice,
    Double completionTokenPrice,
    String classification,
    String createdAt,
    String updatedAt) {

  static final String COLUMNS =
      "id, account_id, name, base_url, model, secrets, system_prompt, prompt_templates,"
          + " category_keywords, temperature, max_tokens, history_turns, max_segments, timeout_ms,"
          + " fallback_reply, default_tier, unknown_tier_reply, prompt_token_price,"
          + " completion_token_price, classification, created_at, updated_at";

  /** The classifications an agent may use. */
  public static final java.util.Set<String> CLASSIFICATIONS = java.util.Set.of("keywords", "model");

  static Agent from(Row row) {
    JsonObject secrets = row.getJsonObject("secrets");
    return new Agent(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("name"),
        row.getString("base_url"),
        row.getString("model"),
        secrets == null ? null : secrets.getString("api_key"),
        row.getString("system_prompt"),
        row.getJsonObject("prompt_templates"),
        row.getJsonObject("category_keywords"),
        row.getDouble("temperature"),
        row.getInteger("max_tokens"),
        row.getInteger("history_turns"),
        row.getInteger("max_segments"),
        row.getInteger("timeout_ms"),
        row.getString("fallback_reply"),
        row.getString("default_tier"),
        row.getString("unknown_tier_reply"),
        row.getDouble("prompt_token_price"),
        row.getDouble("completion_token_price"),
        row.getString("classification"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  public Duration timeout() {
    return Duration.ofMillis(timeoutMs);
  }

  /** The category of {@code text} by the keyword map: the first with a keyword in it. */
  public String classify(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String category : categoryKeywords.fieldNames()) {
      JsonArray words = categoryKeywords.getJsonArray(category, new JsonArray());
      for (Object word : words) {
        if (word instanceof String w
            && !w.isBlank()
            && lower.contains(w.toLowerCase(Locale.ROOT))) {
          return category;
        }
      }
    }
    return "general";
  }

  /**
   * The categories the model may answer when it classifies: those of the keyword map and of the
   * prompt templates, and {@code general}.
   */
  public java.util.List<String> categories() {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
    all.addAll(categoryKeywords.fieldNames());
    all.addAll(promptTemplates.fieldNames());
    all.add("general");
    return java.util.List.copyOf(all);
  }

  /** This agent at another base URL. */
  public Agent withBaseUrl(String url) {
    return new Agent(
        id,
        accountId,
        name,
        url,
        model,
        apiKey,
        systemPrompt,
        promptTemplates,
        categoryKeywords,
        temperature,
        maxTokens,
        historyTurns,
        maxSegments,
        timeoutMs,
        fallbackReply,
        defaultTier,
        unknownTierReply,
        promptTokenPrice,
        completionTokenPrice,
        classification,
        createdAt,
        updatedAt);
  }

  /** The user message for {@code text} in {@code category}: its template, or the text itself. */
  public String userPrompt(String category, String text) {
    String template = promptTemplates.getString(category);
    return template == null ? text : template.replace("{message}", text);
  }

  /** The public view: every setting but the API key, with whether one is set. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("base_url", baseUrl)
        .put("model", model)
        .put("has_api_key", apiKey != null)
        .put("system_prompt", systemPrompt)
        .put("prompt_templates", promptTemplates)
        .put("category_keywords", categoryKeywords)
        .put("temperature", temperature)
        .put("max_tokens", maxTokens)
        .put("history_turns", historyTurns)
        .put("max_segments", maxSegments)
        .put("timeout_ms", timeoutMs)
        .put("fallback_reply", fallbackReply)
        .put("default_tier", defaultTier)
        .put("unknown_tier_reply", unknownTierReply)
        .put("prompt_token_price", promptTokenPrice)
        .put("completion_token_price", completionTokenPrice)
        .put("classification", classification)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }

  @Override
  public String toString() {
    return "Agent[" + id + ", " + name + ", " + model + " at " + baseUrl + "]";
  }
}
