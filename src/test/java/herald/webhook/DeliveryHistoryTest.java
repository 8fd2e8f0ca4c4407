package herald.webhook;

import static herald.webhook.WebhookDeliveryTest.createEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How {@link DeliveryStore#record} keeps attempts, read back through the delivery log API: the
 * delivery row holds the latest attempt, the history table the earlier ones.
 */
class DeliveryHistoryTest {
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

  /**
   * A result older than the row's attempt (which one lease per delivery should never let happen)
   * joins the history without overwriting the newer outcome.
   */
  @Test
  void recordedAttemptsKeepTheLatestOnTheRowAndEveryOneInTheHistory() {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      String id =
          createEndpoint(
                  client,
                  admin,
                  new JsonObject()
                      .put("name", "history")
                      .put("url", receiver.url())
                      .put("events", new JsonArray().add("webhook.test")))
              .getString("id");
      Pool pool = herald.herald().platform().pool();
      UUID delivery = UUID.randomUUID();
      // Not due for an hour: only the results below touch it.
      pool.preparedQuery(
              "INSERT INTO webhook_deliveries (id, endpoint_id, account_id, event_id, event_type,"
                  + " retries_left, next_attempt_at) SELECT $1, w.id, w.account_id, $3,"
                  + " 'webhook.test', 5, now() + interval '1 hour' FROM webhook_endpoints w"
                  + " WHERE w.id = $2")
          .execute(Tuple.of(delivery, UUID.fromString(id), UUID.randomUUID()))
          .await();
      DeliveryStore store = new DeliveryStore(pool);
      // PostgreSQL keeps timestamps to the microsecond.
      Instant first = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
      Instant later = first.plusSeconds(30);
      List.of(
              new DeliveryStore.Result(
                  delivery, 1, first, 500, 12, "oops", null, "pending", later, 4),
              new DeliveryStore.Result(delivery, 2, later, 204, 8, "", null, "succeeded", null, 4),
              // attempt 1's result again, recorded last
              new DeliveryStore.Result(
                  delivery, 1, first, 502, 15, "stale", null, "pending", later, 4))
          .forEach(result -> store.record(List.of(result)).await());

      JsonObject recorded =
          client
              .get("/api/v1/webhooks/" + id + "/deliveries", admin)
              .bodyAsJsonObject()
              .getJsonArray("data")
              .getJsonObject(0);
      assertThat(recorded.getString("id")).isEqualTo(delivery.toString());
      assertThat(recorded.getString("status")).isEqualTo("succeeded");
      assertThat(recorded.getInteger("attempts")).isEqualTo(2);
      assertThat(recorded.getInteger("response_status")).isEqualTo(204);
      JsonArray history = recorded.getJsonArray("history");
      assertThat(history).hasSize(2);
      assertThat(history.getJsonObject(0).getInteger("attempt")).isEqualTo(1);
      assertThat(history.getJsonObject(0).getInteger("response_status")).isEqualTo(500);
      assertThat(history.getJsonObject(0).getString("response_body")).isEqualTo("oops");
      assertThat(history.getJsonObject(1).getInteger("attempt")).isEqualTo(2);
      assertThat(history.getJsonObject(1).getInteger("response_status")).isEqualTo(204);

      // The endpoint's last failure is attempt 1's, kept in the history.
      String lastFailure =
          client
              .get("/api/v1/webhooks/" + id + "/stats", admin)
              .bodyAsJsonObject()
              .getString("last_failure_at");
      assertThat(Instant.parse(lastFailure)).isEqualTo(first);
    }
  }
}
