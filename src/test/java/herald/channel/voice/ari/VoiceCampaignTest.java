package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Voice campaigns through the API against the ARI simulator: every number ends with a disposition,
 * busy and unanswered numbers are retried after their delay up to max attempts, each attempt is a
 * call with its CDR listed under its recipient, AMD's MACHINE triggers the campaign's machine
 * action, pause holds the dialler and stop cancels what is left, and bad input is a 422.
 */
class VoiceCampaignTest {
  private static Vertx simVertx;
  private static AriSimulator ari;
  private static TestHerald herald;
  private static TestClient client;
  private static String token;
  private static VoiceTesting voice;

  @BeforeAll
  static void start() {
    simVertx = Vertx.vertx();
    ari =
        AriSimulator.start(
                simVertx,
                AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
                    .withCalls(
                        CallScript.answer(Duration.ofMillis(100), Duration.ofMillis(400)), 0, 0, 0)
                    .withNumber(
                        "+14155551",
                        CallScript.unanswered(CallScript.Outcome.BUSY, Duration.ofMillis(100)))
                    .withNumber(
                        "+14155552",
                        CallScript.answer(Duration.ofMillis(100), null)
                            .withAmd("MACHINE", "INITIALSILENCE-2500-2500"))
                    .withNumber(
                        "+14155553",
                        CallScript.unanswered(CallScript.Outcome.NO_ANSWER, Duration.ofMillis(200)))
                    .withNumber(
                        "+14155554",
                        CallScript.answer(Duration.ofMillis(100), Duration.ofSeconds(30))))
            .await();
    herald = TestHerald.start();
    client = herald.client();
    token = client.loginAdmin();
    voice = new VoiceTesting(client, token);
  }

  @AfterAll
  static void stop() {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  private static JsonObject create(JsonObject body) {
    HttpResponse<Buffer> created = client.post("/api/v1/campaigns", token, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static JsonObject action(String id, String action, int status) {
    HttpResponse<Buffer> done =
        client.post("/api/v1/campaigns/" + id + "/" + action, token, new JsonObject());
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(status);
    return done.bodyAsJsonObject();
  }

  private static String status(String id) {
    return client.get("/api/v1/campaigns/" + id, token).bodyAsJsonObject().getString("status");
  }

  private static Map<String, JsonObject> recipients(String id) {
    HttpResponse<Buffer> page =
        client.get("/api/v1/campaigns/" + id + "/recipients?limit=200", token);
    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    Map<String, JsonObject> out = new HashMap<>();
    page.bodyAsJsonObject()
        .getJsonArray("data")
        .forEach(r -> out.put(((JsonObject) r).getString("phone_number"), (JsonObject) r));
    return out;
  }

  private static JsonArray attempts(String id, long seq) {
    HttpResponse<Buffer> got =
        client.get("/api/v1/campaigns/" + id + "/recipients/" + seq + "/calls", token);
    assertThat(got.statusCode()).as(got.bodyAsString()).isEqualTo(200);
    return got.bodyAsJsonObject().getJsonArray("calls");
  }

  @Test
  void everyNumberEndsWithADispositionAndBusyOrUnansweredOnesAreRetriedAfterTheirDelay() {
    String sender = voice.sender(ari.baseUrl(), "camp-main", 5, 20);
    long machineMessages = ari.played("sound:vm-greeting");
    JsonObject campaign =
        create(
            new JsonObject()
                .put("name", "voice one")
                .put("channel", "voice")
                .put("sender_id", sender)
                .put("max_attempts", 2)
                .put(
                    "recipients",
                    new JsonArray()
                        .add(new JsonObject().put("number", "+14155550101").put("name", "Ann"))
                        .add("+14155551101")
                        .add("+14155552101")
                        .add("+14155553101"))
                .put(
                    "voice",
                    new JsonObject()
                        .put("play", "sound:hello-world")
                        .put("amd", true)
                        .put("machine_action", "message")
                        .put("machine_message", "sound:vm-greeting")
                        .put("variables", new JsonObject().put("CUSTOMER", "{{name}}"))
                        .put("max_concurrent_calls", 2)
                        .put("retry_delays", new JsonArray().add(2))));
    String id = campaign.getString("id");
    assertThat(campaign.getString("channel")).isEqualTo("voice");
    assertThat(campaign.getJsonObject("voice").getInteger("max_concurrent_calls")).isEqualTo(2);
    action(id, "start", 200);
    Await.until("campaign completed", Duration.ofSeconds(60), () -> status(id).equals("completed"));

    Map<String, JsonObject> byNumber = recipients(id);
    assertThat(byNumber.get("+14155550101").getString("disposition")).isEqualTo("completed");
    assertThat(byNumber.get("+14155551101").getString("disposition")).isEqualTo("busy");
    assertThat(byNumber.get("+14155552101").getString("disposition")).isEqualTo("machine");
    assertThat(byNumber.get("+14155553101").getString("disposition")).isEqualTo("no_answer");
    assertThat(byNumber.get("+14155551101").getInteger("attempts")).isEqualTo(2);
    assertThat(byNumber.get("+14155553101").getInteger("attempts")).isEqualTo(2);
    assertThat(byNumber.get("+14155550101").getInteger("attempts")).isEqualTo(1);

    // the busy number's history: two calls, each with its CDR, the second after the delay
    JsonArray busy = attempts(id, byNumber.get("+14155551101").getLong("seq"));
    assertThat(busy).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(busy.getJsonObject(i).getString("status")).isEqualTo("busy");
      assertThat(busy.getJsonObject(i).getString("cdr_id")).isNotNull();
      assertThat(busy.getJsonObject(i).getString("campaign_id")).isEqualTo(id);
    }
    Instant firstEnded = Instant.parse(busy.getJsonObject(0).getString("ended_at"));
    Instant secondCreated = Instant.parse(busy.getJsonObject(1).getString("created_at"));
    assertThat(secondCreated).isAfterOrEqualTo(firstEnded.plusSeconds(2));

    // the recipient's data filled the call's variables
    JsonArray ann = attempts(id, byNumber.get("+14155550101").getLong("seq"));
    assertThat(ann.getJsonObject(0).getJsonObject("variables").getString("CUSTOMER"))
        .isEqualTo("Ann");

    // AMD said MACHINE: the campaign's machine message was played, then the call hung up
    assertThat(ari.played("sound:vm-greeting") - machineMessages).isEqualTo(1);

    JsonObject stats = client.get("/api/v1/campaigns/" + id + "/stats", token).bodyAsJsonObject();
    assertThat(stats.getLong("answered")).isEqualTo(1);
    assertThat(stats.getLong("busy")).isEqualTo(2);
    assertThat(stats.getLong("no_answer")).isEqualTo(2);
    assertThat(stats.getLong("machine")).isEqualTo(1);
    assertThat(stats.getLong("calling")).isZero();
    assertThat(stats.getLong("attempts")).isEqualTo(6);
    assertThat(stats.getLong("cdrs")).as("one CDR per attempt").isEqualTo(6);
    assertThat(stats.getDouble("average_talk_seconds")).isPositive();
    JsonObject cdrs = client.get("/api/v1/cdrs/stats?campaign_id=" + id, token).bodyAsJsonObject();
    assertThat(cdrs.getLong("calls")).isEqualTo(6);

    // the status document is the dialler's, not SMS's
    JsonObject status = client.get("/api/v1/campaigns/" + id + "/status", token).bodyAsJsonObject();
    assertThat(status.getString("status")).isEqualTo("completed");
    assertThat(status.getLong("calling")).isZero();
    assertThat(status.getLong("answered")).isEqualTo(1);
    assertThat(status.getLong("busy")).isEqualTo(2);
    assertThat(status.getLong("no_answer")).isEqualTo(2);
    assertThat(status.getLong("machine")).isEqualTo(1);
    assertThat(status.getLong("failed")).isZero();
    assertThat(status.getDouble("average_talk_seconds")).isPositive();
    assertThat(status.getDouble("percentage")).isEqualTo(100.0);
    assertThat(status.getJsonObject("recipients").getLong("total")).isEqualTo(4);
    assertThat(status.containsKey("delivered")).isFalse();

    // the export has each number's disposition, attempts and latest call's CDR figures
    HttpResponse<Buffer> export = client.get("/api/v1/campaigns/" + id + "/export", token);
    assertThat(export.statusCode()).isEqualTo(200);
    String[] lines = export.bodyAsString().split("\r\n");
    assertThat(lines[0])
        .startsWith(
            "phone_number,status,disposition,attempts,reason,call_id,hangup_cause,ring_seconds,"
                + "talk_seconds,amd_status,dtmf,ended_at,next_attempt_at,name");
    assertThat(lines).hasSize(5);
    Map<String, String[]> rows = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] cells = lines[i].split(",", -1);
      rows.put(cells[0], cells);
    }
    assertThat(rows.get("+14155551101")[2]).isEqualTo("busy");
    assertThat(rows.get("+14155551101")[3]).isEqualTo("2");
    assertThat(rows.get("+14155551101")[5]).isEqualTo(busy.getJsonObject(1).getString("id"));
    assertThat(rows.get("+14155552101")[2]).isEqualTo("machine");
    assertThat(rows.get("+14155552101")[9]).isEqualTo("MACHINE");
    assertThat(rows.get("+14155553101")[2]).isEqualTo("no_answer");
    assertThat(rows.get("+14155550101")[2]).isEqualTo("completed");
    assertThat(rows.get("+14155550101")[3]).isEqualTo("1");
    assertThat(Double.parseDouble(rows.get("+14155550101")[8])).isPositive();
    assertThat(rows.get("+14155550101")[13]).isEqualTo("Ann");
  }

  @Test
  void machineActionHangupEndsTheCallWithoutPlayingAnything() {
    String sender = voice.sender(ari.baseUrl(), "camp-hangup", 5, 20);
    long played = ari.played("sound:for-humans");
    JsonObject campaign =
        create(
            new JsonObject()
                .put("name", "voice hangup")
                .put("channel", "voice")
                .put("sender_id", sender)
                .put("recipients", new JsonArray().add("+14155552201").add("+14155554201"))
                .put(
                    "voice",
                    new JsonObject()
                        .put("play", "sound:for-humans")
                        .put("amd", true)
                        .put("machine_action", "hangup")));
    String id = campaign.getString("id");
    action(id, "start", 200);
    Await.until("campaign completed", Duration.ofSeconds(60), () -> status(id).equals("completed"));
    Map<String, JsonObject> byNumber = recipients(id);
    assertThat(byNumber.get("+14155552201").getString("disposition")).isEqualTo("machine");
    assertThat(byNumber.get("+14155554201").getString("disposition")).isEqualTo("completed");
    assertThat(ari.played("sound:for-humans") - played).as("only the human heard it").isEqualTo(1);
  }

  @Test
  void pauseHoldsTheDiallerAndStopCancelsWhatIsLeft() {
    String sender = voice.sender(ari.baseUrl(), "camp-stop", 10, 20);
    JsonArray numbers = new JsonArray();
    for (int i = 0; i < 20; i++) {
      numbers.add(String.format("+1415555%04d", 4000 + i)); // answered, 30 s of talk
    }
    JsonObject campaign =
        create(
            new JsonObject()
                .put("name", "voice stop")
                .put("channel", "voice")
                .put("sender_id", sender)
                .put("recipients", numbers)
                .put(
                    "voice",
                    new JsonObject()
                        .put("play", "sound:long-story")
                        .put("max_concurrent_calls", 2)));
    String id = campaign.getString("id");
    action(id, "start", 200);
    Await.until(
        "two calls up",
        Duration.ofSeconds(30),
        () ->
            client
                    .get("/api/v1/campaigns/" + id + "/stats", token)
                    .bodyAsJsonObject()
                    .getLong("calling")
                == 2);
    action(id, "pause", 200);
    Await.stillAfter(
        Duration.ofSeconds(2),
        "no more than the cap's calls while paused",
        () ->
            client.get("/api/v1/calls?limit=200", token).bodyAsJsonObject() != null
                && callsOf(id) <= 2);
    action(id, "resume", 200);
    JsonObject stopped = action(id, "stop", 200);
    assertThat(stopped.getString("status")).isEqualTo("stopped");
    Map<String, JsonObject> byNumber = recipients(id);
    long canceled =
        byNumber.values().stream().filter(r -> "canceled".equals(r.getString("status"))).count();
    assertThat(canceled).isGreaterThanOrEqualTo(16);
    assertThat(callsOf(id)).isLessThanOrEqualTo(4);
    // the calls still up go on to their end with their CDR; hang them up
    client
        .get("/api/v1/calls?status=answered&limit=200", token)
        .bodyAsJsonObject()
        .getJsonArray("data")
        .forEach(
            c -> {
              JsonObject call = (JsonObject) c;
              if (id.equals(call.getString("campaign_id"))) {
                client.delete("/api/v1/calls/" + call.getString("id"), token);
              }
            });
    Await.until(
        "the campaign's calls ended",
        Duration.ofSeconds(30),
        () ->
            client
                    .get("/api/v1/campaigns/" + id + "/stats", token)
                    .bodyAsJsonObject()
                    .getLong("calling")
                == 0);
  }

  private static long callsOf(String campaignId) {
    return client
        .get("/api/v1/campaigns/" + campaignId + "/stats", token)
        .bodyAsJsonObject()
        .getLong("attempts");
  }

  @Test
  void aVoiceCampaignWithoutASoundOrWithABadMachineActionIsRefusedWithFieldErrors() {
    String sender = voice.sender(ari.baseUrl(), "camp-bad", 5, 20);
    HttpResponse<Buffer> noVoice =
        client.post(
            "/api/v1/campaigns",
            token,
            new JsonObject()
                .put("name", "bad")
                .put("channel", "voice")
                .put("sender_id", sender)
                .put("message", "hello"));
    assertThat(noVoice.statusCode()).isEqualTo(422);
    assertThat(noVoice.bodyAsString()).contains("\"voice\"").contains("\"message\"");
    HttpResponse<Buffer> bad =
        client.post(
            "/api/v1/campaigns",
            token,
            new JsonObject()
                .put("name", "bad")
                .put("channel", "voice")
                .put("sender_id", sender)
                .put(
                    "voice",
                    new JsonObject()
                        .put("play", "hello.wav")
                        .put("machine_action", "message")
                        .put("retry_delays", new JsonArray().add(-1))
                        .put("colour", "red")));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.bodyAsString())
        .contains("voice.play")
        .contains("voice.machine_message")
        .contains("voice.retry_delays")
        .contains("voice.colour");
    HttpResponse<Buffer> smsSender =
        client.post(
            "/api/v1/campaigns",
            token,
            new JsonObject()
                .put("name", "sms voice")
                .put("channel", "sms")
                .put("message", "hi")
                .put("voice", new JsonObject().put("play", "sound:x")));
    assertThat(smsSender.statusCode()).isEqualTo(422);
    assertThat(smsSender.bodyAsString()).contains("not_supported");
  }
}
