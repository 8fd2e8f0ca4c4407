package herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** STOP, START and HELP replies over real SMPP MO messages. */
class OptOutTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.boundSmsc();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static void await(Await.Condition condition, String what) {
    Await.until(what, Duration.ofSeconds(20), condition);
  }

  private static List<String> textsSentTo(String digits) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().equals(digits))
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .toList();
  }

  private static HttpResponse<Buffer> sendTo(String number) {
    return client.post(
        "/api/v1/messages", admin, new JsonObject().put("to", number).put("body", "promo"));
  }

  @Test
  void stopBlacklistsTheNumberConfirmsOnceAndStartUndoesIt() throws Exception {
    smsc.sendMo("14155551234", "Herald", "Stop");
    await(() -> textsSentTo("14155551234").size() == 1, "the STOP confirmation");
    assertThat(textsSentTo("14155551234").get(0)).contains("unsubscribed");

    HttpResponse<Buffer> refused = sendTo("+14155551234");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).contains("blacklisted");

    smsc.sendMo("14155551234", "Herald", "STOP");
    await(
        () ->
            client
                    .get("/api/v1/messages?direction=inbound&limit=200", admin)
                    .bodyAsJsonObject()
                    .getJsonArray("data")
                    .size()
                >= 2,
        "the second STOP to be stored");
    Await.stillAfter(
        Duration.ofMillis(500),
        "the STOP confirmed once only",
        () -> textsSentTo("14155551234").size(),
        n -> n == 1);

    smsc.sendMo("14155551234", "Herald", "START");
    await(() -> textsSentTo("14155551234").size() == 2, "the START confirmation");
    assertThat(textsSentTo("14155551234").get(1)).contains("subscribed again");
    assertThat(sendTo("+14155551234").statusCode()).isEqualTo(202);
  }

  @Test
  void helpIsAnsweredWithTheConfiguredTextAndOtherTextsAreJustStored() throws Exception {
    smsc.sendMo("14155555678", "Herald", "help");
    await(() -> textsSentTo("14155555678").size() == 1, "the HELP reply");
    assertThat(textsSentTo("14155555678").get(0)).contains("Reply STOP");
    smsc.sendMo("14155555679", "Herald", "please stop calling me");
    await(
        () ->
            client
                .get("/api/v1/messages?direction=inbound&limit=200", admin)
                .bodyAsString()
                .contains("please stop calling me"),
        "the plain message to be stored");
    Await.stillAfter(
        Duration.ofMillis(500),
        "no reply to a plain message",
        () -> textsSentTo("14155555679"),
        List::isEmpty);
    assertThat(sendTo("+14155555679").statusCode()).isEqualTo(202);
  }
}
