package herald.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} of a real Herald after real traffic: messages over HTTP, across SMPP to the
 * simulator SMSC, and their delivery receipts back.
 */
class MetricsEndpointTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void servesPrometheusTextToALoopbackScraperWithoutAToken() {
    HttpResponse<Buffer> response = client.get("/metrics", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
    assertThat(response.bodyAsString()).contains("# TYPE herald_messages_total counter");
  }

  @Test
  void countsMessagesQueuedSentAndDeliveredForTheirSenderAndTimesTheirReceipts() throws Exception {
    Scrape before = scrape();
    List<JsonObject> accepted = send(5);
    String sender = accepted.get(0).getString("sender_id");
    awaitDelivered(accepted);

    String labels = "{channel=\"sms\",sender=\"" + sender + "\"}";
    String lag = "herald_receipt_lag_seconds_count" + labels;
    Scrape after =
        scrapeUntil(
            "five more delivered messages and receipts counted, and a queue-depth sample, for"
                + " sender "
                + sender,
            s ->
                s.value(messages(sender, "delivered")) - before.value(messages(sender, "delivered"))
                        >= 5
                    && s.value(lag) - before.value(lag) >= 5
                    // sampled every metrics.sample_interval_ms, so it may not exist yet
                    && s.series().containsKey("herald_queue_depth" + labels));
    for (String status : List.of("queued", "sent", "delivered")) {
      assertThat(after.value(messages(sender, status)) - before.value(messages(sender, status)))
          .as(status)
          .isEqualTo(5);
    }
    assertThat(
            after.value("herald_receipt_lag_seconds_count" + labels)
                - before.value("herald_receipt_lag_seconds_count" + labels))
        .isEqualTo(5);
    assertThat(after.series()).containsKey("herald_queue_depth" + labels);
    assertThat(after.series()).containsKey("herald_sms_window_in_use" + labels);
    assertThat(after.value("herald_sms_window_size" + labels)).isPositive();
    assertThat(
            after.value(
                "herald_circuit_state{channel=\"sms\",sender=\"" + sender + "\",state=\"closed\"}"))
        .isEqualTo(1);
  }

  @Test
  void labelsHttpLatencyWithTheRouteTemplateNeverTheRawPath() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      assertThat(client.get("/api/v1/messages/" + id, admin).statusCode()).isEqualTo(404);
    }
    String text = client.get("/metrics", null).bodyAsString();
    assertThat(text)
        .contains(
            "vertx_http_server_response_time_seconds_bucket{code=\"404\",method=\"GET\","
                + "route=\"/api/v1>/messages>/:id\"");
    ids.forEach(id -> assertThat(text).doesNotContain(id));
  }

  @Test
  void everyMetricTheGrafanaDashboardUsesExistsInARealScrape() throws Exception {
    awaitDelivered(send(1));
    String dashboard = Files.readString(Path.of("docs/grafana/herald.json"));
    Set<String> used = new TreeSet<>();
    Matcher m =
        Pattern.compile("\\b(?:herald|vertx|jvm|process|system)_[a-z0-9_]+").matcher(dashboard);
    while (m.find()) {
      used.add(m.group());
    }
    assertThat(used).contains("herald_messages_total", "herald_queue_depth");
    Scrape scrape =
        scrapeUntil(
            "every metric the dashboard uses in a scrape", s -> s.names().containsAll(used));
    assertThat(scrape.names()).containsAll(used);
  }

  private static String messages(String sender, String status) {
    return "herald_messages_total{channel=\"sms\",sender=\""
        + sender
        + "\",status=\""
        + status
        + "\"}";
  }

  private static Scrape scrape() {
    HttpResponse<Buffer> response = client.get("/metrics", null);
    assertThat(response.statusCode()).isEqualTo(200);
    return Scrape.parse(response.bodyAsString());
  }

  /** Scrapes until {@code done} holds (sampled gauges refresh every couple of seconds). */
  private static Scrape scrapeUntil(String what, Predicate<Scrape> done) {
    return Await.until(what, Duration.ofSeconds(15), MetricsEndpointTest::scrape, done);
  }

  private static List<JsonObject> send(int n) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < n; i++) {
      batch.add(new JsonObject().put("to", "+1415555" + (1000 + i)).put("body", "metrics " + i));
    }
    HttpResponse<Buffer> response =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(batch.encode()),
            "application/json");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    List<JsonObject> out = new ArrayList<>();
    response.bodyAsJsonObject().getJsonArray("data").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  private static void awaitDelivered(List<JsonObject> messages) {
    for (JsonObject message : messages) {
      String id = message.getString("id");
      Await.until(
          "message " + id + " to be delivered",
          Duration.ofSeconds(30),
          () -> client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject().getString("status"),
          "delivered"::equals);
    }
  }
}
