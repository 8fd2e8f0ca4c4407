package herald.webhook;

import static herald.webhook.WebhookDeliveryTest.createEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's circuit breaker (a {@code herald.platform.pacing.Guard}) with a reset period far
 * longer than the test (10 minutes), so nothing here comes from a half-open trial.
 */
class WebhookCircuitTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put(
                    "webhooks",
                    new JsonObject().put("breaker_failures", 2).put("breaker_reset_seconds", 600)));
    client = herald.client();
    admin = client.loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static void sendTest(String id) {
    HttpResponse<Buffer> sent = client.post("/api/v1/webhooks/" + id + "/test", admin, null);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
  }

  /**
   * Verifies that an open circuit holds deliveries back, and that moving the endpoint to another
   * URL closes it at once: the retries due go to the new URL without waiting for the reset period.
   */
  @Test
  void changingTheUrlOfAnEndpointWithAnOpenCircuitClosesIt() {
    try (TestReceiver dead = TestReceiver.start(herald.vertx());
        TestReceiver moved = TestReceiver.start(herald.vertx())) {
      dead.answer(500);
      String id =
          createEndpoint(
                  client,
                  admin,
                  new JsonObject()
                      .put("name", "circuit")
                      .put("url", dead.url())
                      .put("events", new JsonArray().add("webhook.test"))
                      .put("retry_limit", 10))
              .getString("id");
      sendTest(id);
      sendTest(id);
      Await.until(
          "the two failures that open the circuit",
          Duration.ofSeconds(10),
          () -> dead.received().size() == 2);
      // Retries are due after 1 s (the test schedule); the open circuit holds them back.
      Await.stillAfter(
          Duration.ofSeconds(3),
          "no request while the circuit is open",
          () -> dead.received().size(),
          n -> n == 2);

      HttpResponse<Buffer> changed =
          client.send(
              HttpMethod.PUT,
              "/api/v1/webhooks/" + id,
              admin,
              new JsonObject().put("url", moved.url()));
      assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
      Await.until(
          "both retries at the new URL",
          Duration.ofSeconds(10),
          () -> moved.received().size() == 2);
      assertThat(dead.received()).hasSize(2);
    }
  }
}
