package herald.campaign;

import static herald.campaign.CampaignFlowTest.awaitStatus;
import static herald.campaign.CampaignFlowTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failed recipients are tried again: automatically up to {@code max_attempts}, and on demand with
 * {@code retry}. The simulated SMSC reports half of all messages undelivered.
 */
class CampaignRetryTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put(
                    "simulators",
                    new JsonObject().put("undelivered_percent", 50).put("receipt_delay_ms", 20)));
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.herald().simulators().smsc();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static String campaign(String prefix, int count, int maxAttempts) {
    JsonArray numbers = new JsonArray();
    for (int i = 0; i < count; i++) {
      numbers.add(String.format("+1415%s%03d", prefix, i));
    }
    String id =
        created(
                client.post(
                    "/api/v1/campaigns",
                    admin,
                    new JsonObject()
                        .put("name", "Retry " + prefix)
                        .put("message", "try")
                        .put("max_attempts", maxAttempts)
                        .put("retry_delay_seconds", 0)
                        .put("recipients", numbers)))
            .getString("id");
    created(client.post("/api/v1/campaigns/" + id + "/start", admin, null));
    return id;
  }

  private static long submitsTo(String prefix) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().startsWith("1415" + prefix))
        .count();
  }

  @Test
  void failedRecipientsAreRetriedOnDemandAndOnlyThey() throws Exception {
    String id = campaign("5551", 60, 1);
    JsonObject first =
        awaitStatus(
            client,
            admin,
            id,
            s -> "completed".equals(s.getString("status")) && s.getLong("failed") > 0);
    long failed = first.getLong("failed");
    assertThat(failed).as("half undelivered").isBetween(10L, 50L);
    assertThat(submitsTo("5551")).isEqualTo(60);

    JsonObject retried = created(client.post("/api/v1/campaigns/" + id + "/retry", admin, null));
    assertThat(retried.getString("status")).isEqualTo("running");
    JsonObject second =
        awaitStatus(client, admin, id, s -> "completed".equals(s.getString("status")));
    assertThat(submitsTo("5551")).as("only the failed ones are sent again").isEqualTo(60 + failed);
    assertThat(second.getLong("total")).isEqualTo(60);
    assertThat(second.getLong("failed")).isLessThan(failed);
    assertThat(second.getLong("delivered") + second.getLong("failed")).isEqualTo(60);
  }

  @Test
  void maxAttemptsRetriesFailuresBeforeTheCampaignCompletes() throws Exception {
    String id = campaign("5552", 60, 4);
    JsonObject done =
        awaitStatus(client, admin, id, s -> "completed".equals(s.getString("status")));
    long submits = submitsTo("5552");
    // 60 first attempts, then the undelivered ones again, up to 4 attempts each
    assertThat(submits).isGreaterThan(75).isLessThanOrEqualTo(240);
    assertThat(done.getLong("failed")).as("1 in 16 fail four times").isLessThan(15);
    assertThat(done.getLong("delivered") + done.getLong("failed")).isEqualTo(60);
  }
}
