package herald.agent;

import herald.platform.config.AgentConfig;
import herald.platform.pacing.Guard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Calls an agent's OpenAI-compatible {@code POST {base_url}/chat/completions} on Vert.x WebClient.
 * Each agent endpoint has its own circuit breaker ({@link Guard}); a 429, a 5xx, a timeout or a
 * connection error is retried after the configured schedule, or after the server's {@code
 * Retry-After} when it gives one (bounded by {@code agents.max_retry_after_seconds}). Other 4xx
 * answers (a bad key, an unknown model) are not retried. Never fails: every outcome is a {@link
 * Result}.
 *
 * <p>Use from one event loop (the worker verticle's).
 */
public final class ChatClient {
  private static final String USER_AGENT = "Herald-Agent/1";

  /** Token counts as the server reported them (zero when it reported none). */
  public record Usage(int promptTokens, int completionTokens, int totalTokens) {}

  /**
   * What a completion came to.
   *
   * @param reply the assistant's text when {@code ok}
   * @param errorType when not ok: {@code timeout}, {@code connection}, {@code rate_limited}, {@code
   *     server_error}, {@code client_error}, {@code invalid_response} or {@code circuit_open}
   * @param attempts calls made (0 when the circuit was open from the start)
   */
  public record Result(
      boolean ok,
      String reply,
      Usage usage,
      String model,
      String errorType,
      String errorMessage,
      int attempts) {}

  /** One HTTP exchange; {@code status} 0 when none completed. */
  private record Attempt(
      int status, JsonObject body, Long retryAfterSeconds, String errorType, String error) {
    boolean failed() {
      return errorType != null;
    }

    boolean retryable() {
      return status == 429
          || status >= 500
          || "timeout".equals(errorType)
          || "connection".equals(errorType);
    }
  }

  private final Vertx vertx;
  private final AgentConfig config;
  private final WebClient client;
  private final Map<String, Guard<Attempt>> guards = new HashMap<>();
  private final BiConsumer<String, String> breakerState;

  /**
   * @param breakerState told {@code (agentId, state)} whenever a breaker opens, half-opens or
   *     closes
   */
  public ChatClient(Vertx vertx, AgentConfig config, BiConsumer<String, String> breakerState) {
    this.vertx = vertx;
    this.config = config;
    this.breakerState = breakerState;
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions().setUserAgent(USER_AGENT).setFollowRedirects(false),
            // one connection per task the worker may hold, so no claimed task waits for a
            // connection
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(Math.max(8, config.batchSize())));
  }

  /** Sends {@code messages} (OpenAI chat messages) to the agent's model. */
  public Future<Result> complete(Agent agent, JsonArray messages) {
    return complete(agent, messages, agent.temperature(), agent.maxTokens());
  }

  /** Sends {@code messages} with this temperature and token limit instead of the agent's. */
  public Future<Result> complete(
      Agent agent, JsonArray messages, double temperature, int maxTokens) {
    JsonObject body =
        new JsonObject()
            .put("model", agent.model())
            .put("messages", messages)
            .put("temperature", temperature)
            .put("max_tokens", maxTokens);
    return attempt(agent, guard(agent), body, 1);
  }

  private Guard<Attempt> guard(Agent agent) {
    String key = agent.id() + " " + agent.baseUrl();
    return guards.computeIfAbsent(
        key,
        k -> {
          Guard<Attempt> guard =
              new Guard<>(
                  vertx,
                  "agent-" + agent.id(),
                  config.breakerFailures(),
                  config.breakerReset(),
                  a -> a.failed() && a.retryable(),
                  err -> new Attempt(0, null, null, "circuit_open", "the circuit is open"));
          guard.onHalfOpen(() -> breakerState.accept(agent.id().toString(), "half_open"));
          return guard;
        });
  }

  private Future<Result> attempt(Agent agent, Guard<Attempt> guard, JsonObject body, int n) {
    return guard
        .call(() -> send(agent, body))
        .compose(
            a -> {
              breakerState.accept(agent.id().toString(), guard.state());
              if (!a.failed()) {
                return Future.succeededFuture(parse(agent, a.body(), n));
              }
              int made = "circuit_open".equals(a.errorType()) ? n - 1 : n;
              Duration wait = retryDelay(a, n);
              if (!a.retryable() || n > config.maxRetries() || wait == null) {
                return Future.succeededFuture(
                    new Result(false, null, null, agent.model(), a.errorType(), a.error(), made));
              }
              return vertx
                  .timer(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)
                  .compose(v -> attempt(agent, guard, body, n + 1));
            });
  }

  /** The wait before retry {@code n}, or null when the server asked for longer than allowed. */
  private Duration retryDelay(Attempt a, int n) {
    if (a.retryAfterSeconds() != null) {
      Duration asked = Duration.ofSeconds(a.retryAfterSeconds());
      return asked.compareTo(config.maxRetryAfter()) > 0 ? null : asked;
    }
    return config.retrySchedule().jittered(n, 10);
  }

  private Future<Attempt> send(Agent agent, JsonObject body) {
    String url = agent.baseUrl().replaceAll("/+$", "") + "/chat/completions";
    HttpRequest<Buffer> request;
    try {
      request = client.postAbs(url).timeout(agent.timeoutMs());
    } catch (RuntimeException e) {
      return Future.succeededFuture(new Attempt(0, null, null, "client_error", e.getMessage()));
    }
    if (agent.apiKey() != null) {
      request.bearerTokenAuthentication(agent.apiKey());
    }
    return request
        .sendJsonObject(body)
        .timeout(agent.timeoutMs() + 1000L, TimeUnit.MILLISECONDS)
        .map(this::toAttempt)
        .recover(
            err ->
                Future.succeededFuture(
                    isTimeout(err)
                        ? new Attempt(
                            0,
                            null,
                            null,
                            "timeout",
                            "no answer within " + agent.timeoutMs() + " ms")
                        : new Attempt(
                            0, null, null, "connection", String.valueOf(err.getMessage()))));
  }

  private static boolean isTimeout(Throwable err) {
    return err instanceof TimeoutException
        || err instanceof io.netty.handler.timeout.TimeoutException
        || (err.getMessage() != null && err.getMessage().toLowerCase().contains("timeout"))
        || (err.getMessage() != null && err.getMessage().contains("timed out"));
  }

  private Attempt toAttempt(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      try {
        return new Attempt(status, response.bodyAsJsonObject(), null, null, null);
      } catch (RuntimeException e) {
        return new Attempt(status, null, null, "invalid_response", "the body is not JSON");
      }
    }
    Long retryAfter = null;
    String header = response.getHeader("Retry-After");
    if (header != null) {
      try {
        retryAfter = Math.max(0, Long.parseLong(header.trim()));
      } catch (NumberFormatException e) {
        retryAfter = null; // an HTTP date: use the schedule
      }
    }
    String type = status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "client_error";
    return new Attempt(
        status, null, retryAfter, type, "HTTP " + status + ": " + errorText(response));
  }

  private static String errorText(HttpResponse<Buffer> response) {
    try {
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      if (error != null && error.getString("message") != null) {
        return error.getString("message");
      }
    } catch (RuntimeException e) {
      // not JSON: fall through
    }
    String text = response.bodyAsString();
    return text == null ? "" : text.substring(0, Math.min(200, text.length()));
  }

  private static Result parse(Agent agent, JsonObject body, int attempts) {
    try {
      JsonArray choices = body.getJsonArray("choices");
      String content = choices.getJsonObject(0).getJsonObject("message").getString("content");
      if (content == null || content.isBlank()) {
        return new Result(
            false, null, null, agent.model(), "invalid_response", "empty reply", attempts);
      }
      JsonObject usage = body.getJsonObject("usage", new JsonObject());
      int prompt = usage.getInteger("prompt_tokens", 0);
      int completion = usage.getInteger("completion_tokens", 0);
      return new Result(
          true,
          content.trim(),
          new Usage(prompt, completion, usage.getInteger("total_tokens", prompt + completion)),
          body.getString("model", agent.model()),
          null,
          null,
          attempts);
    } catch (RuntimeException e) {
      return new Result(
          false,
          null,
          null,
          agent.model(),
          "invalid_response",
          "no choices[0].message.content in the answer",
          attempts);
    }
  }

  public void close() {
    guards.values().forEach(Guard::close);
    client.close();
  }
}
