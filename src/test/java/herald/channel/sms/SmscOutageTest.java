package herald.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
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
    Instant openBy = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(openBy) && !"open".equals(status(sender).getString("circuit"))) {
      Thread.sleep(100);
    }
    JsonObject during = status(sender);
    assertThat(during.getString("circuit")).isEqualTo("open");
    assertThat(during.getString("connection")).isNotEqualTo("bound");
    Thread.sleep(2000);
    assertThat(count("failed")).isZero();
    assertThat(count("delivered")).isZero();

    smsc.resume();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline) && count("delivered") < 100) {
      Thread.sleep(200);
    }
    assertThat(count("delivered")).isEqualTo(100);
    assertThat(count("failed")).isZero();
    assertThat(status(sender).getString("circuit")).isEqualTo("closed");
  }

  private static JsonObject status(String sender) {
    return client.get("/api/v1/senders/" + sender + "/status", admin).bodyAsJsonObject();
  }
}
