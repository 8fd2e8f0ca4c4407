package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.Await;
import herald.testing.HeraldProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as its own JVM, starts a 60-number voice campaign capped at 30, and
 * kills Herald with SIGKILL while the campaign's first 30 calls are up. After the restart on the
 * same data every one of those calls ends with a CDR, the campaign dials the other 30 numbers and
 * completes, the simulator is left with no channel, and the sender's whole cap of calls still goes
 * up at once (no slot leaked).
 */
@Tag("serial")
class VoiceCampaignCrashTest {
  private static final int CAP = 30;
  private static Vertx simVertx;
  private static AriSimulator ari;
  private static HeraldProcess herald;

  @BeforeAll
  static void prepare() throws Exception {
    simVertx = Vertx.vertx();
    ari =
        AriSimulator.start(
                simVertx,
                VoiceCampaignLoadTest.withPlayback(
                        AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD),
                        Duration.ofMinutes(5))
                    // until the kill every callee stays on the line (the message plays for
                    // minutes), so whichever 30 numbers are up when Herald dies are still up
                    .withNumber("+14155557", CallScript.answer(Duration.ofMillis(50), null))
                    .withNumber("+14155556", CallScript.answer(Duration.ofMillis(50), null)))
            .await();
    herald =
        new HeraldProcess(
            "voice-camp-crash-pw",
            Map.of(
                "HERALD_SIMULATORS_ENABLED", "false",
                "HERALD_RATE_LIMITS_OTHER_LIMIT", "100000",
                // a killed node's lanes and campaigns move within 10 s; shorter leases are lost
                // by a starved process on a loaded machine (its lane stops and hangs its calls up)
                "HERALD_CLUSTER_LEASE_MS", "10000",
                "HERALD_CLUSTER_RENEW_INTERVAL_MS", "1000"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  private static JsonObject call(String method, String path, String token, JsonObject body)
      throws Exception {
    return herald.ok(method, path, token, body);
  }

  private static String status(String path, String token) throws Exception {
    return call("GET", path, token, null).getString("status");
  }

  @Test
  void callsUpWhenHeraldIsKilledEndWithACdrAndTheCampaignCompletes() throws Exception {
    Process first = herald.launch();
    try {
      herald.awaitReady(first);
    } catch (AssertionError e) {
      System.out.println("ready: " + herald.call("GET", "/health/ready", null, null).body());
      String log = herald.log();
      System.out.println("Herald's log: " + log.substring(Math.max(0, log.length() - 20000)));
      throw e;
    }
    String token = herald.login();
    String sender =
        call(
                "POST",
                "/api/v1/senders",
                token,
                new JsonObject()
                    .put("name", "crash trunk")
                    .put("provider", "ari")
                    .put("rate_per_second", 100)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("base_url", ari.baseUrl() + "/ari")
                            .put("username", VoiceTesting.USER)
                            .put("password", VoiceTesting.PASSWORD)
                            .put("app", "herald-camp-crash")
                            .put("endpoint", "PJSIP/{number}@trunk")
                            .put("max_concurrent_calls", CAP)
                            .put("calls_per_second", 50)))
            .getString("id");
    JsonArray numbers = new JsonArray();
    for (int i = 0; i < CAP; i++) {
      numbers.add(String.format("+14155557%03d", i));
    }
    for (int i = 0; i < CAP; i++) {
      numbers.add(String.format("+14155556%03d", i));
    }
    String id =
        call(
                "POST",
                "/api/v1/campaigns",
                token,
                new JsonObject()
                    .put("name", "voice crash")
                    .put("channel", "voice")
                    .put("sender_id", sender)
                    .put("recipients", numbers)
                    .put(
                        "voice",
                        new JsonObject()
                            .put("play", "sound:long-message")
                            .put("calls_per_second", 30)))
            .getString("id");
    call("POST", "/api/v1/campaigns/" + id + "/start", token, new JsonObject());
    try {
      // answered, not only dialled: a channel still ringing at the kill would enter Stasis with
      // no application connected, and Asterisk (so the simulator) hangs such a channel up
      Await.until(
          "30 calls answered and up",
          Duration.ofSeconds(90),
          () -> ari.liveChannels() == CAP && ari.stats().getLong("answered", 0L) >= CAP);
    } catch (AssertionError e) {
      System.out.println("simulator: " + ari.stats());
      System.out.println(
          "stats: " + call("GET", "/api/v1/campaigns/" + id + "/stats", token, null));
      String log = herald.log();
      System.out.println("Herald's log: " + log.substring(Math.max(0, log.length() - 30000)));
      throw e;
    }
    JsonObject before = call("GET", "/api/v1/campaigns/" + id + "/stats", token, null);
    first.destroyForcibly().waitFor();
    assertThat(ari.liveChannels()).as("the channels outlive Herald").isEqualTo(CAP);
    // calls placed from now on (the numbers not yet dialled) hang up after half a second
    for (String prefix : List.of("+14155557", "+14155556")) {
      ari.script(prefix, CallScript.answer(Duration.ofMillis(50), Duration.ofMillis(500)));
    }
    // but the cap of calls placed by hand at the end (+14155557100 on) stays up until hung up
    ari.script("+141555571", CallScript.answer(Duration.ofMillis(50), null));

    Process second = herald.launch();
    herald.awaitReady(second);
    String token2 = herald.login();
    try {
      Await.until(
          "the campaign to complete after the restart",
          Duration.ofSeconds(120),
          () -> status("/api/v1/campaigns/" + id, token2).equals("completed"));
    } catch (AssertionError e) {
      System.out.println("before the kill: " + before);
      System.out.println(
          "stats: " + call("GET", "/api/v1/campaigns/" + id + "/stats", token2, null));
      String log = herald.log();
      System.out.println("Herald's log: " + log.substring(Math.max(0, log.length() - 20000)));
      throw e;
    }
    JsonObject stats = call("GET", "/api/v1/campaigns/" + id + "/stats", token2, null);
    assertThat(stats.getJsonObject("recipients").getLong("done")).as(stats.encode()).isEqualTo(60);
    assertThat(stats.getLong("cdrs"))
        .as("one CDR per attempt")
        .isEqualTo(stats.getLong("attempts"));
    assertThat(stats.getLong("attempts")).as("nobody dialled twice").isEqualTo(60);
    // every call of the campaign, those up at the kill included, has its CDR
    Set<String> calls = new HashSet<>();
    Set<String> recorded = new HashSet<>();
    String cursor = null;
    do {
      JsonObject page =
          call(
              "GET",
              "/api/v1/cdrs?limit=200&campaign_id="
                  + id
                  + (cursor == null ? "" : "&cursor=" + cursor),
              token2,
              null);
      for (Object c : page.getJsonArray("data")) {
        recorded.add(((JsonObject) c).getString("call_id"));
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    cursor = null;
    do {
      JsonObject page =
          call(
              "GET",
              "/api/v1/campaigns/"
                  + id
                  + "/recipients?limit=200"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              token2,
              null);
      for (Object r : page.getJsonArray("data")) {
        JsonObject recipient = (JsonObject) r;
        assertThat(recipient.getString("disposition")).as(recipient.encode()).isNotNull();
        calls.add(recipient.getString("call_id"));
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertThat(recorded).containsExactlyInAnyOrderElementsOf(calls);
    Await.until("no channel left", Duration.ofSeconds(10), () -> ari.liveChannels() == 0);

    // no slot leaked: a full cap of new calls goes up at once
    List<String> after = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      after.add(
          call(
                  "POST",
                  "/api/v1/calls",
                  token2,
                  new JsonObject()
                      .put("to", String.format("+14155557%03d", 100 + i))
                      .put("sender_id", sender))
              .getString("id"));
    }
    for (String call : after) {
      Await.until(
          "call " + call + " answered",
          Duration.ofSeconds(60),
          () -> status("/api/v1/calls/" + call, token2).equals("answered"));
    }
    assertThat(ari.liveChannels()).isEqualTo(CAP);
    for (String call : after) {
      call("DELETE", "/api/v1/calls/" + call, token2, null);
    }
    Await.until("no channel left", Duration.ofSeconds(30), () -> ari.liveChannels() == 0);
  }
}
