package herald.webhook;

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
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Webhook attempts show in {@code /metrics} by outcome, with their latency. */
class WebhookMetricsTest {
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
  void countsSucceededAndRetryingAttemptsAndTimesThem() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      WebhookDeliveryTest.createEndpoint(
          client,
          admin,
          new JsonObject()
              .put("name", "metrics")
              .put("url", receiver.url())
              .put("events", new JsonArray().add("message.queued")));
      double succeeded = value("herald_webhook_deliveries_total{outcome=\"succeeded\"}");
      double timed = value("herald_webhook_delivery_seconds_count{outcome=\"succeeded\"}");
      double retrying = value("herald_webhook_deliveries_total{outcome=\"retrying\"}");

      sendSms(2);
      Await.until(
          "two attempts counted as succeeded",
          Duration.ofSeconds(20),
          () -> value("herald_webhook_deliveries_total{outcome=\"succeeded\"}"),
          seen -> seen >= succeeded + 2);
      assertThat(value("herald_webhook_delivery_seconds_count{outcome=\"succeeded\"}"))
          .isEqualTo(timed + 2);

      receiver.answer(500);
      sendSms(1);
      Await.until(
          "a failed attempt counted as retrying",
          Duration.ofSeconds(20),
          () -> value("herald_webhook_deliveries_total{outcome=\"retrying\"}"),
          seen -> seen >= retrying + 1);
      assertThat(value("herald_webhook_deliveries_total{outcome=\"succeeded\"}"))
          .isEqualTo(succeeded + 2);
    }
  }

  private static double value(String series) {
    String text = client.get("/metrics", null).bodyAsString();
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void sendSms(int count) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < count; i++) {
      batch.add(new JsonObject().put("to", String.format("+1415557%04d", i)).put("body", "m" + i));
    }
    HttpResponse<Buffer> response =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(batch.encode()),
            "application/json");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
  }
}
