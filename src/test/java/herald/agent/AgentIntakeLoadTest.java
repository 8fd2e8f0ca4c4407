package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.llm.LlmSimulator;
import herald.sim.twilio.TwilioSimConfig;
import herald.sim.twilio.TwilioSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of {@code bench/agent.sh}, small: 100 signed Twilio inbound webhooks at once to an
 * agent whose model (300 ms latency) has not answered yet. Every webhook is answered while the
 * model holds every call (intake never waits for the model), then every number gets exactly one
 * reply.
 */
class AgentIntakeLoadTest {
  private static final int MESSAGES = 100;
  private static final String SID = "AC" + "0123456789abcdef".repeat(2);
  private static final String TOKEN = "twilio-load-token";
  private static final String OUR_NUMBER = "+14155550980";
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static TwilioSimulator twilio;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put("simulators", new JsonObject().put("llm_latency_ms", 300))
                .put("agents", new JsonObject().put("poll_ms", 200)));
    client = herald.client();
    admin = client.loginAdmin();
    twilio = TwilioSimulator.start(herald.vertx(), TwilioSimConfig.loopback(SID, TOKEN)).await();
  }

  @AfterAll
  static void stop() {
    herald.herald().simulators().llm().release();
    twilio.close().await();
    herald.close();
  }

  private static JsonObject created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static String number(int i) {
    return String.format("+1415557%04d", i);
  }

  private static Map<String, Integer> repliesByNumber() {
    Map<String, Integer> replies = new HashMap<>();
    for (JsonObject m : twilio.messages()) {
      String to = m.getString("to");
      if (to != null && to.startsWith("+1415557") && !"inbound".equals(m.getString("direction"))) {
        replies.merge(to, 1, Integer::sum);
      }
    }
    return replies;
  }

  @Test
  void aHundredInboundMessagesAreTakenInWhileTheModelHoldsAndEachGetsExactlyOneReply() {
    LlmSimulator llm = herald.herald().simulators().llm();
    String sender =
        created(
                "/api/v1/senders",
                new JsonObject()
                    .put("name", "twilio load")
                    .put("provider", "twilio")
                    .put("rate_per_second", 1000)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("account_sid", SID)
                            .put("auth_token", TOKEN)
                            .put("from", OUR_NUMBER)
                            .put("base_url", twilio.baseUrl())))
            .getString("id");
    String agent =
        created(
                "/api/v1/agents",
                new JsonObject()
                    .put("name", "load agent")
                    .put("base_url", llm.baseUrl())
                    .put("model", llm.models().get(0))
                    .put("api_key", llm.apiKey()))
            .getString("id");
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "load to agent")
            .put("match", new JsonObject().put("sender_id", sender))
            .put("action", "agent")
            .put("agent_id", agent));

    llm.hold();
    String url = "http://127.0.0.1:" + herald.herald().port() + "/api/v1/inbound/twilio/sms";
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      answers.add(twilio.sendInbound(url, number(i), OUR_NUMBER, "load question " + i));
    }
    Future.all(answers).await();
    assertThat(answers).allMatch(a -> a.result().statusCode() == 200);
    JsonObject analytics = client.get("/api/v1/agent-tasks/analytics", admin).bodyAsJsonObject();
    assertThat(analytics.getLong("total_tasks")).isEqualTo(MESSAGES);
    assertThat(analytics.getLong("open_tasks"))
        .as("every webhook answered while the model had answered none")
        .isEqualTo(MESSAGES);
    assertThat(repliesByNumber()).isEmpty();

    llm.release();
    Await.until(
        "a reply to every number",
        Duration.ofSeconds(60),
        () -> repliesByNumber().size() == MESSAGES);
    Await.stillAfter(
        Duration.ofSeconds(2),
        "exactly one reply each",
        () -> repliesByNumber().values().stream().mapToInt(Integer::intValue).sum(),
        n -> n == MESSAGES);
    assertThat(repliesByNumber().values()).allMatch(n -> n == 1);
    JsonObject done = client.get("/api/v1/agent-tasks/analytics", admin).bodyAsJsonObject();
    assertThat(done.getLong("successful_tasks")).isEqualTo(MESSAGES);
    assertThat(done.getJsonObject("processing_ms").getDouble("p50")).isNotNull();
  }
}
