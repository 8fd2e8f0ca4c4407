package herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.HeraldProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as its own JVM, kills it with SIGKILL while webhook deliveries are on
 * the wire, and restarts it on the same data directory: every event still reaches the receiver, and
 * a delivery that was in flight is sent again with the same webhook-id.
 */
class WebhookCrashTest {
  private static final int EVENTS = 150;
  private static HeraldProcess herald;
  private static Vertx vertx;

  @BeforeAll
  static void prepare() throws IOException {
    herald =
        new HeraldProcess(
            "crash-test-pw",
            Map.of(
                "HERALD_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
                "HERALD_WEBHOOKS_RETRY_SCHEDULE_SECONDS", "1,1,2",
                "HERALD_RATE_LIMITS_OTHER_LIMIT", "100000"));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    herald.close();
    vertx.close().await();
  }

  @Test
  void aDispatcherKilledMidFlightLosesNoDeliveryAndResendsWithTheSameWebhookId() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(vertx)) {
      receiver.delay(5000); // answers late, so the kill finds every request slot on the wire
      Process first = herald.launch();
      herald.awaitReady(first);
      String token = herald.login();
      HttpResponse<String> created =
          herald.call(
              "POST",
              "/api/v1/webhooks",
              token,
              new JsonObject()
                  .put("name", "crash")
                  .put("url", receiver.url())
                  .put("events", new io.vertx.core.json.JsonArray().add("webhook.test"))
                  .put("timeout_seconds", 6)
                  .put("retry_limit", 20)
                  .encode());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = new JsonObject(created.body()).getString("id");
      Set<String> events = new HashSet<>();
      for (int i = 0; i < EVENTS; i++) {
        HttpResponse<String> sent =
            herald.call("POST", "/api/v1/webhooks/" + id + "/test", token, null);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        events.add(new JsonObject(sent.body()).getString("event_id"));
      }
      Await.until(
          "deliveries on the wire", Duration.ofSeconds(30), () -> receiver.received().size() >= 32);

      first.destroyForcibly().waitFor();
      long killed = System.nanoTime();
      // On the wire when the process died: received, not yet answered.
      Set<String> cutOff = receiver.unansweredAt(killed);
      assertThat(cutOff).as("requests on the wire at the kill").isNotEmpty();
      assertThat(receiver.countsById()).as("the kill came mid-way").hasSizeLessThan(EVENTS);
      receiver.delay(0);

      Process second = herald.launch();
      herald.awaitReady(second);
      Await.until(
          "every event after the restart",
          Duration.ofSeconds(90),
          () -> eventsSeen(receiver).containsAll(events));

      assertThat(eventsSeen(receiver)).isEqualTo(events);
      Map<String, Set<String>> eventsById = new HashMap<>();
      receiver
          .received()
          .forEach(
              r ->
                  eventsById
                      .computeIfAbsent(r.id(), k -> new HashSet<>())
                      .add(new JsonObject(r.body()).getString("id")));
      assertThat(eventsById.values()).as("one webhook-id, one event").allMatch(s -> s.size() == 1);
      assertThat(eventsById).hasSize(EVENTS);
      Map<String, Integer> counts = receiver.countsById();
      assertThat(cutOff)
          .as("deliveries cut off by the kill came again, with their webhook-id")
          .allMatch(webhookId -> counts.get(webhookId) >= 2);

      second.destroy();
      assertThat(second.waitFor()).as(herald.log()).isZero();
    }
  }

  private static Set<String> eventsSeen(TestReceiver receiver) {
    Set<String> seen = new HashSet<>();
    receiver.received().forEach(r -> seen.add(new JsonObject(r.body()).getString("id")));
    return seen;
  }
}
