package herald.sim.llm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of one {@link LlmSimulator}. Validated on construction: an invalid value fails fast with
 * {@link IllegalArgumentException}.
 *
 * @param host interface to bind, normally {@code 127.0.0.1}
 * @param port TCP port; {@code 0} picks a free one (read it back with {@link LlmSimulator#port()})
 * @param apiKey the one Bearer token accepted; null accepts any request, with or without one
 * @param models the model ids {@code GET /v1/models} lists and completions accept (at least one)
 * @param latency added before every answer; zero for none
 * @param rules reply rules tried in order against the last user message; the first that matches
 *     answers, and when none does the reply is {@code "You said: <message>"}
 */
public record LlmSimConfig(
    String host,
    int port,
    String apiKey,
    List<String> models,
    Duration latency,
    List<ReplyRule> rules) {

  /**
   * A deterministic reply: when {@code pattern} is found in the last user message, the reply is
   * {@code reply} with {@code {message}} replaced by that message and {@code {turns}} by the number
   * of user messages in the request.
   */
  public record ReplyRule(Pattern pattern, String reply) {
    public ReplyRule {
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(reply, "reply");
    }

    /** A rule matching {@code regex} (case-insensitive). */
    public static ReplyRule of(String regex, String reply) {
      return new ReplyRule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), reply);
    }
  }

  /** Validates every field; see the record's parameters. */
  public LlmSimConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(latency, "latency");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must be null or not blank");
    }
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("at least one model is needed");
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    rules = List.copyOf(rules);
  }

  /**
   * A simulator on a free loopback port serving the model {@code herald-sim-1} with {@code apiKey},
   * answering at once with the default rules: a greeting answers a greeting, anything else is
   * echoed.
   */
  public static LlmSimConfig loopback(String apiKey) {
    return new LlmSimConfig(
        "127.0.0.1",
        0,
        apiKey,
        List.of("herald-sim-1"),
        Duration.ZERO,
        List.of(ReplyRule.of("^\\s*(hi|hello|hey)\\b", "Hello! How can I help you today?")));
  }

  public LlmSimConfig withPort(int port) {
    return new LlmSimConfig(host, port, apiKey, models, latency, rules);
  }

  public LlmSimConfig withLatency(Duration latency) {
    return new LlmSimConfig(host, port, apiKey, models, latency, rules);
  }

  public LlmSimConfig withRules(List<ReplyRule> rules) {
    return new LlmSimConfig(host, port, apiKey, models, latency, rules);
  }
}
