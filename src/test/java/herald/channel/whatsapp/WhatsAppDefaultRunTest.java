package herald.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.whatsapp.WhatsAppSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default run starts the WhatsApp Cloud API simulator, gives the platform account a default
 * WhatsApp sender pointing at it and points the simulator's webhooks at Herald: a fresh install
 * sends WhatsApp messages and receives replies with nothing set up.
 */
class WhatsAppDefaultRunTest {
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
  void aFreshInstallSendsWhatsAppThroughTheSimulatorAndReceivesReplies() {
    JsonObject senders = client.get("/api/v1/senders", admin).bodyAsJsonObject();
    JsonObject sender =
        senders.getJsonArray("data").stream()
            .map(JsonObject.class::cast)
            .filter(s -> s.getString("channel").equals("whatsapp"))
            .findFirst()
            .orElseThrow();
    assertThat(sender.getString("provider")).isEqualTo("whatsapp_cloud");
    assertThat(sender.getBoolean("is_default")).isTrue();

    HttpResponse<Buffer> sent =
        client.post(
            "/api/v1/messages",
            admin,
            new JsonObject()
                .put("to", "+14155553001")
                .put("channel", "whatsapp")
                .put(
                    "content",
                    new JsonObject()
                        .put("type", "template")
                        .put(
                            "template",
                            new JsonObject().put("name", "hello_world").put("language", "en_US"))));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    String id = sent.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id");
    Await.until(
        "the template to be read",
        Duration.ofSeconds(30),
        () -> client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject().getString("status"),
        "read"::equals);

    WhatsAppSimulator sim = herald.herald().whatsappSimulator();
    JsonObject answer =
        sim.inbound(
                new JsonObject()
                    .put("from", "14155553001")
                    .put("type", "text")
                    .put("text", new JsonObject().put("body", "thanks")))
            .await();
    assertThat(answer.getInteger("webhook_status")).isEqualTo(200);
    assertThat(
            client.get("/api/v1/messages?direction=inbound&channel=whatsapp", admin).bodyAsString())
        .contains(answer.getString("id"));
    // The reply opened the window: free-form messages are allowed now.
    HttpResponse<Buffer> reply =
        client.post(
            "/api/v1/messages",
            admin,
            new JsonObject()
                .put("to", "+14155553001")
                .put("channel", "whatsapp")
                .put("body", "you are welcome"));
    assertThat(reply.statusCode()).as(reply.bodyAsString()).isEqualTo(202);
  }
}
