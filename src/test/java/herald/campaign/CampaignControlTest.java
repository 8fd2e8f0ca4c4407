package herald.campaign;

import static herald.campaign.CampaignFlowTest.awaitStatus;
import static herald.campaign.CampaignFlowTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import herald.message.MessageQueueStore;
import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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

  /**
   * Verifies that what a dead process left in flight follows its campaign when the stale sweep
   * takes it back: a stopped campaign's messages are canceled with their events, and a paused one's
   * are queued held (the plain case, queued to be sent again, is CampaignCrashTest's).
   */
  @Test
  void messagesLeftInFlightByADeadProcessFollowTheirCampaignsPauseOrStop() {
    String stopped = campaign("Stale stopped", numbers("6", 200), 5);
    String paused = campaign("Stale paused", numbers("7", 200), 5);
    action(stopped, "start", 200);
    action(paused, "start", 200);
    Await.until(
        "a few of both campaigns sent",
        Duration.ofSeconds(30),
        () -> submitsTo("14155556") >= 3 && submitsTo("14155557") >= 3);
    action(stopped, "stop", 200);
    action(paused, "pause", 200);
    var pool = herald.herald().platform().pool();
    // What a process killed mid-send leaves behind: its claimed messages in 'sending', untouched.
    String leaveInFlight =
        "UPDATE messages SET status = 'sending', updated_at = now() - interval '1 hour'"
            + " WHERE id IN (SELECT id FROM messages WHERE campaign_id = $1"
            + " AND status IN ('sent', 'delivered') ORDER BY id LIMIT 2) RETURNING id";
    List<UUID> stoppedIds =
        ids(pool.preparedQuery(leaveInFlight).execute(Tuple.of(UUID.fromString(stopped))).await());
    List<UUID> pausedIds =
        ids(pool.preparedQuery(leaveInFlight).execute(Tuple.of(UUID.fromString(paused))).await());
    assertThat(stoppedIds).hasSize(2);
    assertThat(pausedIds).hasSize(2);

    int taken = new MessageQueueStore(pool).requeueStale(Duration.ofSeconds(30)).await();

    assertThat(taken).isGreaterThanOrEqualTo(4);
    var rows =
        pool.preparedQuery(
                "SELECT m.id, m.status, m.error_code, m.next_attempt_at = 'infinity' AS held,"
                    + " (SELECT count(*) FROM events e WHERE e.subject_id = m.id"
                    + " AND e.type = 'message.canceled') AS canceled_events"
                    + " FROM messages m WHERE m.id = ANY($1)")
            .execute(
                Tuple.of(
                    java.util.stream.Stream.concat(stoppedIds.stream(), pausedIds.stream())
                        .toArray(UUID[]::new)))
            .await();
    for (Row row : rows) {
      if (stoppedIds.contains(row.getUUID("id"))) {
        assertThat(row.getString("status")).isEqualTo("canceled");
        assertThat(row.getString("error_code")).isEqualTo("campaign_stopped");
        assertThat(row.getLong("canceled_events")).isEqualTo(1);
      } else {
        assertThat(row.getString("status")).isEqualTo("queued");
        assertThat(row.getBoolean("held")).as("held until resumed").isTrue();
        assertThat(row.getLong("canceled_events")).isZero();
      }
    }
    assertThat(rows.size()).isEqualTo(4);
  }

  private static List<UUID> ids(RowSet<Row> rows) {
    List<UUID> out = new ArrayList<>();
    rows.forEach(row -> out.add(row.getUUID("id")));
    return out;
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
