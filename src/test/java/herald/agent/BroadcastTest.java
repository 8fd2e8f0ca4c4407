package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A broadcast by tier runs as a campaign to the contacts of those tiers only. */
class BroadcastTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.herald().simulators().smsc();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static List<String> textsSentTo(String digits) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().equals(digits))
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .toList();
  }

  private static void contact(String phone, String tier) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/contacts",
            admin,
            new JsonObject().put("phone_number", phone).put("tier", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  @Test
  void aBroadcastReachesTheContactsOfTheGivenTiersOnlyAsACampaign() {
    contact("+14155550401", "gold");
    contact("+14155550402", "gold");
    contact("+14155550403", "free");

    HttpResponse<Buffer> sent =
        client.post(
            "/api/v1/broadcasts",
            admin,
            new JsonObject()
                .put("message", "Maintenance tonight at 2.")
                .put("tiers", new JsonArray().add("gold")));

    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    JsonObject body = sent.bodyAsJsonObject();
    assertThat(body.getInteger("tier_recipients")).isEqualTo(2);
    Await.until(
        "the broadcast",
        Duration.ofSeconds(20),
        () -> textsSentTo("14155550401").size() == 1 && textsSentTo("14155550402").size() == 1);
    assertThat(textsSentTo("14155550401")).containsExactly("Maintenance tonight at 2.");
    JsonObject status =
        client
            .get("/api/v1/campaigns/" + body.getString("campaign_id") + "/status", admin)
            .bodyAsJsonObject();
    assertThat(status.encode()).contains(body.getString("campaign_id"));
    Await.stillAfter(
        Duration.ofMillis(500),
        "nothing to other tiers",
        () -> textsSentTo("14155550403"),
        List::isEmpty);

    assertThat(
            client
                .post("/api/v1/broadcasts", admin, new JsonObject().put("message", "to whom?"))
                .statusCode())
        .isEqualTo(422);
    assertThat(
            client
                .post(
                    "/api/v1/broadcasts",
                    admin,
                    new JsonObject()
                        .put("message", "nobody")
                        .put("tiers", new JsonArray().add("platinum")))
                .statusCode())
        .isEqualTo(422);
  }
}
