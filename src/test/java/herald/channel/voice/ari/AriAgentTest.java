package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.call.RecordingService;
import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.sim.ari.CallScript.Outcome;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import herald.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent bridging and recordings against the ARI simulator: the agent leg answered (bridged,
 * recorded) or not, either leg hanging up ends the other, an IVR transfer to an agent; recordings
 * listed, downloaded from Asterisk, deleted there and in Herald, swept after their retention, and
 * invisible to another account.
 */
class AriAgentTest {
  private static Vertx simVertx;
  private static AriSimulator ari;
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static VoiceTesting voice;
  private static String sender;

  @BeforeAll
  static void start() {
    simVertx = Vertx.vertx();
    AriSimConfig config =
        AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
            .withTiming(Duration.ofMillis(500), Duration.ofMillis(100))
            // customers
            .withNumber(
                "+1555911", CallScript.answer(Duration.ofMillis(200), Duration.ofMillis(4000)))
            .withNumber("+1555912", CallScript.answer(Duration.ofMillis(200), null))
            .withNumber(
                "+1555913",
                CallScript.answer(Duration.ofMillis(200), Duration.ofMillis(2500)).withDtmf("2"))
            // agents (Local/{ext}@herald-agents, Local/{queue}@herald-queues, PJSIP/{endpoint})
            .withNumber("7001", CallScript.answer(Duration.ofMillis(300), null))
            .withNumber("7002", CallScript.unanswered(Outcome.NO_ANSWER, Duration.ofMillis(300)))
            .withNumber("7003", CallScript.answer(Duration.ofMillis(300), Duration.ofMillis(800)));
    ari = AriSimulator.start(simVertx, config).await();
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    voice = new VoiceTesting(client, admin);
    sender = voice.sender(ari.baseUrl(), "herald-agent", 10, 50);
  }

  @AfterAll
  static void stop() {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  private static JsonObject agent(String type, String value) {
    return new JsonObject()
        .put(
            "agent",
            new JsonObject().put("type", type).put("value", value).put("timeout_seconds", 5));
  }

  private static JsonArray recordingsOf(String callId, String token) {
    HttpResponse<Buffer> page = client.get("/api/v1/recordings?call_id=" + callId, token);
    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    return page.bodyAsJsonObject().getJsonArray("data");
  }

  /** The call's only recording, once it is stored. */
  private static JsonObject storedRecordingOf(String callId) {
    return Await.until(
            "the recording of call " + callId + " to be stored",
            Duration.ofSeconds(20),
            () -> recordingsOf(callId, admin),
            list -> list.size() == 1 && "done".equals(list.getJsonObject(0).getString("state")))
        .getJsonObject(0);
  }

  /** GET on the simulator's ARI: the status. */
  private static int ariStatus(String path) throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (VoiceTesting.USER + ":" + VoiceTesting.PASSWORD).getBytes(StandardCharsets.UTF_8));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(ari.baseUrl() + "/ari" + path))
                .header("Authorization", "Basic " + auth)
                .timeout(Duration.ofSeconds(5))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void anAnsweringAgentIsBridgedRecordedAndHungUpWhenTheCustomerLeaves() throws Exception {
    String id = voice.call(sender, "+15559110001", agent("extension", "7001").put("record", true));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("agent_status")).isEqualTo("answered");
    assertThat(call.getString("agent_answered_at")).isNotNull();
    assertThat(call.getString("agent_ended_at")).isNotNull();
    assertThat(call.getJsonObject("agent").getString("value")).isEqualTo("7001");
    JsonObject cdr = voice.cdrOf(id);
    assertThat(cdr.getString("agent_status")).isEqualTo("answered");
    assertThat(cdr.getDouble("agent_talk_seconds")).isGreaterThan(0.5);
    assertThat(cdr.getString("recording")).isEqualTo("herald-" + id);

    // the bridge's recording is stored when the bridge is destroyed, just after the call ended
    JsonObject recording = storedRecordingOf(id);
    // the agent's leg went with the customer: no channel and no bridge is left in Asterisk
    assertThat(ariStatus("/channels/" + call.getString("channel_id") + "-agent")).isEqualTo(404);
    assertThat(ariStatus("/bridges/" + call.getString("channel_id"))).isEqualTo(404);
    assertThat(recording.getString("kind")).isEqualTo("bridge");
    assertThat(recording.getString("state")).isEqualTo("done");
    String rid = recording.getString("id");
    assertThat(client.get("/api/v1/recordings/" + rid, admin).bodyAsJsonObject())
        .isEqualTo(recording);
    HttpResponse<Buffer> file = client.get("/api/v1/recordings/" + rid + "/file", admin);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.getHeader("Content-Type")).isEqualTo("audio/wav");
    assertThat(file.bodyAsBuffer().getString(0, 4)).isEqualTo("RIFF");
    assertThat(ariStatus("/recordings/stored/herald-" + id)).isEqualTo(200);

    assertThat(client.delete("/api/v1/recordings/" + rid, admin).statusCode()).isEqualTo(204);
    assertThat(ariStatus("/recordings/stored/herald-" + id)).isEqualTo(404);
    assertThat(client.get("/api/v1/recordings/" + rid, admin).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/recordings/" + rid + "/file", admin).statusCode())
        .isEqualTo(404);
  }

  @Test
  void anAgentWhoDoesNotAnswerEndsTheCallWithTheAgentOutcome() {
    String id = voice.call(sender, "+15559120001", agent("queue", "7002"));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("agent_status")).isEqualTo("no_answer");
    assertThat(call.getString("agent_answered_at")).isNull();
    JsonObject cdr = voice.cdrOf(id);
    assertThat(cdr.getString("agent_status")).isEqualTo("no_answer");
    assertThat(cdr.getDouble("agent_talk_seconds")).isZero();
    assertThat(cdr.getDouble("talk_seconds")).isGreaterThan(0.2);
  }

  @Test
  void theAgentHangingUpHangsUpTheCustomer() {
    String id = voice.call(sender, "+15559120002", agent("sip", "7003"));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("agent_status")).isEqualTo("answered");
    JsonObject cdr = voice.cdrOf(id);
    // the agent talked 0.8 s by the simulator's clock; Herald measures from the StasisStart it saw
    assertThat(cdr.getDouble("agent_talk_seconds")).isBetween(0.001, 5.0);
    assertThat(call.getString("agent_ended_at")).isNotNull();
  }

  @Test
  void anIvrOptionTransfersTheCallerToAnAgent() {
    JsonObject ivr =
        new JsonObject()
            .put("name", "Sales")
            .put("start", "main")
            .put(
                "menus",
                new JsonObject()
                    .put(
                        "main",
                        new JsonObject()
                            .put("prompt", "sound:press-2-for-sales")
                            .put(
                                "options",
                                new JsonObject()
                                    .put(
                                        "2",
                                        new JsonObject()
                                            .put("action", "agent")
                                            .put(
                                                "agent",
                                                new JsonObject()
                                                    .put("type", "extension")
                                                    .put("value", "7001"))))));
    HttpResponse<Buffer> created = client.post("/api/v1/ivr", admin, ivr);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id =
        voice.call(
            sender,
            "+15559130001",
            new JsonObject().put("ivr_id", created.bodyAsJsonObject().getString("id")));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("dtmf")).isEqualTo("2");
    assertThat(call.getJsonArray("ivr_path").getJsonObject(1).getString("action"))
        .isEqualTo("agent");
    assertThat(call.getString("agent_status")).isEqualTo("answered");
  }

  @Test
  void recordingsPastTheirRetentionAreDeletedInAsteriskAndHerald() throws Exception {
    String id = voice.call(sender, "+15559110002", agent("extension", "7001").put("record", true));
    voice.await(id, "completed", Duration.ofSeconds(30));
    JsonObject recording = storedRecordingOf(id);
    var pg = TestPostgres.get();
    try (Connection c =
            DriverManager.getConnection(pg.jdbcUrl(herald.database()), pg.user(), pg.password());
        PreparedStatement q =
            c.prepareStatement(
                "UPDATE recordings SET created_at = now() - interval '40 days' WHERE id = ?")) {
      q.setObject(1, UUID.fromString(recording.getString("id")));
      assertThat(q.executeUpdate()).isEqualTo(1);
    }
    RecordingService service =
        new RecordingService(herald.vertx(), herald.herald().platform().pool());
    int swept = service.sweep(Duration.ofDays(30)).await();
    assertThat(swept).isEqualTo(1);
    assertThat(recordingsOf(id, admin)).isEmpty();
    assertThat(ariStatus("/recordings/stored/" + recording.getString("name"))).isEqualTo(404);
    assertThat(service.sweep(Duration.ofDays(30)).await()).isZero();
  }

  @Test
  void anotherAccountsRecordingsAnswer404() {
    String id = voice.call(sender, "+15559110003", agent("extension", "7001").put("record", true));
    voice.await(id, "completed", Duration.ofSeconds(30));
    String rid = recordingsOf(id, admin).getJsonObject(0).getString("id");
    client.post(
        "/api/v1/accounts",
        admin,
        new JsonObject()
            .put("name", "recordings other tenant")
            .put("admin_username", "rec-other")
            .put("admin_password", "password-rec-other"));
    String other = client.login("rec-other", "password-rec-other");
    assertThat(client.get("/api/v1/recordings/" + rid, other).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/recordings/" + rid + "/file", other).statusCode())
        .isEqualTo(404);
    assertThat(client.delete("/api/v1/recordings/" + rid, other).statusCode()).isEqualTo(404);
    assertThat(recordingsOf(id, other)).isEmpty();
    assertThat(client.get("/api/v1/recordings/" + rid, admin).statusCode()).isEqualTo(200);
    assertThat(client.get("/api/v1/recordings?call_id=nope", admin).statusCode()).isEqualTo(400);
  }
}
