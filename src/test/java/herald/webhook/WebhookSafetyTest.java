package herald.webhook;

import static herald.webhook.WebhookDeliveryTest.createEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the default {@code webhooks.allow_private_targets: false}, endpoints on loopback, private,
 * link-local, CGNAT or cloud-metadata addresses are refused when saved, and again when a delivery
 * is made (a name can start resolving elsewhere after it was saved).
 */
class WebhookSafetyTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject().put("webhooks", new JsonObject().put("allow_private_targets", false)));
    client = herald.client();
    admin = client.loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject body(String url) {
    return new JsonObject()
        .put("name", "target")
        .put("url", url)
        .put("events", new JsonArray().add("webhook.test"));
  }

  @Test
  void privateLoopbackLinkLocalAndMetadataTargetsAreRefusedOnCreateAndUpdate() {
    for (String url :
        List.of(
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://10.1.2.3/hook",
            "http://172.16.0.5/hook",
            "http://192.168.1.10/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/hook",
            "http://0.0.0.0/hook",
            "http://[::1]/hook",
            "http://[fd00::1]/hook",
            "http://[fe80::1]/hook",
            "http://[::ffff:10.0.0.1]/hook")) {
      HttpResponse<Buffer> refused = client.post("/api/v1/webhooks", admin, body(url));
      assertThat(refused.statusCode()).as(url).isEqualTo(422);
      assertThat(
              refused.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code"))
          .as(url)
          .isEqualTo("forbidden_target");
    }
    HttpResponse<Buffer> scheme =
        client.post("/api/v1/webhooks", admin, body("file:///etc/passwd"));
    assertThat(scheme.statusCode()).isEqualTo(422);
    assertThat(scheme.bodyAsString()).contains("invalid_url");

    String id = createEndpoint(client, admin, body("http://203.0.113.10/hook")).getString("id");
    HttpResponse<Buffer> moved =
        client.send(
            HttpMethod.PUT,
            "/api/v1/webhooks/" + id,
            admin,
            new JsonObject().put("url", "http://169.254.169.254/"));
    assertThat(moved.statusCode()).isEqualTo(422);
  }

  @Test
  void aTargetThatBecamePrivateAfterItWasSavedIsRefusedAtDeliveryTime() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      // Created inactive, so no dispatcher holds it with the old URL when the row changes.
      String id =
          createEndpoint(
                  client,
                  admin,
                  body("http://203.0.113.20/hook").put("retry_limit", 0).put("is_active", false))
              .getString("id");
      // As if the name now resolved to loopback: the row changes behind the API's back.
      herald
          .herald()
          .platform()
          .pool()
          .preparedQuery("UPDATE webhook_endpoints SET url = $1 WHERE id = $2::uuid")
          .execute(Tuple.of(receiver.url(), id))
          .await();
      assertThat(
              client
                  .post("/api/v1/webhooks/" + id + "/toggle", admin, null)
                  .bodyAsJsonObject()
                  .getBoolean("is_active"))
          .isTrue();
      assertThat(client.post("/api/v1/webhooks/" + id + "/test", admin, null).statusCode())
          .isEqualTo(202);
      Await.until(
          "the refused attempt",
          Duration.ofSeconds(10),
          () ->
              client
                      .get("/api/v1/webhooks/" + id + "/deliveries?status=failed", admin)
                      .bodyAsJsonObject()
                      .getJsonArray("data")
                      .size()
                  == 1);
      JsonObject delivery =
          client
              .get("/api/v1/webhooks/" + id + "/deliveries", admin)
              .bodyAsJsonObject()
              .getJsonArray("data")
              .getJsonObject(0);
      assertThat(delivery.getString("error"))
          .as(delivery.encode())
          .startsWith("refused:")
          .contains("127.0.0.1");
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void theAddressClassifierKnowsTheReservedRanges() throws Exception {
    for (String bad :
        List.of(
            "127.0.0.1",
            "10.0.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:192.168.1.1")) {
      assertThat(Targets.forbidden(InetAddress.getByName(bad))).as(bad).isTrue();
    }
    for (String good : List.of("8.8.8.8", "203.0.113.10", "100.63.255.255", "2606:4700::1111")) {
      assertThat(Targets.forbidden(InetAddress.getByName(good))).as(good).isFalse();
    }
  }
}
