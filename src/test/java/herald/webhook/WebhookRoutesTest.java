package herald.webhook;

import static herald.webhook.WebhookDeliveryTest.createEndpoint;
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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoints API: create with a secret shown once, list and show without it, partial updates,
 * toggling, deletion, the event catalogue, per-sender endpoints, the delivery log with its filters,
 * stats and replays; 422 with field errors for bad input and 404 for another tenant's ids.
 */
class WebhookRoutesTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String other;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    HttpResponse<Buffer> tenant =
        client.post(
            "/api/v1/accounts",
            admin,
            new JsonObject()
                .put("name", "Other tenant")
                .put("admin_username", "other-admin")
                .put("admin_password", "password-other-admin"));
    assertThat(tenant.statusCode()).as(tenant.bodyAsString()).isEqualTo(201);
    other = client.login("other-admin", "password-other-admin");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject body(String url, String... events) {
    return new JsonObject()
        .put("name", "integration")
        .put("url", url)
        .put("events", new JsonArray(List.of(events)));
  }

  private static HttpResponse<Buffer> put(String path, String token, JsonObject json) {
    return client.send(HttpMethod.PUT, path, token, json);
  }

  @Test
  void anEndpointShowsItsSecretOnceAndNeverInListsOrDetails() {
    JsonObject created =
        createEndpoint(client, admin, body("https://hooks.example.com/herald", "message.*"));
    String id = created.getString("id");
    assertThat(created.getString("secret")).startsWith("whsec_");
    assertThat(created.getInteger("retry_limit")).isEqualTo(2); // the test schedule's length
    assertThat(created.getInteger("timeout_seconds")).isEqualTo(15);
    assertThat(created.getBoolean("is_active")).isTrue();
    assertThat(created.getBoolean("ordered")).isFalse();

    String list = client.get("/api/v1/webhooks?limit=200", admin).bodyAsString();
    assertThat(list).contains(id).doesNotContain("whsec_").doesNotContain("\"secret\"");
    JsonObject shown = client.get("/api/v1/webhooks/" + id, admin).bodyAsJsonObject();
    assertThat(shown.containsKey("secret")).isFalse();
    assertThat(shown.getJsonArray("recent_deliveries")).isEmpty();
    assertThat(
            client
                .get("/api/v1/audit-logs?resource_type=webhook&resource_id=" + id, admin)
                .bodyAsString())
        .contains("\"create\"")
        .doesNotContain("whsec_");
  }

  @Test
  void aClientMayBringItsOwnSecretInTheStandardForm() {
    String secret = Signatures.newSecret();
    JsonObject created =
        createEndpoint(
            client, admin, body("https://hooks.example.com/own", "*").put("secret", secret));
    assertThat(created.getString("secret")).isEqualTo(secret);
  }

  @Test
  void putChangesOnlyTheGivenFieldsAndToggleAndDeleteWork() {
    String id =
        createEndpoint(client, admin, body("https://hooks.example.com/a", "message.sent"))
            .getString("id");
    HttpResponse<Buffer> updated =
        put(
            "/api/v1/webhooks/" + id,
            admin,
            new JsonObject()
                .put("events", new JsonArray().add("message.sent").add("message.failed"))
                .put("timeout_seconds", 5)
                .put("rate_limit_per_second", 50)
                .put("ordered", true));
    assertThat(updated.statusCode()).as(updated.bodyAsString()).isEqualTo(200);
    JsonObject after = updated.bodyAsJsonObject();
    assertThat(after.getJsonArray("events")).containsExactly("message.sent", "message.failed");
    assertThat(after.getString("url")).isEqualTo("https://hooks.example.com/a");
    assertThat(after.getInteger("timeout_seconds")).isEqualTo(5);
    assertThat(after.getInteger("rate_limit_per_second")).isEqualTo(50);
    assertThat(after.getBoolean("ordered")).isTrue();

    JsonObject off =
        client.post("/api/v1/webhooks/" + id + "/toggle", admin, null).bodyAsJsonObject();
    assertThat(off.getBoolean("is_active")).isFalse();
    assertThat(off.getString("disabled_reason")).isEqualTo("disabled_by_user");
    assertThat(client.post("/api/v1/webhooks/" + id + "/test", admin, null).statusCode())
        .isEqualTo(409);
    JsonObject on =
        client.post("/api/v1/webhooks/" + id + "/toggle", admin, null).bodyAsJsonObject();
    assertThat(on.getBoolean("is_active")).isTrue();
    assertThat(on.getString("disabled_reason")).isNull();

    assertThat(client.delete("/api/v1/webhooks/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/v1/webhooks/" + id, admin).statusCode()).isEqualTo(404);
  }

  @Test
  void badInputIsAnsweredWithFieldErrors() {
    HttpResponse<Buffer> empty = client.post("/api/v1/webhooks", admin, new JsonObject());
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(empty.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(empty.bodyAsJsonObject().getJsonArray("errors").encode())
        .contains("\"name\"")
        .contains("\"url\"")
        .contains("\"events\"");

    JsonObject bad =
        new JsonObject()
            .put("name", "x")
            .put("url", "ftp://hooks.example.com/")
            .put("events", new JsonArray().add("message.sent").add("message.nope").add("nope.*"))
            .put("secret", "not-a-secret")
            .put("retry_limit", 99)
            .put("timeout_seconds", 0)
            .put("rate_limit_per_second", -1)
            .put("ordered", "yes")
            .put("sender_id", "nope");
    HttpResponse<Buffer> invalid = client.post("/api/v1/webhooks", admin, bad);
    assertThat(invalid.statusCode()).isEqualTo(422);
    String errors = invalid.bodyAsJsonObject().getJsonArray("errors").encode();
    assertThat(errors)
        .contains("\"url\"")
        .contains("\"events[1]\"")
        .contains("\"events[2]\"")
        .doesNotContain("\"events[0]\"")
        .contains("\"secret\"")
        .contains("\"retry_limit\"")
        .contains("\"timeout_seconds\"")
        .contains("\"rate_limit_per_second\"")
        .contains("\"ordered\"")
        .contains("\"sender_id\"");

    HttpResponse<Buffer> unknown =
        client.post(
            "/api/v1/webhooks", admin, body("https://hooks.example.com", "*").put("colour", "red"));
    assertThat(unknown.statusCode()).isEqualTo(422);
    String id =
        createEndpoint(client, admin, body("https://hooks.example.com/b", "*")).getString("id");
    HttpResponse<Buffer> secretByPut =
        put(
            "/api/v1/webhooks/" + id,
            admin,
            new JsonObject().put("secret", Signatures.newSecret()));
    assertThat(secretByPut.statusCode()).isEqualTo(422);

    HttpResponse<Buffer> notJson =
        client.send(
            HttpMethod.POST,
            "/api/v1/webhooks",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer("name=x"),
            "application/x-www-form-urlencoded");
    assertThat(notJson.statusCode()).isEqualTo(415);
    HttpResponse<Buffer> malformed =
        client.send(
            HttpMethod.POST,
            "/api/v1/webhooks",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer("{\"name\":"),
            "application/json");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(client.get("/api/v1/webhooks/not-an-id", admin).statusCode()).isEqualTo(404);
    assertThat(
            client
                .get("/api/v1/webhooks/" + id + "/deliveries?since=yesterday", admin)
                .statusCode())
        .isEqualTo(400);
    assertThat(client.get("/api/v1/webhooks/" + id + "/deliveries?cursor=zzz", admin).statusCode())
        .isEqualTo(400);
    assertThat(client.post("/api/v1/webhooks/" + id + "/recover", admin, null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void anotherTenantsEndpointIsNotFoundEverywhere() {
    String id =
        createEndpoint(client, admin, body("https://hooks.example.com/mine", "*")).getString("id");
    String base = "/api/v1/webhooks/" + id;
    assertThat(client.get(base, other).statusCode()).isEqualTo(404);
    assertThat(put(base, other, new JsonObject().put("name", "stolen")).statusCode())
        .isEqualTo(404);
    assertThat(client.post(base + "/toggle", other, null).statusCode()).isEqualTo(404);
    assertThat(client.post(base + "/test", other, null).statusCode()).isEqualTo(404);
    assertThat(client.post(base + "/rotate-secret", other, null).statusCode()).isEqualTo(404);
    assertThat(client.get(base + "/deliveries", other).statusCode()).isEqualTo(404);
    assertThat(client.get(base + "/stats", other).statusCode()).isEqualTo(404);
    assertThat(client.post(base + "/recover?since=2026-01-01T00:00:00Z", other, null).statusCode())
        .isEqualTo(404);
    assertThat(client.delete(base, other).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/webhooks", other).bodyAsString()).doesNotContain(id);
    assertThat(client.get(base, admin).bodyAsJsonObject().getString("name"))
        .isEqualTo("integration");
  }

  @Test
  void theCatalogueListsEveryEventWithADescriptionAndAnExample() {
    JsonArray data =
        client.get("/api/v1/webhooks/events", admin).bodyAsJsonObject().getJsonArray("data");
    List<String> types = data.stream().map(e -> ((JsonObject) e).getString("type")).toList();
    assertThat(types)
        .contains(
            "message.queued",
            "message.sent",
            "message.delivered",
            "message.undelivered",
            "message.failed",
            "message.received",
            "blacklist.added",
            "blacklist.removed",
            "contact.created",
            "contact_group.members_added",
            "contact_group.members_removed",
            "contacts.imported",
            "contacts.import_failed",
            "webhook.test",
            "webhook.disabled");
    data.forEach(
        e -> {
          assertThat(((JsonObject) e).getString("description")).isNotBlank();
          assertThat(((JsonObject) e).getJsonObject("example")).isNotEmpty();
        });
  }

  @Test
  void aFailedDeliveryIsRetriedOnRequestAndRecoveredWithTheSameWebhookId() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      receiver.answer(500);
      String id =
          createEndpoint(client, admin, body(receiver.url(), "webhook.test").put("retry_limit", 0))
              .getString("id");
      String base = "/api/v1/webhooks/" + id;
      for (int i = 0; i < 3; i++) {
        client.post(base + "/test", admin, null);
      }
      Await.until(
          "three failed deliveries",
          Duration.ofSeconds(15),
          () ->
              client
                      .get(base + "/deliveries?success=false", admin)
                      .bodyAsJsonObject()
                      .getJsonArray("data")
                      .size()
                  == 3);
      JsonObject failed = client.get(base + "/deliveries?success=false", admin).bodyAsJsonObject();
      JsonObject first = failed.getJsonArray("data").getJsonObject(0);
      assertThat(first.getString("status")).isEqualTo("failed");
      assertThat(first.getInteger("response_status")).isEqualTo(500);
      assertThat(first.getString("response_body")).isEqualTo("ok 500");
      assertThat(first.getInteger("latency_ms")).isNotNull();
      assertThat(first.getInteger("attempts")).isEqualTo(1);

      receiver.answer(200);
      String deliveryId = first.getString("id");
      HttpResponse<Buffer> retried =
          client.post(base + "/deliveries/" + deliveryId + "/retry", admin, null);
      assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(202);
      Await.until(
          "the retried delivery",
          Duration.ofSeconds(10),
          () -> receiver.received(r -> r.id().equals(deliveryId)).size() == 2);
      assertThat(
              client
                  .post(base + "/deliveries/" + java.util.UUID.randomUUID() + "/retry", admin, null)
                  .statusCode())
          .isEqualTo(404);

      Instant since = Instant.now().minus(Duration.ofMinutes(5));
      HttpResponse<Buffer> recovered = client.post(base + "/recover?since=" + since, admin, null);
      assertThat(recovered.statusCode()).as(recovered.bodyAsString()).isEqualTo(202);
      assertThat(recovered.bodyAsJsonObject().getLong("recovered")).isEqualTo(2);
      Await.until(
          "the recovered deliveries",
          Duration.ofSeconds(10),
          () ->
              receiver.countsById().values().stream().allMatch(n -> n == 2)
                  && receiver.countsById().size() == 3);

      // The receiver sees a request before Herald has recorded its answer.
      Await.until(
          "the recorded outcomes",
          Duration.ofSeconds(10),
          () -> client.get(base + "/stats", admin).bodyAsJsonObject().getLong("succeeded") == 3);
      JsonObject stats = client.get(base + "/stats", admin).bodyAsJsonObject();
      assertThat(stats.getLong("total_deliveries")).isEqualTo(3);
      assertThat(stats.getLong("succeeded")).isEqualTo(3);
      assertThat(stats.getDouble("success_rate")).isEqualTo(100.0);
      assertThat(stats.getLong("attempts")).isEqualTo(6);
      assertThat(stats.getString("last_failure_at")).isNotNull();
      assertThat(stats.getString("last_success_at")).isNotNull();
      assertThat(stats.getJsonArray("events_by_type").getJsonObject(0).getString("event"))
          .isEqualTo("webhook.test");
      assertThat(
              client
                  .get(base + "/deliveries?event=webhook.test&success=true", admin)
                  .bodyAsJsonObject()
                  .getJsonArray("data"))
          .hasSize(3);
      assertThat(
              client
                  .get(base + "/deliveries?event=message.sent", admin)
                  .bodyAsJsonObject()
                  .getJsonArray("data"))
          .isEmpty();
      assertThat(
              client
                  .get(base + "/deliveries?until=" + since, admin)
                  .bodyAsJsonObject()
                  .getJsonArray("data"))
          .isEmpty();
      JsonObject page1 = client.get(base + "/deliveries?limit=2", admin).bodyAsJsonObject();
      assertThat(page1.getJsonArray("data")).hasSize(2);
      JsonObject page2 =
          client
              .get(base + "/deliveries?limit=2&cursor=" + page1.getString("next_cursor"), admin)
              .bodyAsJsonObject();
      assertThat(page2.getJsonArray("data")).hasSize(1);
      assertThat(page2.getString("next_cursor")).isNull();
    }
  }

  @Test
  void aSenderScopedEndpointGetsOnlyThatSendersEvents() throws Exception {
    HttpResponse<Buffer> sender =
        client.post(
            "/api/v1/senders",
            admin,
            new JsonObject()
                .put("name", "session two")
                .put("provider", "smpp")
                .put("rate_per_second", 50)
                .put(
                    "settings",
                    new JsonObject()
                        .put("host", "127.0.0.1")
                        .put("port", herald.herald().simulators().smsc().port())
                        .put("system_id", "herald")
                        .put("password", "herald")
                        .put("source_addr", "54321")));
    assertThat(sender.statusCode()).as(sender.bodyAsString()).isEqualTo(201);
    String senderId = sender.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> foreign =
        client.post(
            "/api/v1/webhooks",
            other,
            body("https://hooks.example.com/x", "*").put("sender_id", senderId));
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(foreign.bodyAsString()).contains("\"sender_id\"");

    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      JsonObject created =
          createEndpoint(
              client, admin, body(receiver.url(), "message.queued").put("sender_id", senderId));
      assertThat(created.getString("sender_id")).isEqualTo(senderId);
      JsonArray batch =
          new JsonArray()
              .add(new JsonObject().put("to", "+14155557001").put("body", "default sender"))
              .add(
                  new JsonObject()
                      .put("to", "+14155557002")
                      .put("body", "session two")
                      .put("sender_id", senderId));
      HttpResponse<Buffer> sent =
          client.send(
              HttpMethod.POST,
              "/api/v1/messages",
              MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
              Buffer.buffer(batch.encode()),
              "application/json");
      assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
      Await.until("the event", Duration.ofSeconds(10), () -> !receiver.received().isEmpty());
      // the other sender's event would arrive within this
      Await.stillAfter(
          Duration.ofMillis(500),
          "one event only, the endpoint's sender's",
          () -> receiver.received().size(),
          n -> n == 1);
      assertThat(
              new JsonObject(receiver.received().get(0).body())
                  .getJsonObject("data")
                  .getString("to"))
          .isEqualTo("+14155557002");
    }
  }
}
