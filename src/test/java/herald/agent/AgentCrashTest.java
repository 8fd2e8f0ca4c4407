package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.llm.LlmSimulator;
import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task claimed by a worker that dies with its node is re-run by a node started on the same
 * database once the lease runs out, and the user gets exactly one reply.
 */
class AgentCrashTest {
  private static final String USER = "14155550201";

  private static JsonObject node(int llmLatencyMs) {
    return new JsonObject()
        .put("simulators", new JsonObject().put("llm_latency_ms", llmLatencyMs))
        .put("agents", new JsonObject().put("poll_ms", 200).put("lease_seconds", 6))
        .put("cluster", new JsonObject().put("lease_ms", 3000).put("renew_interval_ms", 1000));
  }

  private static JsonArray tasks(TestClient client, String token) {
    return client
        .get("/api/v1/agent-tasks?phone_number=%2B" + USER, token)
        .bodyAsJsonObject()
        .getJsonArray("data");
  }

  private static List<String> textsTo(SmscSimulator smsc) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().equals(USER))
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .toList();
  }

  @Test
  void aTaskWhoseNodeStoppedMidCallIsRerunByAnotherNodeWithExactlyOneReply() {
    String database;
    TestHerald first = TestHerald.start(node(10_000));
    try {
      TestClient client = first.client();
      String admin = client.loginAdmin();
      JsonObject agent =
          client.get("/api/v1/agents", admin).bodyAsJsonObject().getJsonArray("data").stream()
              .map(JsonObject.class::cast)
              .filter(a -> a.getString("name").equals("Simulator model"))
              .findFirst()
              .orElseThrow();
      assertThat(
              client
                  .post(
                      "/api/v1/inbound-rules",
                      admin,
                      new JsonObject()
                          .put("name", "everything to the model")
                          .put("match", new JsonObject().put("number", "5550201"))
                          .put("action", "agent")
                          .put("agent_id", agent.getString("id")))
                  .statusCode())
          .isEqualTo(201);
      LlmSimulator model = first.herald().simulators().llm();

      first.boundSmsc().sendMo(USER, "5550201", "survive this");
      Await.until(
          "the model call under way",
          Duration.ofSeconds(20),
          () ->
              model.requests().stream()
                  .anyMatch(r -> LlmSimulator.userMessages(r).contains("survive this")));
      assertThat(tasks(client, admin).getJsonObject(0).getString("status")).isEqualTo("running");
      assertThat(textsTo(first.herald().simulators().smsc())).isEmpty();
      database = first.database();
    } finally {
      first.close();
    }

    TestHerald second = TestHerald.startOn(database, node(0));
    try {
      TestClient client = second.client();
      String admin = client.loginAdmin();
      SmscSimulator smsc = second.herald().simulators().smsc();
      Await.until(
          "the reply from the second node",
          Duration.ofSeconds(40),
          () -> textsTo(smsc).size() == 1);
      Await.stillAfter(
          Duration.ofSeconds(3), "one reply only", () -> textsTo(smsc).size(), n -> n == 1);

      assertThat(textsTo(smsc)).containsExactly("You said: survive this");
      JsonObject task = tasks(client, admin).getJsonObject(0);
      assertThat(task.getString("status")).isEqualTo("done");
      assertThat(task.getInteger("attempts")).isEqualTo(2);
      long replies =
          second
              .herald()
              .platform()
              .pool()
              .preparedQuery(
                  "SELECT count(*) FROM messages WHERE direction = 'outbound' AND to_number = $1")
              .execute(Tuple.of("+" + USER))
              .await()
              .iterator()
              .next()
              .getLong(0);
      assertThat(replies).isEqualTo(1);
    } finally {
      second.close();
    }
  }
}
