package herald.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMSC goes away: the sender's circuit opens, messages wait queued, none is failed, and all go
 * out once it is back (and the circuit closes).
 */
class SmscOutageTest {
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

  private static long count(String status) {
    return client
        .get("/api/v1/messages?limit=200&status=" + status, admin)
        .bodyAsJsonObject()
        .getJsonArray("data")
        .size();
  }

  @Test
  void messagesWaitWhileTheSmscIsDownAndAreAllDeliveredAfter() throws Exception {
    SmscSimulator smsc = herald.herald().simulators().smsc();
    smsc.pause();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 100; i++) {
      batch.add(
          new JsonObject().put("to", "+1415555" + (5000 + i)).put("body", "during outage " + i));
    }
    var accepted =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(batch.encode()),
            "application/json");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String sender =
        accepted.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("sender_id");
    JsonObject during =
        Await.until(
            "the sender's circuit to open",
            Duration.ofSeconds(15),
            () -> status(sender),
            status -> "open".equals(status.getString("circuit")));
    assertThat(during.getString("connection")).isNotEqualTo("bound");
    Await.stillAfter(
        Duration.ofSeconds(2),
        "no message failed or delivered while the SMSC is down",
        () -> count("failed") + " failed, " + count("delivered") + " delivered",
        seen -> seen.equals("0 failed, 0 delivered"));

    smsc.resume();
    Await.until(
        "all 100 messages delivered after the SMSC returned",
        Duration.ofSeconds(60),
        () -> count("delivered"),
        delivered -> delivered >= 100);
    assertThat(count("delivered")).isEqualTo(100);
    assertThat(count("failed")).isZero();
    assertThat(status(sender).getString("circuit")).isEqualTo("closed");
  }

  private static JsonObject status(String sender) {
    return client.get("/api/v1/senders/" + sender + "/status", admin).bodyAsJsonObject();
  }
}
