package herald.sim.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the model simulator with a plain HTTP client, as any OpenAI client would. */
class LlmSimulatorTest {
  private static final String KEY = "sk-test-key";

  private Vertx vertx;
  private LlmSimulator llm;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    llm =
        LlmSimulator.start(
                vertx,
                LlmSimConfig.loopback(KEY)
                    .withRules(
                        List.of(
                            LlmSimConfig.ReplyRule.of("weather", "Sunny, turn {turns}."),
                            LlmSimConfig.ReplyRule.of("^hi", "Hello!"))))
            .await();
  }

  @AfterEach
  void stop() {
    llm.close().await();
    vertx.close().await();
  }

  private HttpResponse<String> post(String path, String key, JsonObject body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(llm.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject chat(String... userTexts) {
    JsonArray messages =
        new JsonArray().add(new JsonObject().put("role", "system").put("content", "Be brief."));
    for (String text : userTexts) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
    }
    return new JsonObject()
        .put("model", "herald-sim-1")
        .put("messages", messages)
        .put("temperature", 0.2);
  }

  @Test
  void answersAChatCompletionShapedLikeOpenAisWithUsage() throws Exception {
    HttpResponse<String> response = post("/chat/completions", KEY, chat("what is the weather"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("id")).startsWith("chatcmpl-");
    assertThat(body.getString("model")).isEqualTo("herald-sim-1");
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getInteger("index")).isZero();
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Sunny, turn 1.");
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isPositive();
    assertThat(usage.getInteger("completion_tokens")).isPositive();
    assertThat(usage.getInteger("total_tokens"))
        .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
    assertThat(llm.requests()).hasSize(1);
  }

  @Test
  void repliesAreDeterministicAndEchoWhenNoRuleMatches() throws Exception {
    String first = post("/chat/completions", KEY, chat("tell me a joke")).body();
    String second = post("/chat/completions", KEY, chat("tell me a joke")).body();

    String reply =
        new JsonObject(first)
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message")
            .getString("content");
    assertThat(reply).isEqualTo("You said: tell me a joke");
    assertThat(new JsonObject(second).getJsonObject("usage"))
        .isEqualTo(new JsonObject(first).getJsonObject("usage"));
  }

  @Test
  void maxTokensCutsTheReplyAndSaysLength() throws Exception {
    JsonObject request = chat("x".repeat(200)).put("max_tokens", 5);
    JsonObject body = new JsonObject(post("/chat/completions", KEY, request).body());

    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("length");
    assertThat(body.getJsonObject("usage").getInteger("completion_tokens")).isLessThanOrEqualTo(5);
  }

  @Test
  void aMissingOrWrongBearerTokenIs401() throws Exception {
    HttpResponse<String> none = post("/chat/completions", null, chat("hi"));
    HttpResponse<String> wrong = post("/chat/completions", "sk-other", chat("hi"));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(wrong.body()).getJsonObject("error").getString("code"))
        .isEqualTo("invalid_api_key");
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/models")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void invalidRequestsAre400WithAnOpenAiError() throws Exception {
    HttpResponse<String> noModel =
        post("/chat/completions", KEY, chat("hi").put("model", "gpt-unknown"));
    HttpResponse<String> badRole =
        post(
            "/chat/completions",
            KEY,
            new JsonObject()
                .put("model", "herald-sim-1")
                .put(
                    "messages",
                    new JsonArray()
                        .add(new JsonObject().put("role", "robot").put("content", "x"))));

    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(badRole.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badRole.body()).getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
  }

  @Test
  void listsItsModels() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/models"))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("object")).isEqualTo("list");
    assertThat(body.getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo("herald-sim-1");
  }

  @Test
  void answers429WithRetryAfterAnd5xxOnDemandThenRecovers() throws Exception {
    llm.rateLimitNext(1, 7);
    llm.failNext(1, 503);

    HttpResponse<String> limited = post("/chat/completions", KEY, chat("hi"));
    HttpResponse<String> failed = post("/chat/completions", KEY, chat("hi"));
    HttpResponse<String> ok = post("/chat/completions", KEY, chat("hi"));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(new JsonObject(limited.body()).getJsonObject("error").getString("code"))
        .isEqualTo("rate_limit_exceeded");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(ok.statusCode()).isEqualTo(200);

    llm.outage(500);
    assertThat(post("/chat/completions", KEY, chat("hi")).statusCode()).isEqualTo(500);
    assertThat(post("/chat/completions", KEY, chat("hi")).statusCode()).isEqualTo(500);
    llm.recover();
    assertThat(post("/chat/completions", KEY, chat("hi")).statusCode()).isEqualTo(200);
  }

  @Test
  void addsTheConfiguredLatency() throws Exception {
    llm.latency(Duration.ofMillis(300));
    long began = System.nanoTime();
    HttpResponse<String> response = post("/chat/completions", KEY, chat("hi"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - began))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
