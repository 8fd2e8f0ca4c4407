package herald.campaign;

import static herald.campaign.CampaignFlowTest.awaitStatus;
import static herald.campaign.CampaignFlowTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pause, resume, stop and clone through the API, watched at the SMPP simulator. */
class CampaignControlTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.herald().simulators().smsc();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  /** Submits the SMSC accepted after {@code after} to numbers starting with {@code prefix}. */
  private static long submitsAfter(String prefix, Instant after) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().startsWith(prefix) && s.at().isAfter(after))
        .count();
  }

  /** Submits the SMSC has seen to numbers starting with {@code prefix}. */
  private static long submitsTo(String prefix) {
    return smsc.submitted().stream().filter(s -> s.destination().startsWith(prefix)).count();
  }

  private static JsonArray numbers(String prefix, int count) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < count; i++) {
      out.add(String.format("+1415555%04d", Integer.parseInt(prefix) * 1000 + i));
    }
    return out;
  }

  private static String campaign(String name, JsonArray recipients, double rate) {
    return created(
            client.post(
                "/api/v1/campaigns",
                admin,
                new JsonObject()
                    .put("name", name)
                    .put("message", "Hello from " + name)
                    .put("rate_per_second", rate)
                    .put("recipients", recipients)))
        .getString("id");
  }

  private static JsonObject action(String id, String action, int expected) {
    var response = client.post("/api/v1/campaigns/" + id + "/" + action, admin, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(expected);
    return response.bodyAsJsonObject();
  }

  @Test
  void pauseHoldsWithinASecondResumeContinuesAndStopCancelsTheRest() throws Exception {
    String id = campaign("Control", numbers("1", 400), 40);
    action(id, "start", 200);
    awaitStatus(client, admin, id, s -> s.getLong("sent") >= 40);

    assertThat(action(id, "pause", 200).getString("status")).isEqualTo("paused");
    // What was in flight when paused may still go out within the second; nothing after it.
    Instant heldBy = Instant.now().plusSeconds(1);
    Await.stillAfter(
        Duration.ofSeconds(3),
        "nothing sent while paused (after a second's grace)",
        () -> submitsAfter("14155551", heldBy),
        n -> n == 0);
    long atPause = submitsTo("14155551");
    JsonObject paused = client.get("/api/v1/campaigns/" + id + "/status", admin).bodyAsJsonObject();
    assertThat(paused.getString("status")).isEqualTo("paused");
    assertThat(paused.getLong("sent")).isLessThan(400);

    action(id, "pause", 409); // only a running campaign pauses
    assertThat(action(id, "resume", 200).getString("status")).isEqualTo("running");
    awaitStatus(client, admin, id, s -> s.getLong("sent") >= atPause + 40);

    assertThat(action(id, "stop", 200).getString("status")).isEqualTo("stopped");
    Instant stoppedBy = Instant.now().plusSeconds(1);
    Await.stillAfter(
        Duration.ofMillis(2500),
        "nothing sent once stopped (after a second's grace)",
        () -> submitsAfter("14155551", stoppedBy),
        n -> n == 0);
    long atStop = submitsTo("14155551");
    JsonObject stopped =
        client.get("/api/v1/campaigns/" + id + "/status", admin).bodyAsJsonObject();
    assertThat(stopped.getString("status")).isEqualTo("stopped");
    assertThat(stopped.getLong("pending")).isZero();
    assertThat(stopped.getLong("queued")).isZero();
    assertThat(stopped.getLong("canceled")).isPositive();
    assertThat(stopped.getLong("sent") + stopped.getLong("canceled")).isEqualTo(400);
    assertThat(atStop).isEqualTo(stopped.getLong("sent"));
    action(id, "resume", 409);
    action(id, "start", 409);
  }

  @Test
  void aCloneIsADraftWithTheSameSpecAndRecipientsThatRunsOnItsOwn() throws Exception {
    String id = campaign("Original", numbers("2", 5), 50);
    JsonObject clone = action(id, "clone", 201);
    assertThat(clone.getString("status")).isEqualTo("draft");
    assertThat(clone.getString("name")).isEqualTo("Original (copy)");
    assertThat(clone.getString("message")).isEqualTo("Hello from Original");
    assertThat(clone.getString("id")).isNotEqualTo(id);

    action(clone.getString("id"), "start", 200);
    JsonObject done =
        awaitStatus(
            client, admin, clone.getString("id"), s -> "completed".equals(s.getString("status")));
    assertThat(done.getLong("sent")).isEqualTo(5);
    JsonObject original =
        client.get("/api/v1/campaigns/" + id + "/status", admin).bodyAsJsonObject();
    assertThat(original.getString("status")).isEqualTo("draft");
    assertThat(original.getLong("sent")).isZero();
  }

  @Test
  void aDraftWithoutAudienceOrContentCannotStartAndEditingARunningCampaignConflicts()
      throws Exception {
    String empty =
        created(
                client.post(
                    "/api/v1/campaigns",
                    admin,
                    new JsonObject().put("name", "Empty").put("message", "x")))
            .getString("id");
    var refused = client.post("/api/v1/campaigns/" + empty + "/start", admin, null);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).contains("recipients");

    String id = campaign("Busy", numbers("3", 50), 5);
    action(id, "start", 200);
    var edit =
        client.send(
            io.vertx.core.http.HttpMethod.PUT,
            "/api/v1/campaigns/" + id,
            admin,
            new JsonObject().put("name", "Renamed").put("message", "changed"));
    assertThat(edit.statusCode()).isEqualTo(409);
    var delete = client.delete("/api/v1/campaigns/" + id, admin);
    assertThat(delete.statusCode()).isEqualTo(409);
    action(id, "stop", 200);
    assertThat(client.delete("/api/v1/campaigns/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/v1/campaigns/" + id, admin).statusCode()).isEqualTo(404);
  }
}
