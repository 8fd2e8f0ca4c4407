package herald.webhook;

import static herald.webhook.WebhookDeliveryTest.createEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dead endpoint is not hammered (its circuit opens and deliveries wait, uncounted), and one that
 * keeps failing is disabled with a {@code webhook.disabled} event; enabled again, it gets what
 * waited.
 */
class WebhookEndpointHealthTest {
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
                    new JsonObject()
                        .put("disable_after_seconds", 6)
                        .put("breaker_failures", 5)
                        .put("breaker_reset_seconds", 1)));
    client = herald.client();
    admin = client.loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject endpoint(TestReceiver receiver, String event) {
    return new JsonObject()
        .put("name", "health")
        .put("url", receiver.url())
        .put("events", new JsonArray().add(event))
        .put("retry_limit", 50);
  }

  private static JsonArray deliveries(String id) {
    return client
        .get("/api/v1/webhooks/" + id + "/deliveries?limit=200", admin)
        .bodyAsJsonObject()
        .getJsonArray("data");
  }

  @Test
  void anOpenCircuitStopsRequestsToADeadEndpointWithoutCountingAttempts() throws Exception {
    try (TestReceiver dead = TestReceiver.start(herald.vertx())) {
      dead.answer(500);
      String id = createEndpoint(client, admin, endpoint(dead, "webhook.test")).getString("id");
      for (int i = 0; i < 20; i++) {
        client.post("/api/v1/webhooks/" + id + "/test", admin, null);
      }
      Await.until(
          "the failures that open the circuit",
          Duration.ofSeconds(10),
          () -> dead.received().size() >= 5);
      // The circuit is open once the requests made so far are all recorded as failed attempts.
      Await.until(
          "every request so far recorded as an attempt",
          Duration.ofSeconds(10),
          () ->
              deliveries(id).stream().mapToInt(d -> ((JsonObject) d).getInteger("attempts")).sum()
                  >= dead.received().size());
      int before = dead.received().size();
      // Retrying 20 deliveries every second would be about 60 requests in 3 s; the open circuit
      // lets one trial through per reset period (1 s here).
      Await.stillAfter(
          Duration.ofSeconds(3),
          "at most 6 requests while the circuit is open",
          () -> dead.received().size() - before,
          later -> later <= 6);
      JsonArray log = deliveries(id);
      assertThat(log).hasSize(20);
      assertThat(log.stream().map(d -> ((JsonObject) d).getString("status")))
          .containsOnly("pending");
      int attempts = log.stream().mapToInt(d -> ((JsonObject) d).getInteger("attempts")).sum();
      // (a trial request may be on its way to being recorded)
      assertThat(attempts)
          .as("attempts match requests made")
          .isBetween(dead.received().size() - 1, dead.received().size());
      assertThat(log.stream().map(d -> ((JsonObject) d).getInteger("attempts")))
          .as("deliveries held back by the open circuit have no attempt counted")
          .contains(0);
    }
  }

  @Test
  void anEndpointFailingForTooLongIsDisabledAndGetsItsBacklogWhenEnabledAgain() throws Exception {
    try (TestReceiver failing = TestReceiver.start(herald.vertx());
        TestReceiver watcher = TestReceiver.start(herald.vertx())) {
      failing.answer(503);
      String id = createEndpoint(client, admin, endpoint(failing, "webhook.test")).getString("id");
      createEndpoint(client, admin, endpoint(watcher, "webhook.disabled"));
      for (int i = 0; i < 3; i++) {
        client.post("/api/v1/webhooks/" + id + "/test", admin, null);
      }
      Await.until("webhook.disabled", Duration.ofSeconds(30), () -> !watcher.received().isEmpty());
      JsonObject event = new JsonObject(watcher.received().get(0).body());
      assertThat(event.getJsonObject("data").getString("webhook_id")).isEqualTo(id);
      assertThat(event.getJsonObject("data").getString("reason")).isEqualTo("failing");
      JsonObject shown = client.get("/api/v1/webhooks/" + id, admin).bodyAsJsonObject();
      assertThat(shown.getBoolean("is_active")).isFalse();
      assertThat(shown.getString("disabled_reason")).isEqualTo("failing");
      assertThat(deliveries(id).stream().map(d -> ((JsonObject) d).getString("status")))
          .containsOnly("pending");

      failing.answer(200);
      int before = failing.received().size();
      JsonObject enabled =
          client.post("/api/v1/webhooks/" + id + "/toggle", admin, null).bodyAsJsonObject();
      assertThat(enabled.getBoolean("is_active")).isTrue();
      assertThat(enabled.getString("failing_since")).isNull();
      Await.until(
          "the backlog",
          Duration.ofSeconds(20),
          () ->
              deliveries(id).stream()
                  .allMatch(d -> "succeeded".equals(((JsonObject) d).getString("status"))));
      assertThat(failing.received().size()).isGreaterThan(before);
    }
  }
}
