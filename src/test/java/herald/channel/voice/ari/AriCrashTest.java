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
 * Runs {@code herald.Main} as its own JVM against an ARI simulator in this JVM, kills it with
 * SIGKILL while 30 calls are up, and restarts it on the same data: every one of those calls ends
 * with a CDR, the simulator is left with no channel, and the sender still dials (no slot leaked).
 */
@Tag("serial")
class AriCrashTest {
  private static final int CALLS = 30;
  private static Vertx simVertx;
  private static AriSimulator ari;
  private static HeraldProcess herald;

  @BeforeAll
  static void prepare() throws Exception {
    simVertx = Vertx.vertx();
    ari =
        AriSimulator.start(
                simVertx,
                AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
                    .withNumber("+1555500", CallScript.answer(Duration.ofMillis(50), null))
                    .withNumber(
                        "+1555600",
                        CallScript.answer(Duration.ofMillis(50), Duration.ofMillis(250))))
            .await();
    herald =
        new HeraldProcess(
            "ari-crash-pw",
            Map.of(
                "HERALD_SIMULATORS_ENABLED", "false",
                "HERALD_RATE_LIMITS_OTHER_LIMIT", "100000",
                // a killed node's lanes move within 4 s instead of 15
                "HERALD_CLUSTER_LEASE_MS", "4000",
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

  private static String status(String token, String id) throws Exception {
    return call("GET", "/api/v1/calls/" + id, token, null).getString("status");
  }

  @Test
  void everyCallUpWhenHeraldIsKilledEndsWithACdrAfterTheRestart() throws Exception {
    Process first = herald.launch();
    herald.awaitReady(first);
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
                            .put("app", "herald-crash")
                            .put("endpoint", "PJSIP/{number}@trunk")
                            .put("max_concurrent_calls", CALLS)
                            .put("calls_per_second", 50)))
            .getString("id");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      ids.add(
          call(
                  "POST",
                  "/api/v1/calls",
                  token,
                  new JsonObject()
                      .put("to", String.format("+1555500%04d", i))
                      .put("sender_id", sender))
              .getString("id"));
    }
    for (String id : ids) {
      Await.until(
          "call " + id + " answered",
          Duration.ofSeconds(30),
          () -> status(token, id).equals("answered"));
    }
    assertThat(ari.liveChannels()).isEqualTo(CALLS);

    first.destroyForcibly().waitFor();
    assertThat(ari.liveChannels()).as("the channels outlive Herald").isEqualTo(CALLS);

    Process second = herald.launch();
    herald.awaitReady(second);
    String token2 = herald.login();
    for (String id : ids) {
      Await.until(
          "call " + id + " ended after the restart",
          Duration.ofSeconds(60),
          () -> status(token2, id).equals("completed"));
    }
    Set<String> recorded = new HashSet<>();
    String cursor = null;
    do {
      JsonObject page =
          call(
              "GET",
              "/api/v1/cdrs?limit=200" + (cursor == null ? "" : "&cursor=" + cursor),
              token2,
              null);
      JsonArray data = page.getJsonArray("data");
      for (int i = 0; i < data.size(); i++) {
        recorded.add(data.getJsonObject(i).getString("call_id"));
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertThat(recorded).as("one CDR per call").containsExactlyInAnyOrderElementsOf(ids);
    Await.until("no channel left", Duration.ofSeconds(10), () -> ari.liveChannels() == 0);
    // no slot leaked: a full cap of new calls still goes through
    List<String> after = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      after.add(
          call(
                  "POST",
                  "/api/v1/calls",
                  token2,
                  new JsonObject()
                      .put("to", String.format("+1555600%04d", i))
                      .put("sender_id", sender))
              .getString("id"));
    }
    try {
      for (String id : after) {
        Await.until(
            "call " + id + " completed",
            Duration.ofSeconds(60),
            () -> status(token2, id).equals("completed"));
      }
    } catch (AssertionError e) {
      // what the process saw, for the report (its data dir is deleted with it)
      for (String id : after) {
        System.out.println(
            "call after restart: " + call("GET", "/api/v1/calls/" + id, token2, null));
      }
      String log = herald.log();
      System.out.println("Herald's log: " + log.substring(Math.max(0, log.length() - 20000)));
      throw e;
    }
  }
}
