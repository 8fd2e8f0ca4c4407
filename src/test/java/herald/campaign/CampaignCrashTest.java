package herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscConfig;
import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.HeraldProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as its own JVM against an SMSC simulator in this JVM, kills it with
 * SIGKILL in the middle of a campaign and restarts it: the campaign finishes with every recipient
 * sent once, except at most one SMPP window sent twice; and a campaign paused or stopped before a
 * kill sends nothing after it.
 */
// At most a window sent twice holds only while outcomes are recorded; run alone, not beside
// other test classes competing for the CPU.
@Tag("serial")
class CampaignCrashTest {
  private static final int WINDOW = 20;

  /**
   * Seconds after which a restarted Herald takes back what the killed one left in flight, instead
   * of the default 30 it would otherwise wait out.
   */
  private static final int STALE_SECONDS = 10;

  private static final Map<String, String> RESTART =
      Map.of("HERALD_ENGINE_STALE_SENDING_SECONDS", Integer.toString(STALE_SECONDS));

  private static HeraldProcess herald;
  private static SmscSimulator smsc;

  @BeforeAll
  static void prepare() throws Exception {
    smsc =
        SmscSimulator.start(
            SmscConfig.localDefaults()
                .withBehaviour(Duration.ofMillis(1), 0, Duration.ofMillis(50), 0));
    herald =
        new HeraldProcess(
            "campaign-crash-pw",
            Map.of(
                "HERALD_SIMULATORS_ENABLED", "false",
                "HERALD_RATE_LIMITS_OTHER_LIMIT", "100000"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    herald.close();
    smsc.close();
  }

  private static JsonObject call(String method, String path, String token, JsonObject body)
      throws Exception {
    return herald.ok(method, path, token, body);
  }

  private static void await(String what, Duration limit, Await.Condition done) {
    herald.await(what, limit, done);
  }

  private static long submitsTo(String prefix) {
    return smsc.submitted().stream().filter(s -> s.destination().startsWith(prefix)).count();
  }

  private static String campaign(String token, String sender, String block, int count, int rate)
      throws Exception {
    JsonArray numbers = new JsonArray();
    for (int i = 0; i < count; i++) {
      numbers.add(String.format("+1415%s%04d", block, i));
    }
    String id =
        call(
                "POST",
                "/api/v1/campaigns",
                token,
                new JsonObject()
                    .put("name", "crash " + block)
                    .put("message", "crash test")
                    .put("sender_ids", new JsonArray().add(sender))
                    .put("rate_per_second", rate)
                    .put("recipients", numbers))
            .getString("id");
    call("POST", "/api/v1/campaigns/" + id + "/start", token, null);
    return id;
  }

  @Test
  void aCampaignKilledMidWayFinishesAfterTheRestartWithNoRecipientLost() throws Exception {
    Process first = herald.launch();
    herald.awaitReady(first);
    String token = herald.login();
    String sender =
        call(
                "POST",
                "/api/v1/senders",
                token,
                new JsonObject()
                    .put("name", "crash smsc")
                    .put("provider", "smpp")
                    .put("rate_per_second", 1000)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("host", "127.0.0.1")
                            .put("port", smsc.port())
                            .put("system_id", "herald")
                            .put("password", "herald")
                            .put("source_addr", "Crash")
                            .put("window", WINDOW)))
            .getString("id");
    String running = campaign(token, sender, "700", 3000, 300);
    await("half the campaign sent", Duration.ofSeconds(60), () -> submitsTo("1415700") >= 1500);
    first.destroyForcibly().waitFor();
    long atKill = submitsTo("1415700");
    assertThat(atKill).as("killed mid-way").isLessThan(3000);

    Process second = herald.launch(RESTART);
    herald.awaitReady(second);
    String token2 = herald.login();
    await(
        "the campaign completed after the restart",
        Duration.ofSeconds(90),
        () ->
            "completed"
                .equals(
                    call("GET", "/api/v1/campaigns/" + running + "/status", token2, null)
                        .getString("status")));
    JsonObject status = call("GET", "/api/v1/campaigns/" + running + "/status", token2, null);
    assertThat(status.getLong("total")).isEqualTo(3000);
    assertThat(status.getLong("sent")).as("no recipient lost").isEqualTo(3000);
    Set<String> destinations = new HashSet<>();
    smsc.submitted().stream()
        .filter(s -> s.destination().startsWith("1415700"))
        .forEach(s -> destinations.add(s.destination()));
    assertThat(destinations).hasSize(3000);
    long repeats = submitsTo("1415700") - 3000;
    assertThat(repeats).as("sent twice: at most the SMPP window").isLessThanOrEqualTo(WINDOW);

    // A pause or a stop taken before a crash holds after it: what the killed process had in flight
    // is neither sent again nor lost.
    String paused = campaign(token2, sender, "701", 2000, 100);
    String stopped = campaign(token2, sender, "702", 2000, 100);
    await(
        "some of both sent",
        Duration.ofSeconds(30),
        () -> submitsTo("1415701") >= 100 && submitsTo("1415702") >= 100);
    call("POST", "/api/v1/campaigns/" + paused + "/pause", token2, null);
    call("POST", "/api/v1/campaigns/" + stopped + "/stop", token2, null);
    second.destroyForcibly().waitFor();
    Instant killed = Instant.now();
    await(
        "the killed Herald's SMPP session closed",
        Duration.ofSeconds(10),
        () -> smsc.boundSessions() == 0);
    long atPause = submitsTo("1415701");
    long atStop = submitsTo("1415702");

    Process third = herald.launch(RESTART);
    herald.awaitReady(third);
    String token3 = herald.login();
    // Until the restarted process has taken back what the killed one left in flight (stale after
    // STALE_SECONDS, swept every half of that), and for 3 s at least.
    Duration afterSweep =
        Duration.between(Instant.now(), killed.plusSeconds(STALE_SECONDS * 3 / 2 + 1));
    Await.stillAfter(
        afterSweep.compareTo(Duration.ofSeconds(3)) > 0 ? afterSweep : Duration.ofSeconds(3),
        "the paused and the stopped campaign, with nothing sent, after the restart",
        () -> {
          JsonObject now = call("GET", "/api/v1/campaigns/" + paused + "/status", token3, null);
          JsonObject gone = call("GET", "/api/v1/campaigns/" + stopped + "/status", token3, null);
          return now.getString("status")
              + ", "
              + submitsTo("1415701")
              + " submits; "
              + gone.getString("status")
              + ", "
              + submitsTo("1415702")
              + " submits";
        },
        seen -> seen.equals("paused, " + atPause + " submits; stopped, " + atStop + " submits"));
    call("POST", "/api/v1/campaigns/" + paused + "/stop", token3, null);
    third.destroy();
    assertThat(third.waitFor()).as(herald.log()).isZero();
  }
}
