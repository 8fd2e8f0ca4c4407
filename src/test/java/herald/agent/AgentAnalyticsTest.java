package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.llm.LlmSimConfig;
import herald.sim.llm.LlmSimulator;
import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Classification of a task's category by the model (with the keyword map as fallback and the tier
 * checked against the model's category), the analytics overview with the cost estimate from each
 * agent's token prices, and per-user analytics; inbound SMS over real SMPP, a model simulator of
 * the test's own.
 */
class AgentAnalyticsTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;
  private static LlmSimulator llm;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put("simulators", new JsonObject().put("llm_latency_ms", 0))
                .put("agents", new JsonObject().put("poll_ms", 200)));
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.boundSmsc();
    // The classification call and the answer both see the message as the last user message: a
    // refund is "billing", anything about the weather answers a word that is no category.
    llm =
        LlmSimulator.start(
                herald.vertx(),
                LlmSimConfig.loopback("sk-analytics")
                    .withRules(
                        List.of(
                            LlmSimConfig.ReplyRule.of("refund", "Billing."),
                            LlmSimConfig.ReplyRule.of("weather", "Sunny"))))
            .await();
  }

  @AfterAll
  static void stop() {
    llm.close().await();
    herald.close();
  }

  private static JsonObject created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static List<String> textsSentTo(String digits) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().equals(digits))
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .toList();
  }

  private static JsonObject task(String digits) {
    JsonArray data =
        client
            .get("/api/v1/agent-tasks?phone_number=%2B" + digits, admin)
            .bodyAsJsonObject()
            .getJsonArray("data");
    return data.isEmpty() ? null : data.getJsonObject(0);
  }

  private static JsonObject doneTask(String digits) {
    return Await.until(
        "the task of " + digits + " completed",
        Duration.ofSeconds(20),
        () -> task(digits),
        t -> t != null && t.getString("completed_at") != null);
  }

  @Test
  void theModelClassifiesTheCategoryTheTierChecksItAndTheAnalyticsCountTokensCostAndUsers() {
    created(
        "/api/v1/tiers",
        new JsonObject()
            .put("name", "basic")
            .put("allowed_categories", new JsonArray().add("general").add("weather"))
            .put("over_quota_message", "Not on your plan."));
    JsonObject contact =
        created(
            "/api/v1/contacts",
            new JsonObject()
                .put("phone_number", "+14155550303")
                .put("name", "Basic Bea")
                .put("tier", "basic"));
    JsonObject agent =
        created(
            "/api/v1/agents",
            new JsonObject()
                .put("name", "classifier")
                .put("base_url", llm.baseUrl())
                .put("model", llm.models().get(0))
                .put("api_key", llm.apiKey())
                .put("classification", "model")
                .put("prompt_token_price", 0.5)
                .put("completion_token_price", 1.5)
                .put(
                    "category_keywords",
                    new JsonObject()
                        .put("billing", new JsonArray().add("invoice"))
                        .put("weather", new JsonArray().add("forecast"))));
    assertThat(agent.getString("classification")).isEqualTo("model");
    assertThat(agent.getDouble("prompt_token_price")).isEqualTo(0.5);
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "all to the classifier")
            .put("match", new JsonObject().put("number", "5550300"))
            .put("action", "agent")
            .put("agent_id", agent.getString("id")));

    // the model names a category: it is the task's, though no keyword matched
    smsc.sendMo("14155550301", "5550300", "I want a refund");
    JsonObject billed = doneTask("14155550301");
    assertThat(billed.getString("category")).isEqualTo("billing");
    assertThat(billed.getString("category_source")).isEqualTo("model");
    assertThat(billed.getString("status")).isEqualTo("done");
    List<String> userMessages =
        llm.requests().stream()
            .filter(r -> LlmSimulator.userMessages(r).contains("I want a refund"))
            .map(r -> r.getJsonArray("messages").getJsonObject(0).getString("content"))
            .toList();
    assertThat(userMessages).hasSize(2);
    assertThat(userMessages.get(0)).contains("billing, weather, general");

    // the model answers no category: the keyword map decides
    smsc.sendMo("14155550302", "5550300", "how is the weather");
    JsonObject fallback = doneTask("14155550302");
    assertThat(fallback.getString("category")).isEqualTo("general");
    assertThat(fallback.getString("category_source")).isEqualTo("keywords");
    assertThat(fallback.getString("reply")).isEqualTo("Sunny");

    // the model's category is not allowed by the contact's tier: the tier's message, no answer
    int before = llm.requests().size();
    smsc.sendMo("14155550303", "5550300", "refund me");
    JsonObject refused = doneTask("14155550303");
    assertThat(refused.getString("status")).isEqualTo("rejected");
    assertThat(refused.getString("error_type")).isEqualTo("category_not_allowed");
    assertThat(refused.getString("category")).isEqualTo("billing");
    assertThat(llm.requests().size()).as("the classification call only").isEqualTo(before + 1);
    Await.until(
        "the tier's answer", Duration.ofSeconds(20), () -> textsSentTo("14155550303").size() == 1);
    assertThat(textsSentTo("14155550303")).containsExactly("Not on your plan.");
    assertThat(
            client
                .get("/api/v1/agent-errors?phone_number=%2B14155550303", admin)
                .bodyAsJsonObject()
                .getJsonArray("data"))
        .as("a refused category is no model failure")
        .isEmpty();

    // overview: tokens and cost from the tasks' own token counts and the agent's prices
    long prompt = 0;
    long completion = 0;
    for (String digits : new String[] {"14155550301", "14155550302", "14155550303"}) {
      JsonObject t = task(digits);
      prompt += t.getInteger("prompt_tokens");
      completion += t.getInteger("completion_tokens");
    }
    assertThat(prompt).isPositive();
    JsonObject overview =
        client.get("/api/v1/agent-tasks/analytics/overview", admin).bodyAsJsonObject();
    assertThat(overview.getLong("total_tasks")).isEqualTo(3);
    assertThat(overview.getLong("tasks_today")).isEqualTo(3);
    assertThat(overview.getLong("tasks_this_month")).isEqualTo(3);
    assertThat(overview.getLong("prompt_tokens")).isEqualTo(prompt);
    assertThat(overview.getLong("completion_tokens")).isEqualTo(completion);
    double cost = prompt / 1000.0 * 0.5 + completion / 1000.0 * 1.5;
    assertThat(overview.getDouble("estimated_cost"))
        .isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(overview.getJsonArray("cost_by_agent")).hasSize(1);
    assertThat(overview.getJsonObject("contacts_by_tier").getLong("basic")).isEqualTo(1);
    assertThat(overview.getDouble("success_rate")).isNotNull();
    assertThat(overview.getJsonObject("processing_ms").getValue("p95")).isNotNull();

    // per user: each number once, the contact's name and tier beside its number
    JsonArray users =
        client
            .get("/api/v1/agent-tasks/analytics/users", admin)
            .bodyAsJsonObject()
            .getJsonArray("data");
    assertThat(users).hasSize(3);
    JsonObject bea =
        users.stream()
            .map(JsonObject.class::cast)
            .filter(u -> u.getString("phone_number").equals("+14155550303"))
            .findFirst()
            .orElseThrow();
    assertThat(bea.getString("contact_id")).isEqualTo(contact.getString("id"));
    assertThat(bea.getString("name")).isEqualTo("Basic Bea");
    assertThat(bea.getString("tier")).isEqualTo("basic");
    assertThat(bea.getLong("total_tasks")).isEqualTo(1);
    assertThat(bea.getLong("rejected_tasks")).isEqualTo(1);
    JsonObject one =
        client
            .get("/api/v1/agent-tasks/analytics/users?phone_number=%2B14155550301", admin)
            .bodyAsJsonObject();
    assertThat(one.getJsonArray("data")).hasSize(1);
    assertThat(one.getJsonArray("data").getJsonObject(0).getLong("successful_tasks")).isEqualTo(1);
  }

  @Test
  void badClassificationsPricesAndLimitsAreRefusedNamingTheField() {
    HttpResponse<Buffer> badAgent =
        client.post(
            "/api/v1/agents",
            admin,
            new JsonObject()
                .put("name", "bad")
                .put("base_url", llm.baseUrl())
                .put("model", "m")
                .put("classification", "astrology")
                .put("prompt_token_price", -1));
    assertThat(badAgent.statusCode()).isEqualTo(422);
    assertThat(badAgent.bodyAsString()).contains("classification").contains("prompt_token_price");
    HttpResponse<Buffer> badLimit =
        client.get("/api/v1/agent-tasks/analytics/users?limit=0", admin);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.bodyAsString()).contains("limit");
  }
}
