package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.sim.ari.CallScript.Outcome;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls through the API against the ARI simulator: outcomes with their dispositions, hang-up
 * causes, events and CDRs; the concurrent-call cap; hang-up by DELETE; a dropped events socket;
 * tenant isolation.
 */
class AriCallsTest {
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
    ari = AriSimulator.start(simVertx, simConfig()).await();
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    voice = new VoiceTesting(client, admin);
    sender = voice.sender(ari.baseUrl(), "herald-calls", 10, 50);
  }

  /** Calls scripted by number prefix: see each test. */
  private static AriSimConfig simConfig() {
    return AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
        .withNumber(
            "+1555800",
            CallScript.answer(Duration.ofMillis(50), null)
                .withAmd("MACHINE", "LONGGREETING-2000-1500"))
        .withNumber(
            "+1555810",
            CallScript.answer(Duration.ofMillis(50), Duration.ofMillis(300))
                .withAmd("HUMAN", "HUMAN-300-1000"))
        .withNumber("+1555210", CallScript.unanswered(Outcome.BUSY, Duration.ofMillis(400)))
        .withNumber("+1555310", CallScript.unanswered(Outcome.NO_ANSWER, Duration.ofMillis(400)))
        .withNumber("+1555610", CallScript.answer(Duration.ofMillis(100), Duration.ofMillis(400)))
        .withNumber("+1555100", CallScript.answer(Duration.ofMillis(100), Duration.ofMillis(300)))
        .withNumber("+1555200", CallScript.unanswered(Outcome.BUSY, Duration.ofMillis(100)))
        .withNumber("+1555300", CallScript.unanswered(Outcome.NO_ANSWER, Duration.ofMillis(100)))
        .withNumber("+1555400", CallScript.unanswered(Outcome.CONGESTION, Duration.ofMillis(50)))
        .withNumber("+1555500", CallScript.answer(Duration.ofMillis(50), null))
        .withNumber("+1555600", CallScript.answer(Duration.ofMillis(50), Duration.ofMillis(250)))
        .withNumber(
            "+1555700",
            CallScript.answer(Duration.ofMillis(50), Duration.ofSeconds(5)).withDtmf("12#"));
  }

  /** A simulator of the test's own, so its live channel count is the test's calls only. */
  private static AriSimulator ownSimulator() {
    return AriSimulator.start(simVertx, simConfig()).await();
  }

  @AfterAll
  static void stop() {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  @Test
  void anAnsweredCallCompletesWithItsEventsAndCdr() throws Exception {
    String id = voice.call(sender, "+15551000001", new JsonObject());
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(20));
    assertThat(call.getInteger("hangup_cause")).isEqualTo(16);
    assertThat(call.getString("answered_at")).isNotNull();
    assertThat(call.getString("channel_id")).startsWith("herald-" + id);
    JsonObject cdr = voice.cdrOf(id);
    assertThat(cdr).isNotNull();
    assertThat(cdr.getString("disposition")).isEqualTo("completed");
    assertThat(cdr.getInteger("hangup_cause")).isEqualTo(16);
    assertThat(cdr.getString("hangup_cause_text")).isEqualTo("Normal Clearing");
    assertThat(cdr.getDouble("talk_seconds")).isGreaterThan(0.2);
    assertThat(cdr.getDouble("ring_seconds")).isGreaterThan(0.05);
    assertThat(cdr.getString("caller_id")).contains("+15550100");
    assertThat(client.get("/api/v1/cdrs/" + cdr.getString("id"), admin).bodyAsJsonObject())
        .isEqualTo(cdr);
    assertThat(VoiceTesting.events(herald.database(), id))
        .containsExactly("call.queued", "call.ringing", "call.answered", "call.completed");
  }

  @Test
  void unansweredCallsEndWithTheirDispositionAndHangupCause() throws Exception {
    String busy = voice.call(sender, "+15552000001", new JsonObject());
    String noAnswer = voice.call(sender, "+15553000001", new JsonObject());
    String failed = voice.call(sender, "+15554000001", new JsonObject());
    assertThat(voice.await(busy, "busy", Duration.ofSeconds(20)).getInteger("hangup_cause"))
        .isEqualTo(17);
    assertThat(
            voice.await(noAnswer, "no_answer", Duration.ofSeconds(20)).getInteger("hangup_cause"))
        .isEqualTo(19);
    assertThat(voice.await(failed, "failed", Duration.ofSeconds(20)).getInteger("hangup_cause"))
        .isEqualTo(34);
    assertThat(voice.cdrOf(busy).getString("disposition")).isEqualTo("busy");
    assertThat(voice.cdrOf(noAnswer).getString("disposition")).isEqualTo("no_answer");
    assertThat(voice.cdrOf(failed).getString("disposition")).isEqualTo("failed");
    assertThat(voice.cdrOf(busy).getDouble("talk_seconds")).isZero();
    assertThat(VoiceTesting.events(herald.database(), busy))
        .containsExactly("call.queued", "call.ringing", "call.failed");
    HttpResponse<Buffer> busyOnly = client.get("/api/v1/cdrs?disposition=busy", admin);
    assertThat(busyOnly.bodyAsJsonObject().getJsonArray("data").stream())
        .allMatch(c -> ((JsonObject) c).getString("disposition").equals("busy"))
        .isNotEmpty();
    HttpResponse<Buffer> csv = client.get("/api/v1/cdrs/export?format=csv&disposition=busy", admin);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(csv.bodyAsString())
        .startsWith("id,call_id,")
        .contains(busy)
        .contains(",busy,17,")
        .doesNotContain(noAnswer);
    JsonObject stats = client.get("/api/v1/cdrs/stats", admin).bodyAsJsonObject();
    assertThat(stats.getJsonObject("by_disposition").getLong("busy")).isGreaterThanOrEqualTo(1);
    assertThat(stats.getLong("calls")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theConcurrentCallCapIsNeverExceededAndEverySlotIsReleased() {
    AriSimulator ari = ownSimulator();
    String capped = voice.sender(ari.baseUrl(), "herald-capped", 3, 50);
    AtomicInteger most = new AtomicInteger();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                int up = ari.liveChannels();
                most.accumulateAndGet(up, Math::max);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // answered, busy and no-answer calls mixed: every outcome must give its slot back
      String prefix = i % 3 == 0 ? "+1555610" : i % 3 == 1 ? "+1555210" : "+1555310";
      ids.add(voice.call(capped, prefix + String.format("%04d", i), new JsonObject()));
    }
    try {
      for (String id : ids) {
        Await.until(
            "call " + id + " to end",
            Duration.ofSeconds(60),
            () -> voice.get(id).getString("status"),
            s -> !List.of("queued", "dialing", "ringing", "answered").contains(s));
      }
    } finally {
      sampling.set(false);
    }
    // only this sender dials now, so the simulator's live channels are its calls
    assertThat(most.get()).isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
    assertThat(ari.peakChannels()).isEqualTo(3); // the simulator's own peak: reached, never passed
    // no slot leaked: three more calls still go through
    for (int i = 0; i < 3; i++) {
      voice.await(
          voice.call(capped, "+1555600900" + i, new JsonObject()),
          "completed",
          Duration.ofSeconds(20));
    }
    JsonObject status =
        client.get("/api/v1/senders/" + capped + "/status", admin).bodyAsJsonObject();
    assertThat(status.toString()).contains("\"live_calls\":0");
  }

  @Test
  void callsBeyondTheCapWaitQueuedUntilASlotIsFree() {
    AriSimulator ari = ownSimulator();
    String held = voice.sender(ari.baseUrl(), "herald-held", 3, 50);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(voice.call(held, "+155550020" + i, new JsonObject())); // answered, never hung up
    }
    Await.until(
        "three calls answered",
        Duration.ofSeconds(20),
        () ->
            ids.stream().filter(id -> voice.get(id).getString("status").equals("answered")).count(),
        n -> n == 3);
    Await.stillAfter(
        Duration.ofMillis(500),
        "two calls still queued",
        () ->
            ids.stream().filter(id -> voice.get(id).getString("status").equals("queued")).count()
                == 2);
    String up =
        ids.stream()
            .filter(id -> voice.get(id).getString("status").equals("answered"))
            .findFirst()
            .orElseThrow();
    assertThat(client.delete("/api/v1/calls/" + up, admin).statusCode()).isEqualTo(202);
    voice.await(up, "completed", Duration.ofSeconds(20));
    Await.until(
        "a queued call dialled in the freed slot",
        Duration.ofSeconds(20),
        () ->
            ids.stream().filter(id -> voice.get(id).getString("status").equals("answered")).count(),
        n -> n == 3);
    for (String id : ids) {
      client.delete("/api/v1/calls/" + id, admin);
    }
    for (String id : ids) {
      Await.until(
          "call " + id + " to end",
          Duration.ofSeconds(20),
          () -> voice.get(id).getString("status"),
          s -> s.equals("completed") || s.equals("canceled"));
    }
  }

  @Test
  void deleteHangsUpAnAnsweredCall() {
    String id = voice.call(sender, "+15555000001", new JsonObject());
    voice.await(id, "answered", Duration.ofSeconds(20));
    HttpResponse<Buffer> hung = client.delete("/api/v1/calls/" + id, admin);
    assertThat(hung.statusCode()).as(hung.bodyAsString()).isEqualTo(202);
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(20));
    assertThat(call.getInteger("hangup_cause")).isEqualTo(16);
    assertThat(voice.cdrOf(id).getDouble("talk_seconds")).isGreaterThan(0);
    assertThat(client.delete("/api/v1/calls/" + id, admin).statusCode()).isEqualTo(409);
  }

  @Test
  void keyPressesAreRecordedOnTheCallAndItsCdr() {
    String id = voice.call(sender, "+15557000001", new JsonObject());
    Await.until(
        "three key presses on call " + id,
        Duration.ofSeconds(20),
        () -> voice.get(id).getString("dtmf"),
        "12#"::equals);
    client.delete("/api/v1/calls/" + id, admin);
    voice.await(id, "completed", Duration.ofSeconds(20));
    assertThat(voice.cdrOf(id).getString("dtmf")).isEqualTo("12#");
  }

  @Test
  void aPlayCallPlaysItsSoundAndHangsUp() {
    String id =
        voice.call(sender, "+15555000002", new JsonObject().put("play", "sound:hello-world"));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(20));
    assertThat(call.getInteger("hangup_cause")).isEqualTo(16);
    assertThat(voice.cdrOf(id).getString("disposition")).isEqualTo("completed");
  }

  @Test
  void anAnsweringMachineEndsTheCallAsMachine() throws Exception {
    String id = voice.call(sender, "+15558000001", new JsonObject().put("amd", true));
    JsonObject call = voice.await(id, "machine", Duration.ofSeconds(20));
    assertThat(call.getString("amd_status")).isEqualTo("MACHINE");
    assertThat(call.getString("amd_cause")).isEqualTo("LONGGREETING-2000-1500");
    JsonObject cdr = voice.cdrOf(id);
    assertThat(cdr.getString("disposition")).isEqualTo("machine");
    assertThat(cdr.getString("amd_status")).isEqualTo("MACHINE");
    assertThat(VoiceTesting.events(herald.database(), id)).endsWith("call.completed");
    String human = voice.call(sender, "+15558100001", new JsonObject().put("amd", true));
    assertThat(voice.await(human, "completed", Duration.ofSeconds(20)).getString("amd_status"))
        .isEqualTo("HUMAN");
  }

  @Test
  void aRecordedCallNamesItsRecordingOnTheCdr() {
    String id = voice.call(sender, "+15551000009", new JsonObject().put("record", true));
    voice.await(id, "completed", Duration.ofSeconds(20));
    assertThat(voice.cdrOf(id).getString("recording")).isEqualTo("herald-" + id);
  }

  @Test
  void aDroppedEventsSocketIsReconnectedAndNoCallIsLost() {
    String ending = voice.call(sender, "+15555000003", new JsonObject());
    String staying = voice.call(sender, "+15555000004", new JsonObject());
    JsonObject endingCall = voice.await(ending, "answered", Duration.ofSeconds(20));
    voice.await(staying, "answered", Duration.ofSeconds(20));
    WebClient web = WebClient.create(simVertx);
    try {
      HttpResponse<Buffer> dropped =
          web.postAbs(ari.baseUrl() + "/_sim/drop-websocket?app=herald-calls").send().await();
      assertThat(dropped.bodyAsJsonObject().getInteger("dropped")).isEqualTo(1);
      // while Herald is away, the far end hangs up one call: its ChannelDestroyed is lost
      HttpResponse<Buffer> hungUp =
          web.deleteAbs(ari.baseUrl() + "/ari/channels/" + endingCall.getString("channel_id"))
              .basicAuthentication(VoiceTesting.USER, VoiceTesting.PASSWORD)
              .send()
              .await();
      assertThat(hungUp.statusCode()).isEqualTo(204);
    } finally {
      web.close();
    }
    // reconciliation after the reconnect ends it; the other is still followed
    JsonObject ended = voice.await(ending, "completed", Duration.ofSeconds(20));
    assertThat(ended.getString("error")).contains("events socket was down");
    assertThat(voice.cdrOf(ending)).isNotNull();
    assertThat(voice.get(staying).getString("status")).isEqualTo("answered");
    assertThat(client.delete("/api/v1/calls/" + staying, admin).statusCode()).isEqualTo(202);
    assertThat(voice.await(staying, "completed", Duration.ofSeconds(20)).getInteger("hangup_cause"))
        .isEqualTo(16);
  }

  @Test
  void anotherAccountsCallAnswers404() {
    String id = voice.call(sender, "+15551000002", new JsonObject());
    JsonObject other =
        client
            .post(
                "/api/v1/accounts",
                admin,
                new JsonObject()
                    .put("name", "other tenant")
                    .put("admin_username", "voice-other")
                    .put("admin_password", "password-voice-other"))
            .bodyAsJsonObject();
    assertThat(other.getString("id")).isNotNull();
    String token = client.login("voice-other", "password-voice-other");
    assertThat(client.get("/api/v1/calls/" + id, token).statusCode()).isEqualTo(404);
    assertThat(client.delete("/api/v1/calls/" + id, token).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/calls", token).bodyAsJsonObject().getJsonArray("data"))
        .isEmpty();
    HttpResponse<Buffer> foreignSender =
        client.post(
            "/api/v1/calls",
            token,
            new JsonObject().put("to", "+15551000003").put("sender_id", sender));
    assertThat(foreignSender.statusCode()).isEqualTo(422);
    voice.await(id, "completed", Duration.ofSeconds(20));
  }

  @Test
  void badCallRequestsAnswerProblemsWithFieldErrors() {
    HttpResponse<Buffer> bad =
        client.post(
            "/api/v1/calls",
            admin,
            new JsonObject()
                .put("to", "not a number")
                .put("sender_id", "nope")
                .put("timeout_seconds", 0)
                .put("play", "http://x"));
    assertThat(bad.statusCode()).isIn(400, 422);
    assertThat(bad.getHeader("Content-Type")).contains("problem+json");
    assertThat(bad.bodyAsString())
        .contains("to")
        .contains("sender_id")
        .contains("timeout_seconds")
        .contains("play");
  }
}
