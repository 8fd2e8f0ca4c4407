package herald.blacklist;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The blacklist routes, and that sends and inbound STOP share their list. */
class BlacklistRoutesTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String other;
  private static Pool pool;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    pool = herald.herald().platform().pool();
    admin = client.loginAdmin();
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/accounts",
            admin,
            new JsonObject()
                .put("name", "other")
                .put("admin_username", "other-admin")
                .put("admin_password", "password-other")
                .put("settings", new JsonObject().put("default_region", "FR")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    other = client.login("other-admin", "password-other");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject check(String token, String number) {
    HttpResponse<Buffer> checked =
        client.post("/api/v1/blacklist/check", token, new JsonObject().put("phone_number", number));
    assertThat(checked.statusCode()).as(checked.bodyAsString()).isEqualTo(200);
    return checked.bodyAsJsonObject();
  }

  private static List<String> events(String subjectId) {
    List<String> types = new ArrayList<>();
    pool.preparedQuery("SELECT type FROM events WHERE subject_id = $1 ORDER BY id")
        .execute(Tuple.of(UUID.fromString(subjectId)))
        .await()
        .forEach(row -> types.add(row.getString("type")));
    return types;
  }

  private static HttpResponse<Buffer> sendTo(String number) {
    return client.post(
        "/api/v1/messages", admin, new JsonObject().put("to", number).put("body", "promo"));
  }

  @Test
  void aBlacklistedNumberIsRefusedBySendsUntilItIsRemoved() {
    assertThat(check(admin, "+14155550177").getBoolean("is_blacklisted")).isFalse();
    HttpResponse<Buffer> added =
        client.post(
            "/api/v1/blacklist",
            admin,
            new JsonObject()
                .put("phone_number", "+1 415-555-0177")
                .put("reason", "asked by phone"));
    assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
    JsonObject entry = added.bodyAsJsonObject();
    assertThat(entry.getString("phone_number")).isEqualTo("+14155550177");
    assertThat(entry.getString("source")).isEqualTo("api");
    String id = entry.getString("id");

    JsonObject checked = check(admin, "+14155550177");
    assertThat(checked.getBoolean("is_blacklisted")).isTrue();
    assertThat(checked.getString("reason")).isEqualTo("asked by phone");
    assertThat(Instant.parse(checked.getString("since"))).isBeforeOrEqualTo(Instant.now());

    HttpResponse<Buffer> refused = sendTo("+14155550177");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).contains("blacklisted");

    HttpResponse<Buffer> again =
        client.post(
            "/api/v1/blacklist", admin, new JsonObject().put("phone_number", "+14155550177"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("type")).endsWith("already-blacklisted");

    HttpResponse<Buffer> listed =
        client.get("/api/v1/blacklist?phone_number=%2B14155550177", admin);
    assertThat(listed.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo(id);

    assertThat(client.delete("/api/v1/blacklist/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/v1/blacklist/" + id, admin).statusCode()).isEqualTo(404);
    assertThat(check(admin, "+14155550177").getBoolean("is_blacklisted")).isFalse();
    assertThat(sendTo("+14155550177").statusCode()).isBetween(200, 299);
    assertThat(events(id)).containsExactly("blacklist.added", "blacklist.removed");
  }

  @Test
  void concurrentSendsEachGetTheirOwnNumbersBlacklistAnswer() throws Exception {
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String number = "+1415555" + (2100 + i);
      listed.add(number);
      HttpResponse<Buffer> added =
          client.post("/api/v1/blacklist", admin, new JsonObject().put("phone_number", number));
      assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
    }
    // Single sends at once, so that the lookups of several share one query: each answer must
    // still be about its own number only.
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
      List<String> numbers = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 20; i++) {
          String number = "+1415555" + (2100 + i);
          numbers.add(number);
          answers.add(threads.submit(() -> sendTo(number).statusCode()));
        }
      }
      for (int i = 0; i < numbers.size(); i++) {
        int status = answers.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (listed.contains(numbers.get(i))) {
          assertThat(status).as(numbers.get(i) + " is blacklisted").isEqualTo(422);
        } else {
          assertThat(status).as(numbers.get(i) + " is not").isBetween(200, 299);
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void numbersRepliedStopAreListedWithTheirSource() throws Exception {
    herald.boundSmsc().sendMo("14155550178", "Herald", "STOP");
    Await.until(
        "the number that replied STOP blacklisted",
        Duration.ofSeconds(20),
        () -> check(admin, "+14155550178").getBoolean("is_blacklisted"));
    HttpResponse<Buffer> listed = client.get("/api/v1/blacklist?source=inbound_stop", admin);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.bodyAsString()).contains("+14155550178");
    assertThat(client.get("/api/v1/blacklist?source=api", admin).bodyAsString())
        .doesNotContain("+14155550178");
  }

  @Test
  void anotherAccountsEntryAnswers404AndItsListIsItsOwn() {
    String id =
        client
            .post("/api/v1/blacklist", admin, new JsonObject().put("phone_number", "+14155550179"))
            .bodyAsJsonObject()
            .getString("id");
    assertThat(client.get("/api/v1/blacklist/" + id, other).statusCode()).isEqualTo(404);
    assertThat(client.delete("/api/v1/blacklist/" + id, other).statusCode()).isEqualTo(404);
    assertThat(check(other, "+14155550179").getBoolean("is_blacklisted")).isFalse();
    assertThat(client.get("/api/v1/blacklist", other).bodyAsString()).doesNotContain(id);
    assertThat(client.get("/api/v1/blacklist/" + id, admin).statusCode()).isEqualTo(200);
    // national numbers are read in the account's region
    HttpResponse<Buffer> national =
        client.post("/api/v1/blacklist", other, new JsonObject().put("phone_number", "0612345678"));
    assertThat(national.bodyAsJsonObject().getString("phone_number")).isEqualTo("+33612345678");
  }

  @Test
  void badInputIsAFieldErrorAndWritesNothing() {
    HttpResponse<Buffer> bad =
        client.post("/api/v1/blacklist", admin, new JsonObject().put("phone_number", "12"));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("phone_number");
    assertThat(client.post("/api/v1/blacklist", admin, new JsonObject()).statusCode())
        .isEqualTo(422);
    assertThat(
            client
                .post("/api/v1/blacklist/check", admin, new JsonObject().put("number", "x"))
                .statusCode())
        .isEqualTo(422);
    assertThat(client.get("/api/v1/blacklist?source=sms", admin).statusCode()).isEqualTo(400);
    assertThat(client.get("/api/v1/blacklist?phone_number=abc", admin).statusCode()).isEqualTo(400);
    assertThat(client.get("/api/v1/blacklist?phone_number=12", admin).statusCode()).isEqualTo(400);
  }

  private static HttpResponse<Buffer> upload(String token, String query, byte[] body, String type) {
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    headers.add("Authorization", "Bearer " + token);
    return client.send(
        io.vertx.core.http.HttpMethod.POST,
        "/api/v1/blacklist/import" + query,
        headers,
        Buffer.buffer(body),
        type);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static long otherEntries() {
    return client
        .get("/api/v1/blacklist?limit=200", other)
        .bodyAsJsonObject()
        .getJsonArray("data")
        .size();
  }

  @Test
  void aSemicolonCsvWithBomAndNationalNumbersIsImportedWithOneEventPerNumberAdded() {
    HttpResponse<Buffer> first =
        client.post("/api/v1/blacklist", other, new JsonObject().put("phone_number", "0611000001"));
    assertThat(first.statusCode()).isEqualTo(201);
    String csv =
        "\uFEFFNom;Téléphone;Motif\r\n"
            + "Jean;06 11 00 00 01;déjà là\r\n"
            + "Ann;0611000002;\"a dit\nSTOP\"\r\n"
            + "\r\n"
            + "Bob;+33611000003;\r\n"
            + "Bob again;0611000003;doublon\r\n";
    HttpResponse<Buffer> imported = upload(other, "", utf8(csv), "text/csv");
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(200);
    JsonObject result = imported.bodyAsJsonObject();
    assertThat(result.getLong("rows")).isEqualTo(4);
    assertThat(result.getInteger("added")).isEqualTo(2);
    assertThat(result.getInteger("already_blacklisted")).isEqualTo(1);
    assertThat(result.getLong("duplicates_in_file")).isEqualTo(1);
    assertThat(result.getJsonArray("errors")).isEmpty();
    JsonObject ann = check(other, "+33611000002");
    assertThat(ann.getBoolean("is_blacklisted")).isTrue();
    assertThat(ann.getString("reason")).isEqualTo("a dit\nSTOP");
    assertThat(check(other, "+33611000003").getBoolean("is_blacklisted")).isTrue();
    String annId =
        client
            .get("/api/v1/blacklist?phone_number=%2B33611000002", other)
            .bodyAsJsonObject()
            .getJsonArray("data")
            .getJsonObject(0)
            .getString("id");
    assertThat(events(annId)).containsExactly("blacklist.added");
    assertThat(client.get("/api/v1/blacklist?source=import", other).bodyAsString())
        .contains("+33611000002", "+33611000003")
        .doesNotContain("+33611000001");
  }

  @Test
  void badRowsRejectTheWholeFileUnlessSkippingIsAskedFor() {
    String csv = "phone,reason\n+33611000011,ok\nnot a number,x\n,empty\n+33611000012,ok\n";
    long before = otherEntries();
    HttpResponse<Buffer> rejected = upload(other, "", utf8(csv), "text/csv; charset=utf-8");
    assertThat(rejected.statusCode()).isEqualTo(422);
    assertThat(
            rejected.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .containsExactly("line 3: phone", "line 4: phone");
    assertThat(otherEntries()).isEqualTo(before);

    HttpResponse<Buffer> skipped = upload(other, "?on_error=skip", utf8(csv), "text/csv");
    assertThat(skipped.statusCode()).as(skipped.bodyAsString()).isEqualTo(200);
    assertThat(skipped.bodyAsJsonObject().getInteger("added")).isEqualTo(2);
    assertThat(skipped.bodyAsJsonObject().getInteger("skipped")).isEqualTo(2);
    assertThat(skipped.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getLong("line"))
        .isEqualTo(3);
    assertThat(otherEntries()).isEqualTo(before + 2);
  }

  @Test
  void malformedUploadsAnswerClearlyAndAddNothing() {
    long before = otherEntries();
    byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    assertThat(upload(other, "", binary, "text/csv").statusCode()).isEqualTo(400);
    assertThat(upload(other, "", new byte[] {(byte) 0xC3, '(', ','}, "text/csv").statusCode())
        .isEqualTo(400);
    assertThat(upload(other, "", new byte[0], "text/csv").statusCode()).isEqualTo(400);
    HttpResponse<Buffer> noPhone = upload(other, "", utf8("name,email\nJean,j@x.fr\n"), "text/csv");
    assertThat(noPhone.statusCode()).isEqualTo(422);
    assertThat(noPhone.bodyAsString()).contains("no_phone_column");
    HttpResponse<Buffer> quotes =
        upload(other, "", utf8("phone,reason\n+33611000021,\"open\n+33611000022,x\n"), "text/csv");
    assertThat(quotes.statusCode()).isEqualTo(400);
    assertThat(quotes.bodyAsString()).contains("line 2");
    assertThat(upload(other, "", utf8("phone\n+33611000023\n"), "application/json").statusCode())
        .isEqualTo(415);
    assertThat(
            upload(other, "?on_error=maybe", utf8("phone\n+33611000023\n"), "text/csv")
                .statusCode())
        .isEqualTo(400);
    assertThat(otherEntries()).isEqualTo(before);
  }
}
