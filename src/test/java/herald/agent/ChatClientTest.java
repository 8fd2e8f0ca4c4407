package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.platform.config.AgentConfig;
import herald.platform.pacing.RetrySchedule;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Herald's chat-completions client against an independent OpenAI-compatible mock written here (not
 * Herald's simulator): the request it sends, the answer it reads, and its retries.
 */
class ChatClientTest {
  /** What the mock received: the Authorization header, the body, and when. */
  private record Received(String authorization, JsonObject body, long atNanos) {}

  private Vertx vertx;
  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Integer, Answer> script;
  private ChatClient client;

  /** One scripted answer of the mock. */
  private record Answer(int status, String retryAfter, JsonObject body) {}

  private static final JsonObject OK =
      new JsonObject()
          .put("id", "chatcmpl-abc")
          .put("object", "chat.completion")
          .put("created", 1_700_000_000)
          .put("model", "mock-model-2024")
          .put(
              "choices",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("index", 0)
                          .put(
                              "message",
                              new JsonObject().put("role", "assistant").put("content", " Hi! "))
                          .put("finish_reason", "stop")))
          .put(
              "usage",
              new JsonObject()
                  .put("prompt_tokens", 11)
                  .put("completion_tokens", 2)
                  .put("total_tokens", 13));

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1").await();
    client =
        new ChatClient(
            vertx,
            new AgentConfig(
                1,
                8,
                Duration.ofMillis(100),
                Duration.ofSeconds(60),
                2,
                2,
                RetrySchedule.ofSeconds(0),
                Duration.ofSeconds(30),
                5,
                Duration.ofSeconds(30)),
            (agent, state) -> {});
  }

  @AfterEach
  void stop() {
    client.close();
    vertx.close().await();
  }

  private void serve(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            buffer -> {
              received.add(
                  new Received(
                      request.getHeader("Authorization"),
                      buffer.toJsonObject(),
                      System.nanoTime()));
              Answer answer = script.apply(received.size());
              var response =
                  request
                      .response()
                      .setStatusCode(answer.status())
                      .putHeader("Content-Type", "application/json");
              if (answer.retryAfter() != null) {
                response.putHeader("Retry-After", answer.retryAfter());
              }
              response.end(answer.body().encode());
            });
  }

  private Agent agent() {
    return new Agent(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "mocked",
        "http://127.0.0.1:" + server.actualPort() + "/v1/",
        "mock-model",
        "sk-mock",
        null,
        new JsonObject(),
        new JsonObject(),
        0.3,
        120,
        0,
        3,
        5000,
        "fallback",
        null,
        "unknown",
        null,
        null,
        "keywords",
        null,
        null);
  }

  private static JsonArray messages() {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello"));
  }

  private static JsonObject error(String code) {
    return new JsonObject().put("error", new JsonObject().put("message", code).put("code", code));
  }

  @Test
  void sendsTheChatCompletionRequestAndReadsTheReplyAndUsage() {
    script = n -> new Answer(200, null, OK);

    ChatClient.Result result = client.complete(agent(), messages()).await();

    assertThat(result.ok()).isTrue();
    assertThat(result.reply()).isEqualTo("Hi!");
    assertThat(result.model()).isEqualTo("mock-model-2024");
    assertThat(result.usage()).isEqualTo(new ChatClient.Usage(11, 2, 13));
    Received request = received.get(0);
    assertThat(request.authorization()).isEqualTo("Bearer sk-mock");
    assertThat(request.body().getString("model")).isEqualTo("mock-model");
    assertThat(request.body().getJsonArray("messages")).isEqualTo(messages());
    assertThat(request.body().getDouble("temperature")).isEqualTo(0.3);
    assertThat(request.body().getInteger("max_tokens")).isEqualTo(120);
  }

  @Test
  void a429IsRetriedAfterItsRetryAfterRatherThanTheSchedule() {
    script =
        n ->
            n == 1 ? new Answer(429, "1", error("rate_limit_exceeded")) : new Answer(200, null, OK);

    ChatClient.Result result = client.complete(agent(), messages()).await();

    assertThat(result.ok()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(received).hasSize(2);
    // the schedule says 0 s; the server said 1 s
    assertThat(Duration.ofNanos(received.get(1).atNanos() - received.get(0).atNanos()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void a5xxIsRetriedUpToMaxRetriesThenReportedAsAServerError() {
    script = n -> new Answer(503, null, error("overloaded"));

    ChatClient.Result result = client.complete(agent(), messages()).await();

    assertThat(result.ok()).isFalse();
    assertThat(result.errorType()).isEqualTo("server_error");
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(received).hasSize(3);
  }

  @Test
  void aBadKeyIsNotRetriedAndARetryAfterBeyondTheLimitEndsTheRetries() {
    script = n -> new Answer(401, null, error("invalid_api_key"));
    ChatClient.Result unauthorized = client.complete(agent(), messages()).await();
    assertThat(unauthorized.errorType()).isEqualTo("client_error");
    assertThat(unauthorized.errorMessage()).contains("invalid_api_key");
    assertThat(received).hasSize(1);

    received.clear();
    script = n -> new Answer(429, "3600", error("rate_limit_exceeded"));
    ChatClient.Result limited = client.complete(agent(), messages()).await();
    assertThat(limited.errorType()).isEqualTo("rate_limited");
    assertThat(received).hasSize(1);
  }

  @Test
  void anAnswerWithoutChoicesIsAnInvalidResponse() {
    script = n -> new Answer(200, null, new JsonObject().put("object", "chat.completion"));

    ChatClient.Result result = client.complete(agent(), messages()).await();

    assertThat(result.ok()).isFalse();
    assertThat(result.errorType()).isEqualTo("invalid_response");
  }
}
