package herald.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An SMSC that takes a second per submit and a window of one: the last of a batch waits far longer
 * than {@code engine.stale_sending_seconds} for its slot, yet the stale sweep must not requeue it
 * (which would send it twice), since the channel that holds it is alive.
 */
class SlowProviderTest {
  private static final int MESSAGES = 12;

  private static TestHerald herald;
  private static TestClient client;
  private static String admin;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put("engine", new JsonObject().put("stale_sending_seconds", 5))
                .put("simulators", new JsonObject().put("submit_latency_ms", 1000)));
    client = herald.client();
    admin = client.loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void messagesWaitingLongForTheWindowAreNotSentTwice() throws Exception {
    SmscSimulator smsc = herald.herald().simulators().smsc();
    JsonObject sender =
        client
            .post(
                "/api/v1/senders",
                admin,
                new JsonObject()
                    .put("name", "slow window")
                    .put("provider", "smpp")
                    .put("rate_per_second", 100)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("host", "127.0.0.1")
                            .put("port", smsc.port())
                            .put("system_id", "herald")
                            .put("password", "herald")
                            .put("source_addr", "Slow")
                            .put("window", 1)))
            .bodyAsJsonObject();
    String senderId = sender.getString("id");
    JsonArray batch = new JsonArray();
    for (int i = 0; i < MESSAGES; i++) {
      batch.add(
          new JsonObject()
              .put("to", "+1415555" + (7000 + i))
              .put("body", "slow " + i)
              .put("sender_id", senderId));
    }
    var accepted =
        client.send(
            io.vertx.core.http.HttpMethod.POST,
            "/api/v1/messages",
            io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + admin),
            io.vertx.core.buffer.Buffer.buffer(batch.encode()),
            "application/json");
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);

    long delivered =
        Await.until(
            "every message delivered through the slow provider",
            Duration.ofSeconds(60),
            () ->
                client
                    .get("/api/v1/messages/stats?sender_id=" + senderId, admin)
                    .bodyAsJsonObject()
                    .getJsonObject("by_status")
                    .getLong("delivered", 0L),
            n -> n >= MESSAGES);
    assertThat(delivered).isEqualTo(MESSAGES);
    long submits =
        smsc.submitted().stream()
            .filter(
                s ->
                    s.destination().startsWith("1415555700")
                        || s.destination().startsWith("1415555701"))
            .count();
    assertThat(submits).as("submit_sm per message").isEqualTo(MESSAGES);
  }
}
