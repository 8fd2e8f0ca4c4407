package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two hundred calls through one sender capped at 30 concurrent calls and 20 calls a second, with
 * mixed outcomes (answered, busy, no answer, congestion, answering machines): the simulator's live
 * channels, sampled every 100 ms, never pass 30 and reach it; every call ends; there is one CDR per
 * call, and the dispositions add up.
 */
@Tag("serial")
class AriLoadTest {
  private static final int CALLS = 200;
  private static final int CAP = 30;

  @Test
  void twoHundredCallsNeverPassTheCapAndEachEndsWithOneCdr() throws Exception {
    Vertx simVertx = Vertx.vertx();
    AriSimulator ari =
        AriSimulator.start(
                simVertx,
                AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
                    .withCalls(
                        CallScript.answer(Duration.ofMillis(300), Duration.ofMillis(3000)),
                        0.15,
                        0.15,
                        0.05)
                    .withNumber(
                        "+1555900",
                        CallScript.answer(Duration.ofMillis(300), null)
                            .withAmd("MACHINE", "INITIALSILENCE-2500-2500")))
            .await();
    TestHerald herald = TestHerald.start();
    try {
      TestClient client = herald.client();
      String admin = client.loginAdmin();
      VoiceTesting voice = new VoiceTesting(client, admin);
      String sender = voice.sender(ari.baseUrl(), "herald-load", CAP, 20);
      AtomicInteger most = new AtomicInteger();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  most.accumulateAndGet(ari.liveChannels(), Math::max);
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.start();
      long started = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        boolean machine = i % 10 == 0;
        ids.add(
            voice.call(
                sender,
                (machine ? "+1555900" : "+1555123") + String.format("%04d", i),
                new JsonObject().put("amd", machine)));
      }
      for (String id : ids) {
        Await.until(
            "call " + id + " to end",
            Duration.ofSeconds(120),
            () -> voice.get(id).getString("status"),
            s -> !List.of("queued", "dialing", "ringing", "answered").contains(s));
      }
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      sampling.set(false);
      sampler.join();
      JsonObject stats = client.get("/api/v1/cdrs/stats", admin).bodyAsJsonObject();
      System.out.printf(
          "AriLoadTest: %d calls in %d s, cap %d: most live channels sampled %d, simulator peak %d;"
              + " %s%n",
          CALLS,
          seconds,
          CAP,
          most.get(),
          ari.peakChannels(),
          stats.getJsonObject("by_disposition"));
      assertThat(most.get()).isLessThanOrEqualTo(CAP);
      assertThat(ari.peakChannels()).isEqualTo(CAP);
      assertThat(stats.getLong("calls")).as("one CDR per call").isEqualTo(CALLS);
      JsonObject by = stats.getJsonObject("by_disposition");
      assertThat(by.getLong("machine")).isEqualTo(CALLS / 10);
      assertThat(by.getLong("busy")).isPositive();
      assertThat(by.getLong("no_answer")).isPositive();
      assertThat(by.getLong("completed")).isPositive();
      assertThat(
              by.getLong("completed")
                  + by.getLong("busy")
                  + by.getLong("no_answer")
                  + by.getLong("failed")
                  + by.getLong("machine"))
          .isEqualTo(CALLS);
      assertThat(ari.liveChannels()).isZero();
    } finally {
      herald.close();
      ari.close().await();
      simVertx.close().await();
    }
  }
}
