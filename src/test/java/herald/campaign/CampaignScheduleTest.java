package herald.campaign;

import static herald.campaign.CampaignFlowTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.SettableClock;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A recurring daily campaign follows its wall-clock time in its time zone across a daylight-saving
 * change, judged by a clock the test moves: 09:00 in New York is 14:00 UTC before 8 March 2026 and
 * 13:00 UTC after.
 */
class CampaignScheduleTest {
  private static final SettableClock CLOCK =
      new SettableClock(Instant.parse("2026-03-07T12:00:00Z"));
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;

  @BeforeAll
  static void start() {
    herald = TestHerald.start(new JsonObject(), CLOCK);
    client = herald.client();
    admin = client.loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonArray runs(String parent) {
    return client
        .get("/api/v1/campaigns?parent_id=" + parent, admin)
        .bodyAsJsonObject()
        .getJsonArray("data");
  }

  private static JsonArray awaitRuns(String parent, int count) {
    return Await.until(
        count + " runs of " + parent,
        Duration.ofSeconds(20),
        () -> runs(parent),
        runs -> runs.size() >= count);
  }

  private static JsonObject campaign(String id) {
    return client.get("/api/v1/campaigns/" + id, admin).bodyAsJsonObject();
  }

  @Test
  void aDailyRunKeepsNineOClockLocalAcrossTheSpringForward() throws Exception {
    CLOCK.set(Instant.parse("2026-03-07T12:00:00Z"));
    JsonObject created =
        created(
            client.post(
                "/api/v1/campaigns",
                admin,
                new JsonObject()
                    .put("name", "Morning")
                    .put("message", "Good morning")
                    .put("recipients", new JsonArray().add("+14155559001").add("+14155559002"))
                    .put(
                        "recurrence",
                        new JsonObject()
                            .put("frequency", "daily")
                            .put("time", "09:00")
                            .put("timezone", "America/New_York")
                            .put("start_date", "2026-03-07")
                            .put("end_date", "2026-03-08"))));
    String id = created.getString("id");
    assertThat(created.getString("status")).isEqualTo("scheduled");
    assertThat(created.getString("next_run_at")).isEqualTo("2026-03-07T14:00:00Z");

    CLOCK.set(Instant.parse("2026-03-07T13:59:58Z"));
    Await.stillAfter(Duration.ofMillis(2500), "no run before 09:00 EST", () -> runs(id).isEmpty());

    CLOCK.set(Instant.parse("2026-03-07T14:00:01Z"));
    JsonArray first = awaitRuns(id, 1);
    assertThat(first).hasSize(1);
    assertThat(first.getJsonObject(0).getString("name")).contains("2026-03-07T14:00:00Z");
    assertThat(campaign(id).getString("next_run_at"))
        .as("the next 09:00 is in daylight time")
        .isEqualTo("2026-03-08T13:00:00Z");

    CLOCK.set(Instant.parse("2026-03-08T12:59:00Z")); // 08:59 EDT (but 09:59 by yesterday's offset)
    Await.stillAfter(
        Duration.ofMillis(2500),
        "no second run before 09:00 EDT",
        () -> runs(id).size(),
        runs -> runs == 1);

    CLOCK.set(Instant.parse("2026-03-08T13:00:02Z"));
    JsonArray both = awaitRuns(id, 2);
    assertThat(both).hasSize(2);
    JsonObject parent = campaign(id);
    assertThat(parent.getString("next_run_at")).as("the schedule ended on its end date").isNull();
    assertThat(parent.getString("status")).isEqualTo("completed");

    // each run is its own campaign with its own stats, sending to the recurring campaign's list
    for (int i = 0; i < 2; i++) {
      String run = both.getJsonObject(i).getString("id");
      JsonObject status =
          CampaignFlowTest.awaitStatus(
              client, admin, run, s -> "completed".equals(s.getString("status")));
      assertThat(status.getLong("sent")).isEqualTo(2);
    }
  }

  @Test
  void quietHoursHoldEachRecipientUntilMorningInTheirOwnZone() throws Exception {
    CLOCK.set(Instant.parse("2026-06-01T21:30:00Z")); // 23:30 in Paris, 17:30 in New York
    String id =
        created(
                client.post(
                    "/api/v1/campaigns",
                    admin,
                    new JsonObject()
                        .put("name", "Polite")
                        .put("message", "Bonjour")
                        .put(
                            "quiet_hours",
                            new JsonObject().put("start", "21:00").put("end", "08:00"))
                        .put(
                            "recipients",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("number", "+33612345678")
                                        .put("timezone", "Europe/Paris"))
                                .add(
                                    new JsonObject()
                                        .put("number", "+14155559101")
                                        .put("timezone", "America/New_York")))))
            .getString("id");
    created(client.post("/api/v1/campaigns/" + id + "/start", admin, null));
    JsonObject evening =
        CampaignFlowTest.awaitStatus(client, admin, id, s -> s.getLong("sent") >= 1);
    Await.stillAfter(
        Duration.ofSeconds(2),
        "New York sent, Paris held (1 sent, 1 pending, running)",
        () -> client.get("/api/v1/campaigns/" + id + "/status", admin).bodyAsJsonObject(),
        later ->
            later.getLong("sent") == 1
                && later.getLong("pending") == 1
                && later.getString("status").equals("running"));
    assertThat(evening.getLong("total")).isEqualTo(2);

    CLOCK.set(Instant.parse("2026-06-02T06:00:01Z")); // 08:00 in Paris
    JsonObject morning =
        CampaignFlowTest.awaitStatus(
            client, admin, id, s -> "completed".equals(s.getString("status")));
    assertThat(morning.getLong("sent")).isEqualTo(2);
  }
}
