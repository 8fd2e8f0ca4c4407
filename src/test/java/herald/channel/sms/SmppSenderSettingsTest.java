package herald.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An SMPP sender's settings are held to SMPP 3.4's field limits (422 otherwise, rather than a
 * sender that never binds), and its {@code service_type} and {@code priority_flag} are what each
 * submit_sm carries, as the simulator SMSC sees on the wire.
 */
class SmppSenderSettingsTest {
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

  private static JsonObject sender(String name, JsonObject settings) {
    return new JsonObject()
        .put("name", name)
        .put("provider", "smpp")
        .put("rate_per_second", 50)
        .put(
            "settings",
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", smsc.port())
                .put("system_id", "herald")
                .put("password", "herald")
                .put("source_addr", "12345")
                .mergeIn(settings));
  }

  private static Map<String, String> fieldErrors(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
    return response.bodyAsJsonObject().getJsonArray("errors").stream()
        .map(JsonObject.class::cast)
        .collect(
            java.util.stream.Collectors.toMap(
                e -> e.getString("field"), e -> e.getString("detail", e.getString("message", ""))));
  }

  @Test
  void aSenderWithASixteenCharacterSystemIdIsRefusedWith422() {
    HttpResponse<Buffer> response =
        client.post(
            "/api/v1/senders",
            admin,
            sender("long id", new JsonObject().put("system_id", "abcdefghijklmnop")));
    assertThat(fieldErrors(response)).containsOnlyKeys("settings.system_id");
    assertThat(response.bodyAsString()).contains("15");
  }

  @Test
  void everySmppFieldBeyondItsSmpp34LimitOrOutsidePrintableAsciiIsA422FieldError() {
    Map<String, String> errors =
        fieldErrors(
            client.post(
                "/api/v1/senders",
                admin,
                sender(
                    "too long",
                    new JsonObject()
                        .put("password", "ninechars")
                        .put("system_type", "thirteenchars")
                        .put("service_type", "SIXCHR")
                        .put("priority_flag", 4))));
    assertThat(errors)
        .containsOnlyKeys(
            "settings.password",
            "settings.system_type",
            "settings.service_type",
            "settings.priority_flag");
    assertThat(
            fieldErrors(
                    client.post(
                        "/api/v1/senders",
                        admin,
                        sender(
                            "not ascii",
                            new JsonObject()
                                .put("system_id", "hérald")
                                .put("password", "pa\u0001ss")
                                .put("service_type", "C\tT"))))
                .keySet())
        .containsExactlyInAnyOrder(
            "settings.system_id", "settings.password", "settings.service_type");
  }

  @Test
  void theLongestValuesSmpp34AllowsAreAcceptedAndAPatchBeyondThemIs422() {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/senders",
            admin,
            sender(
                "at the limits",
                new JsonObject()
                    .put("system_id", "abcdefghijklmno")
                    .put("password", "eightchr")
                    .put("system_type", "twelve_chars")
                    .put("service_type", "FIVE5")
                    .put("priority_flag", 3)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    try {
      assertThat(
              fieldErrors(
                  client.patch(
                      "/api/v1/senders/" + id,
                      admin,
                      new JsonObject()
                          .put("settings", new JsonObject().put("system_id", "abcdefghijklmnop")))))
          .containsOnlyKeys("settings.system_id");
    } finally {
      client.delete("/api/v1/senders/" + id, admin);
    }
  }

  @Test
  void serviceTypeGoesOnTheWireAsServiceTypeWhileSystemTypeOnlyGoesInTheBind() throws Exception {
    String withServiceType =
        createBound(
            "cmt",
            new JsonObject()
                .put("system_type", "SYSTYPE1")
                .put("service_type", "CMT")
                .put("priority_flag", 2));
    String withoutServiceType =
        createBound("plain", new JsonObject().put("system_type", "SYSTYPE1"));

    SmscSimulator.Submitted cmt = sendThrough(withServiceType, "+14155550171");
    assertThat(cmt.serviceType()).isEqualTo("CMT");
    assertThat(cmt.priorityFlag()).isEqualTo((byte) 2);

    SmscSimulator.Submitted plain = sendThrough(withoutServiceType, "+14155550172");
    assertThat(plain.serviceType()).isEmpty();
    assertThat(plain.priorityFlag()).isZero();
  }

  @Test
  void priorityFlagIsZeroOnTheWireUnlessConfigured() throws Exception {
    HttpResponse<Buffer> created =
        client.post("/api/v1/senders", admin, sender("default priority", new JsonObject()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getJsonObject("settings").getInteger("priority_flag"))
        .isZero();
    assertThat(created.bodyAsJsonObject().getJsonObject("settings").containsKey("service_type"))
        .isFalse();
    String id = created.bodyAsJsonObject().getString("id");
    awaitBound(id);
    assertThat(sendThrough(id, "+14155550173").priorityFlag()).isZero();
    // The simulator's own default sender, wired at start-up, too.
    assertThat(sendThrough(null, "+14155550174").priorityFlag()).isZero();
  }

  private static String createBound(String name, JsonObject settings) throws Exception {
    HttpResponse<Buffer> created = client.post("/api/v1/senders", admin, sender(name, settings));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    awaitBound(id);
    return id;
  }

  private static void awaitBound(String id) {
    Await.until(
        "sender " + id + " to bind",
        Duration.ofSeconds(15),
        () -> client.get("/api/v1/senders/" + id + "/status", admin).bodyAsJsonObject(),
        status -> "bound".equals(status.getString("connection")));
  }

  /** Sends one message (through the default sender when {@code senderId} is null). */
  private static SmscSimulator.Submitted sendThrough(String senderId, String to) {
    JsonObject body = new JsonObject().put("to", to).put("body", "hello");
    if (senderId != null) {
      body.put("sender_id", senderId);
    }
    HttpResponse<Buffer> accepted = client.post("/api/v1/messages", admin, body);
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    String destination = to.substring(1);
    return Await.until(
            "a submit_sm to " + destination + " reaching the SMSC",
            Duration.ofSeconds(15),
            () ->
                smsc.submitted().stream()
                    .filter(s -> s.destination().equals(destination))
                    .findFirst(),
            Optional::isPresent)
        .get();
  }
}
