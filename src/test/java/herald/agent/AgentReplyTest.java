package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.llm.LlmSimulator;
import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inbound SMS over real SMPP, routed by an inbound rule to an AI agent on the model simulator, the
 * reply delivered back over SMPP to the sender's number; quotas, tiers, failures and the breaker.
 */
class AgentReplyTest {
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
                .put(
                    "agents",
                    new JsonObject()
                        .put("poll_ms", 200)
                        .put("max_retries", 1)
                        .put("retry_schedule_seconds", new JsonArray().add(0))
                        .put("breaker_failures", 3)
                        .put("breaker_reset_seconds", 60)));
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.boundSmsc();
    llm = herald.herald().simulators().llm();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @AfterEach
  void healTheModel() {
    llm.recover();
    llm.latency(Duration.ZERO);
  }

  private static void await(Await.Condition condition, String what) {
    Await.until(what, Duration.ofSeconds(20), condition);
  }

  private static List<SmscSimulator.Submitted> sentTo(String digits) {
    return smsc.submitted().stream().filter(s -> s.destination().equals(digits)).toList();
  }

  private static List<String> textsSentTo(String digits) {
    return sentTo(digits).stream()
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .toList();
  }

  /** The requests the model received whose last user message is {@code text}. */
  private static List<JsonObject> modelRequestsFor(String text) {
    return llm.requests().stream()
        .filter(
            r -> {
              List<String> users = LlmSimulator.userMessages(r);
              return !users.isEmpty() && users.get(users.size() - 1).equals(text);
            })
        .toList();
  }

  private static JsonObject created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static String agent(String name, JsonObject extra) {
    return created(
            "/api/v1/agents",
            new JsonObject()
                .put("name", name)
                .put("base_url", llm.baseUrl())
                .put("model", llm.models().get(0))
                .put("api_key", llm.apiKey())
                .put("system_prompt", "Answer briefly.")
                .put("timeout_ms", 2000)
                .put("fallback_reply", "Sorry, try again later.")
                .mergeIn(extra))
        .getString("id");
  }

  /** A rule handing everything sent to {@code ourNumber} to {@code agentId}. */
  private static void route(String ourNumber, String agentId) {
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "to agent " + ourNumber)
            .put("match", new JsonObject().put("number", ourNumber))
            .put("action", "agent")
            .put("agent_id", agentId));
  }

  private static JsonArray tasksOf(String phone) {
    return client
        .get("/api/v1/agent-tasks?phone_number=%2B" + phone, admin)
        .bodyAsJsonObject()
        .getJsonArray("data");
  }

  @Test
  void anInboundSmsGetsTheModelsReplyOnTheNumberItCameInOnWithTheTaskRecorded() {
    String agentId = agent("replier", new JsonObject());
    route("5550101", agentId);

    smsc.sendMo("14155550101", "5550101", "hello there");

    await(() -> sentTo("14155550101").size() == 1, "the AI reply");
    SmscSimulator.Submitted reply = sentTo("14155550101").get(0);
    assertThat(new String(reply.shortMessage(), StandardCharsets.ISO_8859_1))
        .isEqualTo("Hello! How can I help you today?");
    assertThat(reply.source()).isEqualTo("5550101");
    JsonObject request = modelRequestsFor("hello there").get(0);
    assertThat(request.getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("Answer briefly.");

    JsonArray tasks = tasksOf("14155550101");
    assertThat(tasks).hasSize(1);
    JsonObject task = tasks.getJsonObject(0);
    assertThat(task.getString("status")).isEqualTo("done");
    assertThat(task.getBoolean("success")).isTrue();
    assertThat(task.getString("category")).isEqualTo("general");
    assertThat(task.getString("model")).isEqualTo("herald-sim-1");
    assertThat(task.getInteger("tokens_used")).isPositive();
    JsonObject detail =
        client.get("/api/v1/agent-tasks/" + task.getString("id"), admin).bodyAsJsonObject();
    assertThat(detail.getJsonArray("prompt")).isEqualTo(request.getJsonArray("messages"));
    assertThat(detail.getString("reply")).isEqualTo("Hello! How can I help you today?");

    JsonObject inbound =
        client
            .get("/api/v1/messages/" + task.getString("inbound_message_id"), admin)
            .bodyAsJsonObject();
    JsonObject route = inbound.getJsonObject("metadata").getJsonObject("inbound_route");
    assertThat(route.getString("action")).isEqualTo("agent");
    assertThat(route.getString("agent_task_id")).isEqualTo(task.getString("id"));
  }

  @Test
  void aThreeTurnConversationCarriesItsHistoryToTheModel() {
    String agentId = agent("historian", new JsonObject().put("history_turns", 5));
    route("5550102", agentId);
    String[] turns = {"my name is Ann", "I live in Paris", "what do you know about me"};
    for (int i = 0; i < turns.length; i++) {
      smsc.sendMo("14155550102", "5550102", turns[i]);
      int expected = i + 1;
      await(() -> sentTo("14155550102").size() == expected, "reply " + expected);
    }

    JsonObject third = modelRequestsFor("what do you know about me").get(0);
    JsonArray messages = third.getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("role")).toList())
        .containsExactly("system", "user", "assistant", "user", "assistant", "user");
    assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("my name is Ann");
    assertThat(messages.getJsonObject(2).getString("content"))
        .isEqualTo("You said: my name is Ann");
    assertThat(messages.getJsonObject(3).getString("content")).isEqualTo("I live in Paris");
    assertThat(messages.getJsonObject(4).getString("content"))
        .isEqualTo("You said: I live in Paris");
    assertThat(textsSentTo("14155550102"))
        .containsExactly(
            "You said: my name is Ann",
            "You said: I live in Paris",
            "You said: what do you know about me");
  }

  @Test
  void overQuotaIsAnsweredWithTheTiersMessageWithoutCallingTheModel() {
    created(
        "/api/v1/tiers",
        new JsonObject()
            .put("name", "tight")
            .put("requests_per_hour", 1)
            .put("over_quota_message", "Quota used, come back later."));
    String agentId = agent("quota", new JsonObject().put("default_tier", "tight"));
    route("5550103", agentId);

    smsc.sendMo("14155550103", "5550103", "first question");
    await(() -> sentTo("14155550103").size() == 1, "the first reply");
    smsc.sendMo("14155550103", "5550103", "second question");
    await(() -> sentTo("14155550103").size() == 2, "the over-quota answer");

    assertThat(textsSentTo("14155550103"))
        .containsExactly("You said: first question", "Quota used, come back later.");
    assertThat(modelRequestsFor("first question")).hasSize(1);
    assertThat(modelRequestsFor("second question")).isEmpty();
    JsonObject rejected = tasksOf("14155550103").getJsonObject(0);
    assertThat(rejected.getString("status")).isEqualTo("rejected");
    assertThat(rejected.getString("error_type")).isEqualTo("over_quota");
  }

  @Test
  void anUnknownTierIsAnsweredAsConfiguredWithoutCallingTheModel() {
    String agentId =
        agent(
            "ghost tier",
            new JsonObject()
                .put("default_tier", "ghost")
                .put("unknown_tier_reply", "Your plan is unknown."));
    route("5550104", agentId);

    smsc.sendMo("14155550104", "5550104", "anyone there");
    await(() -> sentTo("14155550104").size() == 1, "the unknown-tier answer");

    assertThat(textsSentTo("14155550104")).containsExactly("Your plan is unknown.");
    assertThat(modelRequestsFor("anyone there")).isEmpty();
    assertThat(tasksOf("14155550104").getJsonObject(0).getString("error_type"))
        .isEqualTo("unknown_tier");
  }

  @Test
  void aModelAnswering500YieldsTheFallbackAndAnErrorLogEntryThatCanBeResolved() {
    String agentId = agent("failing", new JsonObject());
    route("5550105", agentId);
    llm.outage(500);

    smsc.sendMo("14155550105", "5550105", "are you down");
    await(() -> sentTo("14155550105").size() == 1, "the fallback reply");

    assertThat(textsSentTo("14155550105")).containsExactly("Sorry, try again later.");
    assertThat(modelRequestsFor("are you down")).hasSize(2); // one retry
    JsonObject task = tasksOf("14155550105").getJsonObject(0);
    assertThat(task.getString("status")).isEqualTo("failed");
    assertThat(task.getString("error_type")).isEqualTo("server_error");
    JsonArray errors =
        client
            .get("/api/v1/agent-errors?phone_number=%2B14155550105", admin)
            .bodyAsJsonObject()
            .getJsonArray("data");
    assertThat(errors).hasSize(1);
    JsonObject error = errors.getJsonObject(0);
    assertThat(error.getString("error_type")).isEqualTo("server_error");
    assertThat(error.getString("task_id")).isEqualTo(task.getString("id"));

    HttpResponse<Buffer> resolved =
        client.send(
            HttpMethod.PATCH,
            "/api/v1/agent-errors/" + error.getString("id"),
            admin,
            new JsonObject().put("resolved", true).put("resolution_notes", "model restarted"));
    assertThat(resolved.statusCode()).as(resolved.bodyAsString()).isEqualTo(200);
    assertThat(resolved.bodyAsJsonObject().getBoolean("resolved")).isTrue();
    assertThat(
            client
                .get("/api/v1/agent-errors?phone_number=%2B14155550105&resolved=false", admin)
                .bodyAsJsonObject()
                .getJsonArray("data"))
        .isEmpty();
  }

  @Test
  void aModelThatTimesOutYieldsTheFallbackAndATimeoutEntry() {
    String agentId = agent("slow", new JsonObject().put("timeout_ms", 300));
    route("5550106", agentId);
    llm.latency(Duration.ofMillis(1500));

    smsc.sendMo("14155550106", "5550106", "take your time");
    await(() -> sentTo("14155550106").size() == 1, "the fallback reply");

    assertThat(textsSentTo("14155550106")).containsExactly("Sorry, try again later.");
    assertThat(tasksOf("14155550106").getJsonObject(0).getString("error_type"))
        .isEqualTo("timeout");
  }

  @Test
  void theBreakerOpensUnderASustainedOutageAndStopsCallingTheModel() {
    String agentId = agent("outage", new JsonObject());
    route("5550107", agentId);
    llm.outage(503);

    for (int i = 1; i <= 4; i++) {
      smsc.sendMo("14155550107", "5550107", "outage " + i);
      int expected = i;
      await(() -> sentTo("14155550107").size() == expected, "fallback " + expected);
    }

    // 3 failed calls open the circuit (breaker_failures): messages 1 (2 calls) and 2 (1 call).
    long calls =
        llm.requests().stream()
            .filter(r -> LlmSimulator.userMessages(r).toString().contains("outage "))
            .count();
    assertThat(calls).isEqualTo(3);
    assertThat(textsSentTo("14155550107")).allMatch(t -> t.equals("Sorry, try again later."));
    assertThat(
            client
                .get("/api/v1/agent-errors?error_type=circuit_open", admin)
                .bodyAsJsonObject()
                .getJsonArray("data")
                .size())
        .isGreaterThanOrEqualTo(2);
    assertThat(
            client.get("/api/v1/agents/" + agentId, admin).bodyAsJsonObject().getString("breaker"))
        .isEqualTo("open");
  }

  @Test
  void aContactsTierOverridesTheAgentsDefaultAndItsCountersFollow() {
    created(
        "/api/v1/tiers",
        new JsonObject()
            .put("name", "vip")
            .put("priority", 10)
            .put("requests_per_day", 100)
            .put("allowed_categories", new JsonArray().add("general")));
    JsonObject contact =
        created(
            "/api/v1/contacts",
            new JsonObject().put("phone_number", "+14155550108").put("tier", "vip"));
    assertThat(contact.getString("tier")).isEqualTo("vip");
    String agentId =
        agent(
            "tiered",
            new JsonObject()
                .put("default_tier", "ghost")
                .put("unknown_tier_reply", "Unknown plan."));
    route("5550108", agentId);

    smsc.sendMo("14155550108", "5550108", "good morning");
    await(() -> sentTo("14155550108").size() == 1, "the AI reply");
    assertThat(textsSentTo("14155550108")).containsExactly("You said: good morning");
    JsonObject looked =
        client.get("/api/v1/contacts/lookup?phone_number=%2B14155550108", admin).bodyAsJsonObject();
    assertThat(looked.getLong("total_requests")).isEqualTo(1);
    assertThat(looked.getString("last_request_at")).isNotNull();

    HttpResponse<Buffer> changed =
        client.post(
            "/api/v1/contacts/" + contact.getString("id") + "/update-tier",
            admin,
            new JsonObject().put("tier", "ghost").put("reason", "downgrade"));
    assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
    smsc.sendMo("14155550108", "5550108", "good evening");
    await(() -> sentTo("14155550108").size() == 2, "the unknown-tier answer");
    assertThat(textsSentTo("14155550108").get(1)).isEqualTo("Unknown plan.");
    assertThat(modelRequestsFor("good evening")).isEmpty();
  }

  @Test
  void aTaskRunByHandAnswersThroughTheDefaultSenderAndAnalyticsCountIt() {
    String agentId =
        agent(
            "by hand",
            new JsonObject()
                .put(
                    "category_keywords",
                    new JsonObject().put("coding", new JsonArray().add("python"))));
    HttpResponse<Buffer> run =
        client.post(
            "/api/v1/agent-tasks",
            admin,
            new JsonObject()
                .put("agent_id", agentId)
                .put("phone_number", "+14155550109")
                .put("content", "sort a list in python"));
    assertThat(run.statusCode()).as(run.bodyAsString()).isEqualTo(202);
    String id = run.bodyAsJsonObject().getString("id");

    Await.until(
        "the reply",
        Duration.ofSeconds(20),
        () -> client.get("/api/v1/agent-tasks/" + id, admin).bodyAsString(),
        t -> sentTo("14155550109").size() == 1);
    assertThat(textsSentTo("14155550109")).containsExactly("You said: sort a list in python");
    JsonObject task = client.get("/api/v1/agent-tasks/" + id, admin).bodyAsJsonObject();
    assertThat(task.getString("category")).isEqualTo("coding");
    assertThat(task.getString("status")).isEqualTo("done");

    JsonObject analytics =
        client.get("/api/v1/agent-tasks/analytics?category=coding", admin).bodyAsJsonObject();
    assertThat(analytics.getLong("total_tasks")).isEqualTo(1);
    assertThat(analytics.getLong("successful_tasks")).isEqualTo(1);
    assertThat(analytics.getJsonObject("categories").getJsonObject("coding").getLong("count"))
        .isEqualTo(1);
    assertThat(analytics.getJsonObject("processing_ms").getDouble("p95")).isNotNull();
    assertThat(analytics.getLong("tokens_used")).isPositive();

    HttpResponse<Buffer> unknownAgent =
        client.post(
            "/api/v1/agent-tasks",
            admin,
            new JsonObject()
                .put("agent_id", java.util.UUID.randomUUID().toString())
                .put("phone_number", "+14155550109")
                .put("content", "x"));
    assertThat(unknownAgent.statusCode()).isEqualTo(422);
  }
}
