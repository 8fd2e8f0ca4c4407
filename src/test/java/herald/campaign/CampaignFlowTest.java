package herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Campaigns through the API to the SMPP simulator: personalisation, skips by reason, groups,
 * variants, and the control actions (pause, resume, stop, retry, clone).
 */
class CampaignFlowTest {
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

  static JsonObject created(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isBetween(200, 201);
    return r.bodyAsJsonObject();
  }

  static JsonObject awaitStatus(
      TestClient client, String token, String id, Predicate<JsonObject> done)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JsonObject status = null;
    while (Instant.now().isBefore(deadline)) {
      status = client.get("/api/v1/campaigns/" + id + "/status", token).bodyAsJsonObject();
      if (done.test(status)) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("campaign " + id + " did not get there: " + status);
  }

  private static List<String> textsTo(String prefix) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().startsWith(prefix))
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .sorted()
        .toList();
  }

  @Test
  void inlineRecipientsArePersonalisedAndSkipsAreCountedByReason() throws Exception {
    created(
        client.post(
            "/api/v1/blacklist",
            admin,
            new JsonObject().put("phone_number", "+14155550103").put("reason", "asked")));
    JsonArray recipients =
        new JsonArray()
            .add(new JsonObject().put("number", "+14155550101").put("name", "Ann").put("code", 11))
            .add(new JsonObject().put("phone", "+14155550102").put("code", 22))
            .add("+14155550102")
            .add("+14155550103")
            .add("not-a-number");
    JsonObject campaign =
        created(
            client.post(
                "/api/v1/campaigns",
                admin,
                new JsonObject()
                    .put("name", "Inline")
                    .put("message", "Hi {name|friend}, code {code}")
                    .put("recipients", recipients)));
    assertThat(campaign.getString("status")).isEqualTo("draft");
    String id = campaign.getString("id");

    JsonObject started = created(client.post("/api/v1/campaigns/" + id + "/start", admin, null));
    assertThat(started.getString("status")).isEqualTo("running");

    JsonObject status =
        awaitStatus(client, admin, id, s -> "completed".equals(s.getString("status")));
    assertThat(status.getLong("total")).isEqualTo(4);
    assertThat(status.getLong("sent")).isEqualTo(2);
    assertThat(status.getLong("pending")).isZero();
    assertThat(status.getDouble("percentage")).isEqualTo(100.0);
    JsonObject skipped = status.getJsonObject("skipped_by_reason");
    assertThat(skipped.fieldNames())
        .containsExactlyInAnyOrder("blacklisted", "invalid_number", "duplicate");
    assertThat(skipped.getInteger("blacklisted")).isEqualTo(1);
    assertThat(skipped.getInteger("invalid_number")).isEqualTo(1);
    assertThat(skipped.getInteger("duplicate")).isEqualTo(1);
    assertThat(textsTo("1415555010")).containsExactly("Hi Ann, code 11", "Hi friend, code 22");
  }
}
