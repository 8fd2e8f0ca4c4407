package herald.sender;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Senders, number analysis and CSV export over the real gateway. */
class SenderRoutesTest {
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

  private static JsonObject smpp(String name) {
    return new JsonObject()
        .put("name", name)
        .put("provider", "smpp")
        .put("rate_per_second", 20)
        .put(
            "settings",
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", herald.herald().simulators().smsc().port())
                .put("system_id", "herald")
                .put("password", "herald")
                .put("source_addr", "12345"));
  }

  @Test
  void aSenderIsCreatedWithoutEverShowingItsPasswordAndReportsItsConnection() throws Exception {
    HttpResponse<Buffer> created = client.post("/api/v1/senders", admin, smpp("second bind"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject sender = created.bodyAsJsonObject();
    assertThat(sender.getJsonObject("settings").containsKey("password")).isFalse();
    assertThat(sender.getJsonObject("settings").getInteger("window")).isEqualTo(10);
    assertThat(sender.getJsonObject("settings").getInteger("source_ton")).isEqualTo(1);
    assertThat(client.get("/api/v1/senders", admin).bodyAsString()).doesNotContain("\"password\"");
    String id = sender.getString("id");
    Await.until(
        "the new sender's SMPP session bound",
        Duration.ofSeconds(15),
        () ->
            client
                .get("/api/v1/senders/" + id + "/status", admin)
                .bodyAsJsonObject()
                .getString("connection"),
        "bound"::equals);
    String audit =
        client
            .get("/api/v1/audit-logs?resource_type=sender&resource_id=" + id, admin)
            .bodyAsString();
    assertThat(audit).contains("second bind").doesNotContain("\"password\"");
    assertThat(client.delete("/api/v1/senders/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(
            client.get("/api/v1/senders/" + id, admin).bodyAsJsonObject().getBoolean("is_active"))
        .isFalse();
  }

  @Test
  void invalidSettingsAre422ForEachProvider() {
    HttpResponse<Buffer> missing =
        client.post(
            "/api/v1/senders",
            admin,
            new JsonObject()
                .put("name", "x")
                .put("provider", "smpp")
                .put("rate_per_second", 5)
                .put("settings", new JsonObject().put("port", 99999)));
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(
            missing.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .contains(
            "settings.host",
            "settings.system_id",
            "settings.password",
            "settings.source_addr",
            "settings.port");
    HttpResponse<Buffer> twilio =
        client.post(
            "/api/v1/senders",
            admin,
            new JsonObject()
                .put("name", "t")
                .put("provider", "twilio")
                .put("rate_per_second", 5)
                .put("settings", new JsonObject()));
    assertThat(twilio.statusCode()).isEqualTo(422);
    assertThat(
            twilio.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .contains("settings.account_sid", "settings.auth_token", "settings.from");
  }

  @Test
  void anotherTenantsSenderAnswers404AndCannotBeUsedToSend() {
    String id =
        client
            .post("/api/v1/senders", admin, smpp("platform only"))
            .bodyAsJsonObject()
            .getString("id");
    client.post(
        "/api/v1/accounts",
        admin,
        new JsonObject()
            .put("name", "Other")
            .put("admin_username", "other-admin")
            .put("admin_password", "password-other"));
    String other = client.login("other-admin", "password-other");
    assertThat(client.get("/api/v1/senders/" + id, other).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/senders/" + id + "/status", other).statusCode()).isEqualTo(404);
    assertThat(
            client
                .patch("/api/v1/senders/" + id, other, new JsonObject().put("name", "mine"))
                .statusCode())
        .isEqualTo(404);
    HttpResponse<Buffer> send =
        client.post(
            "/api/v1/messages",
            other,
            new JsonObject().put("to", "+14155550100").put("body", "x").put("sender_id", id));
    assertThat(send.statusCode()).isEqualTo(422);
    assertThat(send.bodyAsString()).contains("unknown_sender");
    assertThat(client.get("/api/v1/messages", other).bodyAsJsonObject().getJsonArray("data"))
        .isEmpty();
  }

  @Test
  void numbersAreAnalysedForAnyCountry() {
    HttpResponse<Buffer> analysed =
        client.post(
            "/api/v1/phone-numbers/analyze",
            admin,
            new JsonObject()
                .put(
                    "numbers",
                    new JsonArray().add("+44 7911 123456").add("+33 6 12 34 56 78").add("12")));
    assertThat(analysed.statusCode()).isEqualTo(200);
    JsonArray data = analysed.bodyAsJsonObject().getJsonArray("data");
    assertThat(data.getJsonObject(0).getString("e164")).isEqualTo("+447911123456");
    assertThat(data.getJsonObject(0).getInteger("country_code")).isEqualTo(44);
    assertThat(data.getJsonObject(0).getString("number_type")).isEqualTo("mobile");
    assertThat(data.getJsonObject(1).getString("region")).isEqualTo("FR");
    assertThat(data.getJsonObject(1).getBoolean("valid")).isTrue();
    assertThat(data.getJsonObject(2).getBoolean("valid")).isFalse();
    assertThat(data.getJsonObject(2).getString("error")).isNotBlank();
  }

  @Test
  void seed003sAnalyzePathAndFieldGiveTypesForNorthAmericanNumbersAndTotalsPerOperator() {
    HttpResponse<Buffer> analysed =
        client.post(
            "/api/v1/messages/analyze",
            admin,
            new JsonObject()
                .put(
                    "phone_numbers",
                    new JsonArray().add("+16502530000").add("+33612345678").add("12")));
    assertThat(analysed.statusCode()).as(analysed.bodyAsString()).isEqualTo(200);
    JsonObject body = analysed.bodyAsJsonObject();
    JsonObject us = body.getJsonArray("data").getJsonObject(0);
    assertThat(us.getString("region")).isEqualTo("US");
    assertThat(us.getString("number_type")).isEqualTo("fixed_line_or_mobile");
    assertThat(us.getBoolean("sms_capable")).isTrue();
    assertThat(body.getJsonArray("data").getJsonObject(1).getBoolean("sms_capable")).isTrue();
    JsonObject summary = body.getJsonObject("summary");
    assertThat(summary.getInteger("total")).isEqualTo(3);
    assertThat(summary.getInteger("valid")).isEqualTo(2);
    assertThat(summary.getInteger("invalid")).isEqualTo(1);
    assertThat(summary.getJsonObject("by_region").getMap())
        .containsEntry("US", 1)
        .containsEntry("FR", 1);
    assertThat(
            summary.getJsonObject("by_operator").getMap().values().stream()
                .mapToInt(v -> (Integer) v)
                .sum())
        .isEqualTo(2);

    HttpResponse<Buffer> both =
        client.post(
            "/api/v1/phone-numbers/analyze",
            admin,
            new JsonObject()
                .put("numbers", new JsonArray().add("+16502530000"))
                .put("phone_numbers", new JsonArray().add("+16502530000")));
    assertThat(both.statusCode()).isEqualTo(422);
  }

  @Test
  void theExportStreamsEveryMatchingMessageAsCsv() {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 25; i++) {
      batch.add(
          new JsonObject()
              .put("to", "+1415555" + (3000 + i))
              .put("body", "export, \"quoted\" " + i));
    }
    client.post(
        "/api/v1/messages",
        admin,
        new JsonObject().put("to", "+14155553999").put("body", "=cmd()"));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin);
    client.send(
        HttpMethod.POST,
        "/api/v1/messages",
        headers,
        Buffer.buffer(batch.encode()),
        "application/json");
    HttpResponse<Buffer> csv = client.get("/api/v1/messages/export?format=csv", admin);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
    String[] lines = csv.bodyAsString().split("\r\n");
    assertThat(lines[0]).startsWith("id,created_at,direction,status,to");
    assertThat(lines.length).isGreaterThanOrEqualTo(27);
    assertThat(csv.bodyAsString()).contains("\"export, \"\"quoted\"\" 7\"").contains("'=cmd()");
    assertThat(client.get("/api/v1/messages/export?format=xml", admin).statusCode()).isEqualTo(400);
  }
}
