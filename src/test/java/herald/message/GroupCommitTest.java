package herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent single sends share transactions (see {@link IntakeCommitter}); each is still answered
 * only for itself, and a shared transaction that fails because of one request (an idempotency key
 * raced by a twin) does not fail the others. Inserts are held behind a table lock while the sends
 * arrive, so they pile up as they would under load, whatever the machine's speed.
 */
class GroupCommitTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static WebClient web;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    web =
        WebClient.create(
            herald.vertx(),
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(herald.herald().port()),
            new PoolOptions().setHttp1MaxSize(100));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void sendsArrivingDuringACommitAreCommittedTogether() {
    List<HttpResponse<Buffer>> responses = burst(60, 0, 4000);
    Set<String> ids = new HashSet<>();
    responses.forEach(r -> ids.add(idOf(r)));
    assertThat(ids).hasSize(60);

    // created_at is the transaction's start: sends that shared a transaction share it.
    Set<String> transactions = new HashSet<>();
    for (String id : ids) {
      JsonObject m = client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject();
      assertThat(m.getString("status")).isNotNull();
      transactions.add(m.getString("created_at"));
    }
    assertThat(transactions.size()).as("transactions used for 60 sends").isLessThan(15);
  }

  @Test
  void aRacedIdempotencyKeyFailsNoOtherSendOfItsTransaction() {
    List<HttpResponse<Buffer>> responses = burst(40, 4, 5000);
    Set<String> twinIds = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < responses.size(); i++) {
      (i < 4 ? twinIds : ids).add(idOf(responses.get(i)));
    }
    assertThat(twinIds).as("one message for the idempotency key").hasSize(1);
    assertThat(ids).hasSize(36).doesNotContainAnyElementsOf(twinIds);
    for (String id : ids) {
      assertThat(client.get("/api/v1/messages/" + id, admin).statusCode()).isEqualTo(200);
    }
    assertThat(
            client
                .get("/api/v1/messages?to=%2B14155550300", admin)
                .bodyAsJsonObject()
                .getJsonArray("data"))
        .hasSize(1);
  }

  private static String idOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id");
  }

  /**
   * Sends {@code count} single messages at once while inserts into messages are held; the first
   * {@code twins} carry the same Idempotency-Key and body. Returns the responses in send order.
   */
  private static List<HttpResponse<Buffer>> burst(int count, int twins, int firstNumber) {
    SqlConnection blocker = herald.herald().platform().pool().getConnection().await();
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    try {
      blocker.query("BEGIN").execute().await();
      blocker.query("LOCK TABLE messages IN SHARE MODE").execute().await();
      for (int i = 0; i < count; i++) {
        boolean twin = i < twins;
        var request =
            web.post("/api/v1/messages")
                .putHeader("Authorization", "Bearer " + admin)
                .putHeader("Content-Type", "application/json");
        if (twin) {
          request.putHeader("Idempotency-Key", "burst-twin");
        }
        JsonObject body =
            new JsonObject()
                .put("to", twin ? "+14155550300" : String.format("+1415555%04d", firstNumber + i))
                .put("body", twin ? "twin" : "burst " + i);
        responses.add(request.sendBuffer(body.toBuffer()));
      }
      awaitBlockedInserts(blocker, 2);
      herald.vertx().timer(500).await(); // the rest arrive and queue behind them
    } finally {
      blocker.query("COMMIT").execute().await();
      blocker.close().await();
    }
    Future.join(responses).await();
    return responses.stream().map(Future::result).toList();
  }

  /**
   * Waits until at least {@code n} inserts into messages wait for the lock {@code blocker} holds.
   */
  private static void awaitBlockedInserts(SqlConnection blocker, int n) {
    Await.until(
        n + " inserts waiting for the lock",
        Duration.ofSeconds(10),
        () ->
            blocker
                .query(
                    // (while an insert waits at its parse step, query still shows the one before)
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND datname = current_database() AND pid <> pg_backend_pid()")
                .execute()
                .await()
                .iterator()
                .next()
                .getLong(0),
        waiting -> waiting >= n);
  }
}
