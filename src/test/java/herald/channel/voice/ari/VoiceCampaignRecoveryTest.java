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
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The events WebSocket is dropped twice in the middle of a voice campaign: Herald reconnects and
 * reconciles its calls, the campaign never has more than its cap up, every number ends with a
 * disposition and every attempt with its CDR, the simulator is left with no channel, and the
 * sender's full cap of calls still goes up at once afterwards (no slot lost).
 */
class VoiceCampaignRecoveryTest {
  private static final int CAP = 10;

  @Test
  void aDroppedEventsSocketMidCampaignLosesNoCallAndNoSlot() throws Exception {
    Vertx simVertx = Vertx.vertx();
    AriSimulator ari =
        AriSimulator.start(
                simVertx,
                VoiceCampaignLoadTest.withPlayback(
                        AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD),
                        Duration.ofMillis(1500))
                    .withCalls(
                        CallScript.answer(Duration.ofMillis(300), Duration.ofSeconds(30)),
                        0.1,
                        0.1,
                        0)
                    .withNumber("+14155558", CallScript.answer(Duration.ofMillis(100), null)))
            .await();
    TestHerald herald = TestHerald.start();
    WebClient web = WebClient.create(simVertx);
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicInteger most = new AtomicInteger();
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
    try {
      TestClient client = herald.client();
      String token = client.loginAdmin();
      VoiceTesting voice = new VoiceTesting(client, token);
      String sender = voice.sender(ari.baseUrl(), "herald-camp-drop", CAP, 20);
      JsonArray numbers = new JsonArray();
      for (int i = 0; i < 120; i++) {
        numbers.add(String.format("+1415555%04d", 1000 + i));
      }
      HttpResponse<Buffer> created =
          client.post(
              "/api/v1/campaigns",
              token,
              new JsonObject()
                  .put("name", "voice drop")
                  .put("channel", "voice")
                  .put("sender_id", sender)
                  .put("max_attempts", 2)
                  .put("recipients", numbers)
                  .put(
                      "voice",
                      new JsonObject()
                          .put("play", "sound:campaign-message")
                          .put("calls_per_second", 10)
                          .put("retry_delays", new JsonArray().add(1))));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String id = created.bodyAsJsonObject().getString("id");
      sampler.start();
      assertThat(
              client
                  .post("/api/v1/campaigns/" + id + "/start", token, new JsonObject())
                  .statusCode())
          .isEqualTo(200);
      for (int drop = 0; drop < 2; drop++) {
        Await.until(
            "calls up before drop " + drop,
            Duration.ofSeconds(30),
            () -> ari.liveChannels() >= CAP - 2);
        HttpResponse<Buffer> dropped =
            web.post(ari.port(), "127.0.0.1", "/_sim/drop-websocket?app=herald-camp-drop")
                .send()
                .await();
        assertThat(dropped.bodyAsJsonObject().getInteger("dropped")).isEqualTo(1);
        Thread.sleep(3000);
      }
      Await.until(
          "the campaign to complete",
          Duration.ofSeconds(120),
          () -> client.get("/api/v1/campaigns/" + id, token).bodyAsJsonObject().getString("status"),
          "completed"::equals);
      sampling.set(false);
      sampler.join();
      JsonObject stats = client.get("/api/v1/campaigns/" + id + "/stats", token).bodyAsJsonObject();
      JsonObject recipients = stats.getJsonObject("recipients");
      assertThat(recipients.getLong("done")).as(stats.encode()).isEqualTo(120);
      assertThat(stats.getLong("cdrs"))
          .as("one CDR per attempt")
          .isEqualTo(stats.getLong("attempts"));
      assertThat(stats.getLong("calling")).isZero();
      assertThat(most.get()).as("live channels sampled").isLessThanOrEqualTo(CAP);
      assertThat(ari.stats().getInteger("websockets")).isEqualTo(1);
      Await.until("no channel left", Duration.ofSeconds(10), () -> ari.liveChannels() == 0);

      // no slot lost: the sender's whole cap goes up at once
      List<String> after = new ArrayList<>();
      for (int i = 0; i < CAP; i++) {
        after.add(voice.call(sender, String.format("+14155558%03d", i), new JsonObject()));
      }
      for (String call : after) {
        voice.await(call, "answered", Duration.ofSeconds(30));
      }
      assertThat(ari.liveChannels()).isEqualTo(CAP);
      for (String call : after) {
        client.delete("/api/v1/calls/" + call, token);
      }
      for (String call : after) {
        voice.await(call, "completed", Duration.ofSeconds(30));
      }
    } finally {
      sampling.set(false);
      if (sampler.isAlive()) {
        sampler.join();
      }
      herald.close();
      ari.close().await();
      simVertx.close().await();
    }
  }
}
