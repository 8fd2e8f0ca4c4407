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
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live monitoring through the API: the status of the database, the lanes and each voice sender's
 * ARI connection; the live calls with their state and duration; and the server-sent events stream
 * read by a real HTTP client (java.net.http), which carries the account's call and campaign events
 * after they commit and none of another account's.
 */
class MonitoringTest {
  private static Vertx simVertx;
  private static AriSimulator ari;
  private static TestHerald herald;
  private static TestClient client;
  private static String token;
  private static VoiceTesting voice;
  private static String sender;

  @BeforeAll
  static void start() {
    simVertx = Vertx.vertx();
    ari =
        AriSimulator.start(
                simVertx,
                AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
                    .withNumber("+14155558", CallScript.answer(Duration.ofMillis(100), null))
                    .withNumber(
                        "+14155550",
                        CallScript.answer(Duration.ofMillis(100), Duration.ofMillis(300))))
            .await();
    herald = TestHerald.start();
    client = herald.client();
    token = client.loginAdmin();
    voice = new VoiceTesting(client, token);
    sender = voice.sender(ari.baseUrl(), "herald-monitoring", 5, 20);
  }

  @AfterAll
  static void stop() {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  /** An SSE client on its own thread: the events it has read, as (type, data) pairs. */
  private static final class Reader implements AutoCloseable {
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    volatile int status;
    volatile String contentType;
    private final Thread thread;
    private volatile InputStream body;

    Reader(String bearer, String query) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + herald.herald().port()
                          + "/api/v1/monitoring/stream"
                          + query))
              .header("Authorization", "Bearer " + bearer)
              .header("Accept", "text/event-stream")
              .GET()
              .build();
      thread =
          new Thread(
              () -> {
                try {
                  java.net.http.HttpResponse<InputStream> response =
                      http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                  status = response.statusCode();
                  contentType = response.headers().firstValue("Content-Type").orElse(null);
                  body = response.body();
                  BufferedReader lines =
                      new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                  String type = null;
                  String line;
                  while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                      type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                      JsonObject data = new JsonObject(line.substring(6));
                      assertThat(data.getString("type")).isEqualTo(type);
                      events.add(data);
                    } else if (line.startsWith(":")) {
                      comments.add(line);
                    }
                  }
                } catch (Exception e) {
                  // closed by the test
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    List<String> typesOf(String subject) {
      List<String> out = new ArrayList<>();
      for (JsonObject e : events) {
        if (subject.equals(e.getString("subject_id"))) {
          out.add(e.getString("type"));
        }
      }
      return out;
    }

    @Override
    public void close() throws Exception {
      InputStream b = body;
      if (b != null) {
        b.close();
      }
      thread.interrupt();
    }
  }

  @Test
  void statusReportsTheDatabaseTheLanesAndEachVoiceSendersAriConnection() {
    JsonObject status =
        Await.until(
            "the voice sender connected",
            Duration.ofSeconds(20),
            () -> client.get("/api/v1/monitoring/status", token).bodyAsJsonObject(),
            s ->
                s.getJsonArray("ari").stream()
                    .map(JsonObject.class::cast)
                    .anyMatch(
                        a ->
                            sender.equals(a.getString("sender_id"))
                                && "connected".equals(a.getString("connection"))));
    assertThat(status.getJsonObject("database").getString("status")).isEqualTo("up");
    JsonObject lane =
        status.getJsonArray("lanes").stream()
            .map(JsonObject.class::cast)
            .filter(l -> sender.equals(l.getString("sender_id")))
            .findFirst()
            .orElseThrow();
    assertThat(lane.getBoolean("running")).isTrue();
    assertThat(lane.getBoolean("on_this_node")).isTrue();
    assertThat(lane.getString("node")).isEqualTo(status.getString("node"));
    JsonObject ariStatus =
        status.getJsonArray("ari").stream()
            .map(JsonObject.class::cast)
            .filter(a -> sender.equals(a.getString("sender_id")))
            .findFirst()
            .orElseThrow()
            .getJsonObject("ari");
    assertThat(ariStatus.getString("app")).isEqualTo("herald-monitoring");
    assertThat(ariStatus.getInteger("max_concurrent_calls")).isEqualTo(5);
  }

  @Test
  void theStreamCarriesTheAccountsCallAndCampaignEventsAndChannelsListsLiveCalls()
      throws Exception {
    HttpResponse<Buffer> account =
        client.post(
            "/api/v1/accounts",
            token,
            new JsonObject()
                .put("name", "another tenant")
                .put("admin_username", "monitoring-other")
                .put("admin_password", "password-monitoring-other"));
    assertThat(account.statusCode()).as(account.bodyAsString()).isEqualTo(201);
    String other = client.login("monitoring-other", "password-monitoring-other");
    try (Reader mine = new Reader(token, "");
        Reader theirs = new Reader(other, "");
        Reader completedOnly = new Reader(token, "?types=call.completed")) {
      Await.until(
          "the streams open",
          Duration.ofSeconds(10),
          () -> mine.status == 200 && theirs.status == 200 && completedOnly.status == 200);
      assertThat(mine.contentType).startsWith("text/event-stream");

      String call = voice.call(sender, "+14155558001", new JsonObject());
      voice.await(call, "answered", Duration.ofSeconds(20));
      JsonObject channels = client.get("/api/v1/monitoring/channels", token).bodyAsJsonObject();
      JsonObject live =
          channels.getJsonArray("data").stream()
              .map(JsonObject.class::cast)
              .filter(c -> call.equals(c.getString("id")))
              .findFirst()
              .orElseThrow();
      assertThat(live.getString("status")).isEqualTo("answered");
      assertThat(live.getDouble("duration_seconds")).isGreaterThanOrEqualTo(0);
      assertThat(live.getDouble("state_seconds")).isGreaterThanOrEqualTo(0);
      assertThat(channels.getJsonObject("counts").getInteger("answered")).isGreaterThanOrEqualTo(1);
      assertThat(
              client
                  .get("/api/v1/monitoring/channels", other)
                  .bodyAsJsonObject()
                  .getJsonArray("data"))
          .isEmpty();
      client.delete("/api/v1/calls/" + call, token);
      voice.await(call, "completed", Duration.ofSeconds(20));
      Await.until(
          "the call's events on the stream",
          Duration.ofSeconds(10),
          () -> mine.typesOf(call).contains("call.completed"));
      assertThat(mine.typesOf(call))
          .containsExactly("call.queued", "call.ringing", "call.answered", "call.completed");
      JsonObject completed =
          mine.events.stream()
              .filter(e -> "call.completed".equals(e.getString("type")))
              .filter(e -> call.equals(e.getString("subject_id")))
              .findFirst()
              .orElseThrow();
      assertThat(completed.getJsonObject("data").getString("cdr_id")).isNotNull();

      HttpResponse<Buffer> campaign =
          client.post(
              "/api/v1/campaigns",
              token,
              new JsonObject()
                  .put("name", "monitored")
                  .put("channel", "voice")
                  .put("sender_id", sender)
                  .put("recipients", new JsonArray().add("+14155550777"))
                  .put("voice", new JsonObject().put("play", "sound:hello")));
      assertThat(campaign.statusCode()).as(campaign.bodyAsString()).isEqualTo(201);
      String campaignId = campaign.bodyAsJsonObject().getString("id");
      client.post("/api/v1/campaigns/" + campaignId + "/start", token, new JsonObject());
      Await.until(
          "the campaign's events on the stream",
          Duration.ofSeconds(30),
          () -> mine.typesOf(campaignId).contains("campaign.completed"));
      assertThat(mine.typesOf(campaignId)).startsWith("campaign.started");
      assertThat(
              mine.events.stream()
                  .filter(e -> "call.completed".equals(e.getString("type")))
                  .count())
          .isEqualTo(2);
      Await.until(
          "the filtered stream's events",
          Duration.ofSeconds(10),
          () -> completedOnly.events.size() == 2);
      assertThat(completedOnly.events).allMatch(e -> "call.completed".equals(e.getString("type")));
      assertThat(theirs.events).as("another account's stream").isEmpty();
    }
  }

  @Test
  void aStreamWithAnUnknownTypeFilterIsA400() {
    HttpResponse<Buffer> bad = client.get("/api/v1/monitoring/stream?types=message.sent", token);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("types");
  }
}
