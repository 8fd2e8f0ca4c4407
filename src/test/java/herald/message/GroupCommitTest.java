package herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
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
 * raced by a twin) does not fail the others.
 */
class GroupCommitTest {
  private static final int SENDS = 80;
  private static final int TWINS = 4;

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
  void concurrentSendsAreCommittedTogetherAndEachAnsweredForItself() {
    WebClient web =
        WebClient.create(
            herald.vertx(),
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(herald.herald().port()),
            new PoolOptions().setHttp1MaxSize(SENDS));
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      boolean twin = i < TWINS;
      var request =
          web.post("/api/v1/messages")
              .putHeader("Authorization", "Bearer " + admin)
              .putHeader("Content-Type", "application/json");
      if (twin) {
        request.putHeader("Idempotency-Key", "burst-twin");
      }
      JsonObject body =
          new JsonObject()
              .put("to", twin ? "+14155550300" : String.format("+1415555%04d", 4000 + i))
              .put("body", twin ? "twin" : "burst " + i);
      responses.add(request.sendBuffer(body.toBuffer()));
    }
    Future.join(responses).await();

    Set<String> twinIds = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < SENDS; i++) {
      HttpResponse<Buffer> response = responses.get(i).result();
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
      String id = response.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id");
      (i < TWINS ? twinIds : ids).add(id);
    }
    assertThat(twinIds).as("one message for the idempotency key").hasSize(1);
    assertThat(ids).hasSize(SENDS - TWINS).doesNotContainAnyElementsOf(twinIds);

    // created_at is the transaction's start: sends that shared a transaction share it.
    Set<String> transactions = new HashSet<>();
    int stored = 0;
    String cursor = null;
    do {
      JsonObject page =
          client
              .get(
                  "/api/v1/messages?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), admin)
              .bodyAsJsonObject();
      for (Object o : page.getJsonArray("data")) {
        JsonObject m = (JsonObject) o;
        stored++;
        transactions.add(m.getString("created_at"));
        assertThat(ids.contains(m.getString("id")) || twinIds.contains(m.getString("id"))).isTrue();
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertThat(stored).isEqualTo(SENDS - TWINS + 1);
    assertThat(transactions.size()).as("transactions used").isLessThan(stored);
  }
}
