package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.llm.LlmSimulator;
import herald.sim.twilio.TwilioSimConfig;
import herald.sim.twilio.TwilioSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An inbound SMS through Twilio's signed inbound webhook gets the agent's reply through Twilio's
 * Messages API, from the number it was sent to: the agent answers on the channel and sender the
 * message came in on.
 */
class AgentTwilioTest {
  private static final String SID = "AC" + "0123456789abcdef".repeat(2);
  private static final String TOKEN = "twilio-auth-token";
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static TwilioSimulator twilio;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put("simulators", new JsonObject().put("llm_latency_ms", 0))
                .put("agents", new JsonObject().put("poll_ms", 200)));
    client = herald.client();
    admin = client.loginAdmin();
    twilio = TwilioSimulator.start(herald.vertx(), TwilioSimConfig.loopback(SID, TOKEN)).await();
  }

  @AfterAll
  static void stop() {
    twilio.close().await();
    herald.close();
  }

  private static JsonObject created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  @Test
  void aTwilioInboundSmsGetsTheAgentsReplyThroughTwilioFromTheSameNumber() {
    LlmSimulator llm = herald.herald().simulators().llm();
    String sender =
        created(
                "/api/v1/senders",
                new JsonObject()
                    .put("name", "twilio")
                    .put("provider", "twilio")
                    .put("rate_per_second", 10)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("account_sid", SID)
                            .put("auth_token", TOKEN)
                            .put("from", "+14155550970")
                            .put("base_url", twilio.baseUrl())))
            .getString("id");
    String agent =
        created(
                "/api/v1/agents",
                new JsonObject()
                    .put("name", "twilio agent")
                    .put("base_url", llm.baseUrl())
                    .put("model", llm.models().get(0))
                    .put("api_key", llm.apiKey()))
            .getString("id");
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "twilio to agent")
            .put("match", new JsonObject().put("sender_id", sender))
            .put("action", "agent")
            .put("agent_id", agent));

    String url = "http://127.0.0.1:" + herald.herald().port() + "/api/v1/inbound/twilio/sms";
    HttpResponse<Buffer> answer =
        twilio.sendInbound(url, "+14155550971", "+14155550970", "what is twilio").await();
    assertThat(answer.statusCode()).isEqualTo(200);

    JsonObject reply =
        Await.until(
            "the reply through Twilio",
            Duration.ofSeconds(20),
            () ->
                twilio.messages().stream()
                    .filter(m -> "+14155550971".equals(m.getString("to")))
                    .findFirst()
                    .orElse(null),
            m -> m != null);
    assertThat(reply.getString("body")).isEqualTo("You said: what is twilio");
    assertThat(reply.getString("from")).isEqualTo("+14155550970");
    JsonObject task =
        client
            .get("/api/v1/agent-tasks?phone_number=%2B14155550971", admin)
            .bodyAsJsonObject()
            .getJsonArray("data")
            .getJsonObject(0);
    assertThat(task.getString("status")).isEqualTo("done");
    assertThat(task.getString("sender_id")).isEqualTo(sender);
  }
}
