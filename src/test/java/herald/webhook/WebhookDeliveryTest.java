package herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks as a consumer sees them: real events from the SMS pipeline reach a real HTTP receiver on
 * loopback, signed so that the Standard Webhooks reference library and a plain HMAC verify them,
 * retried until a receiver that was down comes back, in order when asked, and never held up by
 * another endpoint that hangs.
 */
class WebhookDeliveryTest {
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

  static JsonObject createEndpoint(TestClient client, String token, JsonObject body) {
    HttpResponse<Buffer> created = client.post("/api/v1/webhooks", token, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static JsonObject endpoint(TestReceiver receiver, String... events) {
    return new JsonObject()
        .put("name", "receiver")
        .put("url", receiver.url())
        .put("events", new JsonArray(List.of(events)));
  }

  private static void sendSms(int count, String prefix) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < count; i++) {
      batch.add(
          new JsonObject()
              .put("to", String.format("+1415556%04d", i))
              .put("body", prefix + " " + i));
    }
    HttpResponse<Buffer> response =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(batch.encode()),
            "application/json");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
  }

  private static String test(String endpointId) {
    HttpResponse<Buffer> sent =
        client.post("/api/v1/webhooks/" + endpointId + "/test", admin, null);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    return sent.bodyAsJsonObject().getString("event_id");
  }

  private static Map<String, List<String>> headers(TestReceiver.Received r) {
    Map<String, List<String>> out = new HashMap<>();
    r.headers()
        .forEach(
            e ->
                out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>())
                    .add(e.getValue()));
    return out;
  }

  private static String hexHmac(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void messageEventsArriveSignedSoTheReferenceLibraryAndAPlainHmacVerifyThem() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      JsonObject created = createEndpoint(client, admin, endpoint(receiver, "message.*"));
      String secret = created.getString("secret");
      assertThat(secret).matches("whsec_[A-Za-z0-9+/]+=*");

      sendSms(1, "signed");
      Await.until(
          "queued, sent and delivered events",
          Duration.ofSeconds(20),
          () -> receiver.received().size() >= 3);
      assertThat(receiver.received())
          .extracting(TestReceiver.Received::type)
          .contains("message.queued", "message.sent", "message.delivered");

      Webhook reference = new Webhook(secret);
      for (TestReceiver.Received r : receiver.received()) {
        reference.verify(r.body(), headers(r));
        assertThat(r.headers().get("X-Webhook-Signature")).isEqualTo(hexHmac(secret, r.body()));
        assertThat(r.headers().get("User-Agent")).startsWith("Herald-Webhooks/");
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
        JsonObject body = new JsonObject(r.body());
        assertThat(body.fieldNames()).containsExactly("id", "type", "timestamp", "data");
        assertThat(body.getString("type")).isEqualTo(r.type());
        assertThat(r.body()).isEqualTo(body.encode()).doesNotContain(": ");
        assertThat(body.getJsonObject("data").getString("to")).isEqualTo("+14155560000");
      }

      // Answered on the first attempt: a history of that one attempt.
      String endpointId = created.getString("id");
      Await.until(
          "the recorded outcomes",
          Duration.ofSeconds(10),
          () ->
              client
                      .get("/api/v1/webhooks/" + endpointId + "/stats", admin)
                      .bodyAsJsonObject()
                      .getLong("succeeded")
                  >= 3);
      JsonArray deliveries =
          client
              .get("/api/v1/webhooks/" + endpointId + "/deliveries?success=true", admin)
              .bodyAsJsonObject()
              .getJsonArray("data");
      assertThat(deliveries).isNotEmpty();
      for (Object d : deliveries) {
        JsonObject delivery = (JsonObject) d;
        assertThat(delivery.getInteger("attempts")).isEqualTo(1);
        JsonArray history = delivery.getJsonArray("history");
        assertThat(history).hasSize(1);
        assertThat(history.getJsonObject(0).getInteger("attempt")).isEqualTo(1);
        assertThat(history.getJsonObject(0).getInteger("response_status"))
            .isEqualTo(delivery.getInteger("response_status"))
            .isBetween(200, 299);
      }

      TestReceiver.Received first = receiver.received().get(0);
      String tampered = first.body().replace("+14155560000", "+14155569999");
      assertThatThrownBy(() -> reference.verify(tampered, headers(first)))
          .isInstanceOf(WebhookVerificationException.class);
      assertThat(hexHmac(secret, tampered))
          .isNotEqualTo(first.headers().get("X-Webhook-Signature"));

      long stale = Instant.now().minusSeconds(600).getEpochSecond();
      Map<String, List<String>> replayed = headers(first);
      replayed.put("webhook-timestamp", List.of(Long.toString(stale)));
      replayed.put("webhook-signature", List.of(reference.sign(first.id(), stale, first.body())));
      assertThatThrownBy(() -> reference.verify(first.body(), replayed))
          .isInstanceOf(WebhookVerificationException.class);
    }
  }

  /**
   * Attempts made on the endpoint's deliveries, while all 20 are pending; -1 when they are not all
   * pending.
   */
  private static int pendingAttempts(String id) {
    JsonArray log = pendingDeliveries(id);
    return log.size() != 20
        ? -1
        : log.stream().mapToInt(d -> ((JsonObject) d).getInteger("attempts")).sum();
  }

  private static JsonArray pendingDeliveries(String id) {
    return client
        .get("/api/v1/webhooks/" + id + "/deliveries?status=pending", admin)
        .bodyAsJsonObject()
        .getJsonArray("data");
  }

  /** The endpoint's first delivery in its log (newest first) that {@code which} accepts. */
  private static JsonObject firstDelivery(String id, Predicate<JsonObject> which) {
    return client
        .get("/api/v1/webhooks/" + id + "/deliveries", admin)
        .bodyAsJsonObject()
        .getJsonArray("data")
        .stream()
        .map(JsonObject.class::cast)
        .filter(which)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aReceiverThatIsDownAtFirstGetsEveryEventExactlyOnceWhenItReturns() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      receiver.down();
      JsonObject created =
          createEndpoint(client, admin, endpoint(receiver, "webhook.test").put("retry_limit", 30));
      String id = created.getString("id");
      Set<String> events = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        events.add(test(id));
      }
      int opened =
          Await.until(
              "failed attempts that open the circuit",
              Duration.ofSeconds(20),
              () -> pendingAttempts(id),
              attempts -> attempts >= 5);
      // Every attempt so far failed. The latest attempt of each delivery is kept on the delivery
      // row (earlier ones in the history table), and the endpoint's last failure sees it.
      Instant latestAttempt =
          pendingDeliveries(id).stream()
              .map(JsonObject.class::cast)
              .map(d -> d.getString("last_attempt_at"))
              .filter(java.util.Objects::nonNull)
              .map(Instant::parse)
              .max(Instant::compareTo)
              .orElseThrow();
      String lastFailure =
          client
              .get("/api/v1/webhooks/" + id + "/stats", admin)
              .bodyAsJsonObject()
              .getString("last_failure_at");
      assertThat(lastFailure).as("last_failure_at").isNotNull();
      assertThat(Instant.parse(lastFailure)).isAfterOrEqualTo(latestAttempt);
      // stays down a while longer: trials fail, the circuit stays open
      Await.until(
          "two failed trials while the circuit is open",
          Duration.ofSeconds(20),
          () -> pendingAttempts(id),
          attempts -> attempts >= opened + 2);
      receiver.up();
      Await.until(
          "every event after the receiver returned",
          Duration.ofSeconds(30),
          () -> receiver.received().size() >= 20);
      Await.stillAfter(
          Duration.ofMillis(1500),
          "no duplicate deliveries",
          () -> receiver.received().size(),
          n -> n == 20);
      assertThat(receiver.countsById().values()).allMatch(n -> n == 1);
      assertThat(receiver.received())
          .extracting(r -> new JsonObject(r.body()).getString("id"))
          .containsExactlyInAnyOrderElementsOf(events);
      Await.until(
          "the recorded outcomes",
          Duration.ofSeconds(10),
          () ->
              client
                      .get("/api/v1/webhooks/" + id + "/stats", admin)
                      .bodyAsJsonObject()
                      .getLong("succeeded")
                  == 20);
      JsonObject stats = client.get("/api/v1/webhooks/" + id + "/stats", admin).bodyAsJsonObject();
      assertThat(stats.getLong("succeeded")).isEqualTo(20);
      assertThat(stats.getLong("attempts")).isGreaterThan(20);
      JsonObject one = firstDelivery(id, d -> d.getInteger("attempts") > 1);
      JsonArray history = one.getJsonArray("history");
      assertThat(history.size()).isEqualTo(one.getInteger("attempts"));
      for (int i = 0; i < history.size(); i++) {
        assertThat(history.getJsonObject(i).getInteger("attempt")).isEqualTo(i + 1);
      }
      assertThat(history.getJsonObject(0).getString("error")).isNotBlank();
      JsonObject last = history.getJsonObject(history.size() - 1);
      assertThat(last.getInteger("response_status")).isBetween(200, 299);
      assertThat(last.getString("attempted_at")).isNotNull();
    }
  }

  @Test
  void anEndpointThatNeverAnswersDoesNotSlowDeliveriesToTheOthers() throws Exception {
    try (TestReceiver hanging = TestReceiver.start(herald.vertx());
        TestReceiver healthy = TestReceiver.start(herald.vertx())) {
      hanging.hang();
      createEndpoint(client, admin, endpoint(hanging, "message.queued").put("timeout_seconds", 60));
      createEndpoint(client, admin, endpoint(healthy, "message.queued"));
      sendSms(100, "hang");
      // Had the hanging endpoint held shared connections or the event loop, the healthy one would
      // wait for its 60 s timeout: awaiting less than that is the check, whatever the machine's
      // load.
      Await.until(
          "all 100 events at the healthy endpoint while the other hangs",
          Duration.ofSeconds(45),
          () -> healthy.received(r -> r.type().equals("message.queued")).size() >= 100);
      assertThat(hanging.received()).as("one endpoint's slots only").hasSizeBetween(1, 32);
      assertThat(hanging.received().size()).isLessThan(healthy.received().size());
    }
  }

  @Test
  void anOrderedEndpointGetsEventsInOrderEvenWhenTheFirstAttemptsFail() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      receiver.answer(503);
      JsonObject created =
          createEndpoint(
              client,
              admin,
              endpoint(receiver, "webhook.test").put("ordered", true).put("retry_limit", 10));
      String id = created.getString("id");
      List<String> events = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        events.add(test(id));
      }
      Await.until(
          "the first event attempted and retried, failing",
          Duration.ofSeconds(10),
          () -> receiver.received().size() >= 2);
      receiver.answer(200);
      Await.until(
          "all eight events",
          Duration.ofSeconds(30),
          () ->
              receiver.received().stream().map(TestReceiver.Received::id).distinct().count() >= 8);
      List<String> firstSeen = new java.util.ArrayList<>();
      for (TestReceiver.Received r : receiver.received()) {
        String event = new JsonObject(r.body()).getString("id");
        if (!firstSeen.contains(event)) {
          firstSeen.add(event);
        }
      }
      assertThat(firstSeen).containsExactlyElementsOf(events.stream().sorted().toList());
      // Head-of-line: nothing after the first event was sent before the first succeeded.
      assertThat(receiver.received().subList(0, receiver.received().size() - 7))
          .allMatch(r -> new JsonObject(r.body()).getString("id").equals(firstSeen.get(0)));
    }
  }

  @Test
  void aRateLimitedEndpointIsNotSentMoreThanItsRate() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      JsonObject created =
          createEndpoint(
              client, admin, endpoint(receiver, "webhook.test").put("rate_limit_per_second", 5));
      for (int i = 0; i < 15; i++) {
        test(created.getString("id"));
      }
      Await.until("15 events", Duration.ofSeconds(15), () -> receiver.received().size() >= 15);
      List<TestReceiver.Received> got = receiver.received();
      long spreadMs = (got.get(14).arrivedNanos() - got.get(0).arrivedNanos()) / 1_000_000;
      assertThat(spreadMs).as("15 requests at 5/s take about 2 s or more").isGreaterThan(1700);
    }
  }

  @Test
  void after410GoneTheEndpointIsDisabledAndWebhookDisabledIsEmitted() throws Exception {
    try (TestReceiver gone = TestReceiver.start(herald.vertx());
        TestReceiver watcher = TestReceiver.start(herald.vertx())) {
      gone.answer(410);
      String id = createEndpoint(client, admin, endpoint(gone, "webhook.test")).getString("id");
      createEndpoint(client, admin, endpoint(watcher, "webhook.disabled"));
      test(id);
      Await.until("webhook.disabled", Duration.ofSeconds(15), () -> !watcher.received().isEmpty());
      JsonObject event = new JsonObject(watcher.received().get(0).body());
      assertThat(event.getString("type")).isEqualTo("webhook.disabled");
      assertThat(event.getJsonObject("data").getString("webhook_id")).isEqualTo(id);
      assertThat(event.getJsonObject("data").getString("reason")).isEqualTo("gone");
      JsonObject shown = client.get("/api/v1/webhooks/" + id, admin).bodyAsJsonObject();
      assertThat(shown.getBoolean("is_active")).isFalse();
      assertThat(shown.getString("disabled_reason")).isEqualTo("gone");
      assertThat(gone.received()).hasSize(1);
      Await.until(
          "the recorded 410",
          Duration.ofSeconds(10),
          () ->
              "failed"
                  .equals(
                      client
                          .get("/api/v1/webhooks/" + id, admin)
                          .bodyAsJsonObject()
                          .getJsonArray("recent_deliveries")
                          .getJsonObject(0)
                          .getString("status")));
    }
  }

  @Test
  void afterARotationBothTheOldAndTheNewSecretVerifyDuringTheOverlap() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      JsonObject created = createEndpoint(client, admin, endpoint(receiver, "webhook.test"));
      String id = created.getString("id");
      String old = created.getString("secret");
      HttpResponse<Buffer> rotated =
          client.post("/api/v1/webhooks/" + id + "/rotate-secret", admin, null);
      assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
      String fresh = rotated.bodyAsJsonObject().getString("secret");
      assertThat(fresh).isNotEqualTo(old).startsWith("whsec_");
      assertThat(rotated.bodyAsJsonObject().getString("previous_secret_expires_at")).isNotNull();
      test(id);
      Await.until("the test event", Duration.ofSeconds(10), () -> !receiver.received().isEmpty());
      TestReceiver.Received r = receiver.received().get(0);
      assertThat(r.headers().get("webhook-signature").split(" ")).hasSize(2);
      new Webhook(fresh).verify(r.body(), headers(r));
      new Webhook(old).verify(r.body(), headers(r));
      assertThat(r.headers().get("X-Webhook-Signature")).isEqualTo(hexHmac(fresh, r.body()));
      assertThatThrownBy(() -> new Webhook(Signatures.newSecret()).verify(r.body(), headers(r)))
          .isInstanceOf(WebhookVerificationException.class);
    }
  }
}
