package herald.sim.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Validates the simulator against the official WhatsApp Business Messaging OpenAPI document (v23)
 * with an independent validator: every request and answer of these tests goes through Stoplight
 * Prism in proxy mode, which refuses requests the document does not allow and reports answers it
 * does not describe; the webhooks the simulator sends are checked against the document's {@code
 * POST /whatsapp/webhooks} body the same way.
 *
 * <p>The document defines only the 200 answer of each operation, so Prism flags every Graph error
 * answer with a warning ("Unable to match the returned status code"); warnings are allowed, errors
 * are not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhatsAppSpecConformanceTest {
  static final String USER = "16505551234";

  private Vertx vertx;
  private WebhookSink sink;
  private WhatsAppSimulator sim;
  private Prism prism;
  private CloudApi viaPrism;
  private CloudApi direct;
  private WebClient relay;
  private String phone;

  @BeforeAll
  void start() throws Exception {
    Prism.requireInstalled();
    vertx = Vertx.vertx();
    sink = WebhookSink.start(vertx);
    Duration step = Duration.ofMillis(20);
    sim =
        WhatsAppSimulator.start(
                vertx,
                WhatsAppSimConfig.defaults().toBuilder()
                    .webhookUrl(sink.url())
                    .statusDelays(step, step, step)
                    .build())
            .await();
    prism = Prism.proxy(sim.baseUrl());
    viaPrism = new CloudApi(vertx, prism.baseUrl(), sim.config().accessToken());
    direct = new CloudApi(vertx, sim.baseUrl(), sim.config().accessToken());
    relay = WebClient.create(vertx);
    phone = sim.config().phoneNumbers().get(0).id();
  }

  @AfterAll
  void stop() {
    if (prism != null) {
      prism.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** Fails when Prism refused the request or found an error in the answer. */
  private void assertConforms(HttpResponse<Buffer> response) {
    List<JsonObject> violations = violations(response);
    assertThat(violations)
        .as("violations of %s: %s", response.statusCode(), response.bodyAsString())
        .allSatisfy(v -> assertThat(v.getString("severity")).isEqualTo("Warning"));
    assertThat(isPrismProblem(response))
        .as("Prism answered instead of the simulator: %s", response.bodyAsString())
        .isFalse();
  }

  private static List<JsonObject> violations(HttpResponse<Buffer> response) {
    String header = response.getHeader("sl-violations");
    List<JsonObject> list = new ArrayList<>();
    if (header != null) {
      new JsonArray(header).forEach(v -> list.add((JsonObject) v));
    }
    return list;
  }

  private static boolean isPrismProblem(HttpResponse<Buffer> response) {
    String type = response.getHeader("Content-Type");
    return type != null
        && type.startsWith("application/problem+json")
        && response.bodyAsString().contains("stoplight.io/prism");
  }

  private String accepted(HttpResponse<Buffer> response) {
    assertConforms(response);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("messages").getJsonObject(0).getString("id");
  }

  private String upload(String mime, String name, Buffer content) {
    HttpResponse<Buffer> response = viaPrism.upload(phone, mime, name, content);
    assertConforms(response);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("id");
  }

  /** Posts a webhook body the simulator sent to the document's webhook operation, via Prism. */
  private void assertWebhookConforms(WebhookSink.Received webhook) {
    HttpResponse<Buffer> response =
        relay
            .postAbs(prism.baseUrl() + "/whatsapp/webhooks")
            .putHeader("Authorization", "Bearer relay")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(webhook.body())
            .await();
    assertThat(response.statusCode())
        .as("Prism refused the webhook %s: %s", webhook.body(), response.bodyAsString())
        .isNotEqualTo(422);
    assertConforms(response);
  }

  @Test
  void sendsEveryMessageTypeThroughTheValidatorWithoutViolations() throws InterruptedException {
    direct.control(
        "/_sim/inbound",
        new JsonObject()
            .put("from", USER)
            .put("type", "text")
            .put("text", new JsonObject().put("body", "hi")));
    sink.await(r -> r.message() != null);
    String image =
        direct
            .upload(phone, "image/jpeg", "photo.jpg", WhatsAppMediaTest.JPEG)
            .bodyAsJsonObject()
            .getString("id");
    List<JsonObject> messages =
        List.of(
            Messages.text(USER, "plain"),
            Messages.mediaById(USER, "image", image),
            Messages.imageByLink(USER, "https://example.com/a.jpg", "A caption"),
            Messages.envelope(
                USER,
                "document",
                new JsonObject()
                    .put("link", "https://example.com/terms.pdf")
                    .put("caption", "Terms")),
            Messages.envelope(
                USER, "audio", new JsonObject().put("link", "https://example.com/a.ogg")),
            Messages.envelope(
                USER, "video", new JsonObject().put("link", "https://example.com/v.mp4")),
            Messages.envelope(
                USER, "sticker", new JsonObject().put("link", "https://example.com/s.webp")),
            Messages.location(USER),
            Messages.contacts(USER),
            Messages.reaction(
                USER, "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="),
            Messages.buttons(USER, 3),
            Messages.list(USER, 10),
            Messages.template(USER, "order_update", "en_US", 2),
            Messages.template(USER, "hello_world", "en_US", 0));

    for (JsonObject message : messages) {
      accepted(viaPrism.send(phone, message));
    }
  }

  /**
   * Prism forwards a multipart body re-encoded as text, which garbles binary files (their bytes
   * would no longer match their type), so the upload through it is a PDF of ASCII bytes only.
   */
  @Test
  void uploadsDescribesListsAndDeletesMediaAndTemplatesWithoutViolations() {
    String id = upload("application/pdf", "terms.pdf", Buffer.buffer("%PDF-1.4\n%%EOF\n"));

    HttpResponse<Buffer> described = viaPrism.get("/v23.0/" + id + "?phone_number_id=" + phone);
    HttpResponse<Buffer> templates =
        viaPrism.get("/v23.0/" + sim.config().wabaId() + "/message_templates?name=order_update");
    HttpResponse<Buffer> deleted = viaPrism.delete("/v23.0/" + id + "?phone_number_id=" + phone);

    for (HttpResponse<Buffer> response : List.of(described, templates, deleted)) {
      assertConforms(response);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    }
    assertThat(described.bodyAsJsonObject().getString("mime_type")).isEqualTo("application/pdf");
    assertThat(templates.bodyAsJsonObject().getJsonArray("data")).hasSize(1);
    assertThat(deleted.bodyAsJsonObject().getBoolean("success")).isTrue();
  }

  @Test
  void graphErrorAnswersPassTheValidatorWithOnlyTheUndocumentedStatusWarning() {
    List<HttpResponse<Buffer>> errors =
        List.of(
            viaPrism.send(phone, Messages.template(USER, "no_such_template", "en_US", 0)),
            viaPrism.send(phone, Messages.template(USER, "order_update", "en_US", 1)),
            viaPrism.send(phone, Messages.mediaById(USER, "image", "1234567890123456")),
            viaPrism.send("999999999999999", Messages.text(USER, "Hi")),
            viaPrism.get("/v23.0/1234567890123456"));

    for (HttpResponse<Buffer> response : errors) {
      assertConforms(response);
      assertThat(response.statusCode()).isBetween(400, 499);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isNotNull();
    }
  }

  @Test
  void theValidatorAndTheSimulatorBothRefuseRequestsTheDocumentForbids() {
    JsonObject noRecipientType = Messages.text(USER, "Hi");
    noRecipientType.remove("recipient_type");
    JsonObject noPolicy = Messages.template(USER, "hello_world", "en_US", 0);
    noPolicy.getJsonObject("template").getJsonObject("language").remove("policy");
    JsonObject extraField = Messages.text(USER, "Hi");
    extraField.getJsonObject("text").put("bogus", true);

    for (JsonObject message : List.of(noRecipientType, noPolicy, extraField)) {
      HttpResponse<Buffer> refusedByPrism = viaPrism.send(phone, message);
      HttpResponse<Buffer> refusedBySim = direct.send(phone, message);
      assertThat(refusedByPrism.statusCode()).as(message.encode()).isEqualTo(422);
      assertThat(isPrismProblem(refusedByPrism)).isTrue();
      assertThat(refusedBySim.statusCode()).as(message.encode()).isEqualTo(400);
    }
  }

  @Test
  void webhooksMatchTheDocumentsWebhookPayload() throws InterruptedException {
    String template =
        accepted(direct.send(phone, Messages.template("16505550001", "hello_world", "en_US", 0)));
    String outsideWindow = accepted(direct.send(phone, Messages.text("16505550002", "Hi")));
    List<WebhookSink.Received> webhooks = new ArrayList<>();
    webhooks.add(sink.awaitStatus(template, "sent"));
    webhooks.add(sink.awaitStatus(template, "delivered"));
    webhooks.add(sink.awaitStatus(template, "read"));
    webhooks.add(sink.awaitStatus(outsideWindow, "failed"));
    direct.control(
        "/_sim/inbound",
        new JsonObject()
            .put("from", "16505550003")
            .put("type", "text")
            .put("text", new JsonObject().put("body", "hello")));
    webhooks.add(
        sink.await(r -> r.message() != null && r.message().getString("type").equals("text")));
    direct.control(
        "/_sim/inbound",
        new JsonObject()
            .put("from", "16505550003")
            .put("type", "image")
            .put("image", new JsonObject().put("caption", "look")));
    webhooks.add(
        sink.await(r -> r.message() != null && r.message().getString("type").equals("image")));

    for (String type : List.of("document", "audio", "video", "sticker")) {
      direct.control(
          "/_sim/inbound",
          new JsonObject()
              .put("from", "16505550003")
              .put("type", type)
              .put(type, new JsonObject()));
      webhooks.add(
          sink.await(r -> r.message() != null && r.message().getString("type").equals(type)));
    }
    direct.control(
        "/_sim/inbound",
        new JsonObject()
            .put("from", "16505550003")
            .put("type", "reaction")
            .put(
                "reaction",
                new JsonObject().put("message_id", template).put("emoji", "\uD83D\uDC4D")));
    webhooks.add(
        sink.await(r -> r.message() != null && r.message().getString("type").equals("reaction")));

    for (WebhookSink.Received webhook : webhooks) {
      assertWebhookConforms(webhook);
    }
  }
}
