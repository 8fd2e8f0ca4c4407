package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import herald.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A voice campaign with a cap of 30 concurrent calls and 10 calls a second on a sender capped the
 * same, against the simulator with mixed outcomes (answered, busy, no answer, answering machines):
 * the simulator's live channels, sampled every 100 ms, never pass 30 and reach 30 while there is
 * work; every number ends with a disposition; there is one CDR per attempt; a retry is never
 * dialled before its delay has passed since the attempt before it ended.
 *
 * <p>300 numbers in the suite; {@code VOICE_CAMPAIGN_NUMBERS} (environment) sets another size, as
 * {@code bench/voice-campaign.sh} does for the full 2,000.
 */
@Tag("serial")
class VoiceCampaignLoadTest {
  private static final int CAP = 30;
  private static final int RATE = 10;
  private static final int RETRY_SECONDS = 5;

  static int numbers() {
    String n = System.getenv("VOICE_CAMPAIGN_NUMBERS");
    return n == null || n.isBlank() ? 300 : Integer.parseInt(n.trim());
  }

  /** The config with each playback lasting {@code playback} (the campaign's message). */
  static AriSimConfig withPlayback(AriSimConfig c, Duration playback) {
    return new AriSimConfig(
        c.host(),
        c.port(),
        c.username(),
        c.password(),
        c.asteriskId(),
        c.defaultCall(),
        c.busyRate(),
        c.noAnswerRate(),
        c.congestionRate(),
        c.numberRules(),
        c.stasisStartWhileRinging(),
        c.dtmfDelay(),
        playback,
        c.amdVariable(),
        c.maxChannels(),
        c.channelVars());
  }

  @Test
  void aCampaignNeverPassesItsCapReachesItAndEndsEveryNumberWithOneCdrPerAttempt()
      throws Exception {
    int numbers = numbers();
    Vertx simVertx = Vertx.vertx();
    AriSimulator ari =
        AriSimulator.start(
                simVertx,
                withPlayback(
                        AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD),
                        Duration.ofMillis(4000))
                    .withCalls(
                        CallScript.answer(Duration.ofMillis(1000), Duration.ofMillis(4000)),
                        0.15,
                        0.15,
                        0)
                    .withNumber(
                        "+14155559",
                        CallScript.answer(Duration.ofMillis(1000), null)
                            .withAmd("MACHINE", "INITIALSILENCE-2500-2500")))
            .await();
    TestHerald herald = TestHerald.start();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = null;
    try {
      TestClient client = herald.client();
      String token = client.loginAdmin();
      VoiceTesting voice = new VoiceTesting(client, token);
      String sender = voice.sender(ari.baseUrl(), "herald-campaign-load", CAP, RATE);
      JsonArray recipients = new JsonArray();
      for (int i = 0; i < numbers; i++) {
        // one in ten is an answering machine; the rest follow the simulator's rates
        String number =
            i % 10 == 0
                ? String.format("+14155559%03d", i / 10 % 1000)
                : String.format("+1415555%04d", i % 9000);
        recipients.add(new JsonObject().put("number", number).put("ref", "r" + i));
      }
      HttpResponse<Buffer> created =
          client.post(
              "/api/v1/campaigns",
              token,
              new JsonObject()
                  .put("name", "voice load")
                  .put("channel", "voice")
                  .put("sender_id", sender)
                  .put("max_attempts", 2)
                  .put("recipients", recipients)
                  .put(
                      "voice",
                      new JsonObject()
                          .put("play", "sound:campaign-message")
                          .put("amd", true)
                          .put("machine_action", "hangup")
                          .put("max_concurrent_calls", CAP)
                          .put("calls_per_second", RATE)
                          .put("retry_delays", new JsonArray().add(RETRY_SECONDS))));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String id = created.bodyAsJsonObject().getString("id");
      int distinct = created.bodyAsJsonObject().getInteger("recipient_count", numbers);

      AtomicInteger most = new AtomicInteger();
      AtomicLong samples = new AtomicLong();
      AtomicLong atCap = new AtomicLong();
      sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  int live = ari.liveChannels();
                  most.accumulateAndGet(live, Math::max);
                  samples.incrementAndGet();
                  if (live == CAP) {
                    atCap.incrementAndGet();
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.start();
      long started = System.nanoTime();
      HttpResponse<Buffer> start =
          client.post("/api/v1/campaigns/" + id + "/start", token, new JsonObject());
      assertThat(start.statusCode()).as(start.bodyAsString()).isEqualTo(200);
      Await.until(
          "the campaign to complete",
          Duration.ofSeconds(60L + numbers),
          () -> client.get("/api/v1/campaigns/" + id, token).bodyAsJsonObject().getString("status"),
          "completed"::equals);
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      sampling.set(false);
      sampler.join();

      JsonObject stats = client.get("/api/v1/campaigns/" + id + "/stats", token).bodyAsJsonObject();
      JsonObject cdrs =
          client.get("/api/v1/cdrs/stats?campaign_id=" + id, token).bodyAsJsonObject();
      long withDisposition = 0;
      long total = 0;
      String cursor = null;
      do {
        JsonObject page =
            client
                .get(
                    "/api/v1/campaigns/"
                        + id
                        + "/recipients?limit=200"
                        + (cursor == null ? "" : "&cursor=" + cursor),
                    token)
                .bodyAsJsonObject();
        for (Object r : page.getJsonArray("data")) {
          total++;
          if (((JsonObject) r).getString("disposition") != null) {
            withDisposition++;
          }
        }
        cursor = page.getString("next_cursor");
      } while (cursor != null);

      long retries;
      long early;
      long calls;
      var pg = TestPostgres.get();
      try (Connection c =
              DriverManager.getConnection(pg.jdbcUrl(herald.database()), pg.user(), pg.password());
          Statement q = c.createStatement()) {
        try (ResultSet rs =
            q.executeQuery(
                "SELECT count(*) FILTER (WHERE b.created_at < a.ended_at + interval '"
                    + RETRY_SECONDS
                    + " seconds') AS early, count(*) AS retries FROM calls a JOIN calls b"
                    + " ON b.campaign_id = a.campaign_id AND b.recipient_seq = a.recipient_seq"
                    + " AND b.created_at > a.created_at WHERE a.campaign_id = '"
                    + id
                    + "'")) {
          rs.next();
          early = rs.getLong("early");
          retries = rs.getLong("retries");
        }
        try (ResultSet rs =
            q.executeQuery("SELECT count(*) FROM calls WHERE campaign_id = '" + id + "'")) {
          rs.next();
          calls = rs.getLong(1);
        }
      }
      System.out.printf(
          "VoiceCampaignLoadTest: %d numbers (%d distinct), cap %d, %d calls/s: completed in %d s;"
              + " %d attempts (%d retries, %d before their delay), %d CDRs; most live channels"
              + " sampled %d (at the cap in %d of %d samples), simulator peak %d; numbers with a"
              + " disposition %d of %d; answered %d, busy %d, no answer %d, machine %d, failed %d;"
              + " average talk %.3f s%n",
          numbers,
          distinct,
          CAP,
          RATE,
          seconds,
          calls,
          retries,
          early,
          cdrs.getLong("calls"),
          most.get(),
          atCap.get(),
          samples.get(),
          ari.peakChannels(),
          withDisposition,
          total,
          stats.getLong("answered"),
          stats.getLong("busy"),
          stats.getLong("no_answer"),
          stats.getLong("machine"),
          stats.getLong("failed"),
          stats.getDouble("average_talk_seconds"));
      assertThat(most.get()).as("live channels sampled").isLessThanOrEqualTo(CAP);
      assertThat(ari.peakChannels()).as("the simulator's peak").isLessThanOrEqualTo(CAP);
      assertThat(most.get()).as("the cap is reached while there is work").isEqualTo(CAP);
      assertThat(withDisposition).as("every number ends with a disposition").isEqualTo(total);
      assertThat(cdrs.getLong("calls")).as("one CDR per attempt").isEqualTo(calls);
      assertThat(stats.getLong("attempts")).isEqualTo(calls);
      assertThat(retries).as("busy and unanswered numbers were retried").isPositive();
      assertThat(early).as("retries dialled before their delay").isZero();
      assertThat(stats.getLong("machine")).isPositive();
      assertThat(stats.getLong("busy")).isPositive();
      assertThat(stats.getLong("no_answer")).isPositive();
      assertThat(stats.getLong("calling")).isZero();
      assertThat(ari.liveChannels()).isZero();
    } finally {
      sampling.set(false);
      if (sampler != null) {
        sampler.join();
      }
      herald.close();
      ari.close().await();
      simVertx.close().await();
    }
  }
}
