package herald.sim.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.whatsapp.WhatsAppSimConfig.WindowErrors;
import herald.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives the WhatsApp Cloud API simulator over real HTTP with a plain WebClient. */
@ExtendWith(VertxExtension.class)
class WhatsAppSimulatorTest {
  static final String USER = "16505551234";
  static final Duration STEP = Duration.ofMillis(20);

  private Vertx vertx;
  private WebhookSink sink;
  private WhatsAppSimulator sim;
  private CloudApi api;
  private String phone;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.sink = WebhookSink.start(vertx);
    restart(b -> b);
  }

  @AfterEach
  void stop() {
    api.close();
    sim.close().await();
  }

  /** Replaces the simulator with one configured from the defaults plus {@code change}. */
  private void restart(UnaryOperator<WhatsAppSimConfig.Builder> change) {
    if (sim != null) {
      api.close();
      sim.close().await();
    }
    WhatsAppSimConfig config =
        change
            .apply(
                WhatsAppSimConfig.defaults().toBuilder()
                    .webhookUrl(sink.url())
                    .statusDelays(STEP, STEP, STEP)
                    .webhookRetries(2, STEP))
            .build();
    sim = WhatsAppSimulator.start(vertx, config).await();
    api = new CloudApi(vertx, sim.baseUrl(), config.accessToken());
    phone = config.phoneNumbers().get(0).id();
  }

  private String secret() {
    return sim.config().appSecret();
  }

  /** A message from {@code user}: opens the window; its webhook is consumed. */
  private void inboundFrom(String user) throws InterruptedException {
    HttpResponse<Buffer> response =
        api.control(
            "/_sim/inbound",
            new JsonObject()
                .put("from", user)
                .put("type", "text")
                .put("text", new JsonObject().put("body", "hello")));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    sink.await(r -> r.message() != null && user.equals(r.message().getString("from")));
  }

  private String accepted(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("messages").getJsonObject(0).getString("id");
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  private static void assertGraphError(HttpResponse<Buffer> response, int status, int code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject error = error(response);
    assertThat(error.getInteger("code")).as(response.bodyAsString()).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("type")).isNotBlank();
    assertThat(error.getString("fbtrace_id")).isNotBlank();
  }

  private String uploadJpeg() {
    return upload("image/jpeg", "photo.jpg");
  }

  /** Uploads a small file of {@code mime} whose leading bytes are that format's signature. */
  private String upload(String mime, String filename) {
    Buffer content =
        switch (mime) {
          case "image/jpeg" -> WhatsAppMediaTest.JPEG;
          case "application/pdf" -> Buffer.buffer("%PDF-1.7\n%%EOF\n");
          case "audio/ogg" -> Buffer.buffer("OggS\0\u0002 opus test", "ISO-8859-1");
          case "image/webp" -> Buffer.buffer("RIFF\u0010\0\0\0WEBPVP8 test", "ISO-8859-1");
          default -> throw new IllegalArgumentException(mime);
        };
    HttpResponse<Buffer> response = api.upload(phone, mime, filename, content);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("id");
  }

  @Test
  void answersATextSendAsTheCloudApiAndReportsSentDeliveredReadInSignedWebhooks()
      throws InterruptedException {
    inboundFrom(USER);

    HttpResponse<Buffer> response = api.send(phone, Messages.text("+1 650-555-1234", "Hi!"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("messaging_product")).isEqualTo("whatsapp");
    assertThat(body.getJsonArray("contacts").getJsonObject(0))
        .isEqualTo(new JsonObject().put("input", "+1 650-555-1234").put("wa_id", USER));
    String id = accepted(response);
    assertThat(id).startsWith("wamid.");

    WebhookSink.Received sent = sink.next();
    WebhookSink.Received delivered = sink.next();
    WebhookSink.Received read = sink.next();
    for (WebhookSink.Received webhook : List.of(sent, delivered, read)) {
      assertThat(webhook.signedWith(secret())).as(webhook.signature()).isTrue();
      assertThat(webhook.signedWith("another-secret")).isFalse();
      assertThat(webhook.headers().get("Content-Type")).startsWith("application/json");
      JsonObject json = webhook.json();
      assertThat(json.getString("object")).isEqualTo("whatsapp_business_account");
      JsonObject entry = json.getJsonArray("entry").getJsonObject(0);
      assertThat(entry.getString("id")).isEqualTo(sim.config().wabaId());
      assertThat(entry.getJsonArray("changes").getJsonObject(0).getString("field"))
          .isEqualTo("messages");
      assertThat(webhook.value().getJsonObject("metadata"))
          .isEqualTo(
              new JsonObject()
                  .put("display_phone_number", "15550783881")
                  .put("phone_number_id", phone));
      assertThat(webhook.status().getString("id")).isEqualTo(id);
      assertThat(webhook.status().getString("recipient_id")).isEqualTo(USER);
      assertThat(webhook.status().getString("timestamp")).matches("^[0-9]{10}$");
    }
    assertThat(List.of(sent, delivered, read))
        .extracting(r -> r.status().getString("status"))
        .containsExactly("sent", "delivered", "read");
    JsonObject sentStatus = sent.status();
    assertThat(sentStatus.getJsonObject("pricing"))
        .isEqualTo(
            new JsonObject()
                .put("billable", false)
                .put("pricing_model", "PMP")
                .put("category", "service"));
    assertThat(sentStatus.getJsonObject("conversation").getJsonObject("origin").getString("type"))
        .isEqualTo("service");
    assertThat(sentStatus.getJsonObject("conversation").getString("expiration_timestamp"))
        .matches("^[0-9]{10}$");
    assertThat(delivered.status().getJsonObject("conversation").getString("id"))
        .isEqualTo(sentStatus.getJsonObject("conversation").getString("id"));
    assertThat(read.status().containsKey("pricing")).isFalse();
    assertThat(sim.messages()).extracting(m -> m.getString("status")).containsExactly("read");
  }

  @Test
  void acceptsEveryMessageTypeAndReportsEachSent() throws InterruptedException {
    inboundFrom(USER);
    String image = uploadJpeg();
    String pdf = upload("application/pdf", "terms.pdf");
    String audio = upload("audio/ogg", "note.ogg");
    String sticker = upload("image/webp", "sticker.webp");
    List<JsonObject> messages =
        List.of(
            Messages.text(USER, "plain"),
            Messages.mediaById(USER, "image", image),
            Messages.imageByLink(USER, "https://example.com/a.jpg", "A caption"),
            Messages.document(USER, pdf, "terms.pdf", "Our terms"),
            Messages.mediaById(USER, "audio", audio),
            Messages.envelope(
                USER, "video", new JsonObject().put("link", "https://example.com/v.mp4")),
            Messages.mediaById(USER, "sticker", sticker),
            Messages.location(USER),
            Messages.contacts(USER),
            Messages.reaction(
                USER, "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="),
            Messages.buttons(USER, 3),
            Messages.list(USER, 10),
            Messages.template(USER, "order_update", "en_US", 2),
            Messages.template(USER, "hello_world", "en_US", 0));

    List<String> ids = new ArrayList<>();
    for (JsonObject message : messages) {
      ids.add(accepted(api.send(phone, message)));
    }

    for (String id : ids) {
      WebhookSink.Received sent = sink.awaitStatus(id, "sent");
      assertThat(sent.signedWith(secret())).isTrue();
    }
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void pricesATemplateInItsCategoryAndMarksItAccepted() throws InterruptedException {
    HttpResponse<Buffer> response =
        api.send(phone, Messages.template(USER, "order_update", "en_US", 2));

    String id = accepted(response);
    assertThat(
            response
                .bodyAsJsonObject()
                .getJsonArray("messages")
                .getJsonObject(0)
                .getString("message_status"))
        .isEqualTo("accepted");
    JsonObject sent = sink.awaitStatus(id, "sent").status();
    assertThat(sent.getJsonObject("pricing"))
        .isEqualTo(
            new JsonObject()
                .put("billable", true)
                .put("pricing_model", "PMP")
                .put("category", "utility"));
  }

  @Test
  void refusesAMissingOrWrongAccessTokenWith401AndCode190() {
    JsonObject text = Messages.text(USER, "Hi");
    MultiMap noToken = MultiMap.caseInsensitiveMultiMap().add("User-Agent", CloudApi.USER_AGENT);
    MultiMap wrongToken =
        MultiMap.caseInsensitiveMultiMap()
            .add("User-Agent", CloudApi.USER_AGENT)
            .add("Authorization", "Bearer EAAnotTheToken");

    for (MultiMap headers : List.of(noToken, wrongToken)) {
      HttpResponse<Buffer> response = api.sendWith(phone, headers, text);
      assertGraphError(response, 401, 190);
      assertThat(error(response).getString("type")).isEqualTo("OAuthException");
    }
    assertThat(sim.messages()).isEmpty();
  }

  @Test
  void refusesAUserAgentOutsideTheSpecsPattern() {
    JsonObject text = Messages.text(USER, "Hi");
    String token = "Bearer " + sim.config().accessToken();
    for (String agent : List.of("Vert.x-WebClient/5.0.8", "curl", "")) {
      MultiMap headers =
          MultiMap.caseInsensitiveMultiMap().add("Authorization", token).add("User-Agent", agent);
      HttpResponse<Buffer> response = api.sendWith(phone, headers, text);
      assertGraphError(response, 400, 100);
      assertThat(error(response).getJsonObject("error_data").getString("details"))
          .contains("User-Agent");
    }
    MultiMap none = MultiMap.caseInsensitiveMultiMap().add("Authorization", token);
    assertGraphError(api.sendWith(phone, none, text), 400, 100);
  }

  @Test
  void refusesAMissingEnvelopeParameterWithCode100() {
    for (String missing : List.of("messaging_product", "recipient_type", "to", "type")) {
      JsonObject message = Messages.text(USER, "Hi");
      message.remove(missing);
      HttpResponse<Buffer> response = api.send(phone, message);
      assertGraphError(response, 400, 100);
      assertThat(error(response).getString("message"))
          .isEqualTo("(#100) The parameter " + missing + " is required.");
    }
    assertGraphError(
        api.send(phone, Messages.text(USER, "Hi").put("messaging_product", "sms")), 400, 100);
    assertGraphError(
        api.send(phone, Messages.text(USER, "Hi").put("recipient_type", "broadcast")), 400, 100);
    assertGraphError(api.send(phone, Messages.text("not-a-number", "Hi")), 400, 100);
    assertThat(sim.messages()).isEmpty();
  }

  @Test
  void refusesAnUnknownPhoneNumberIdAsAnUnknownGraphObject() {
    HttpResponse<Buffer> response = api.send("999999999999999", Messages.text(USER, "Hi"));

    assertGraphError(response, 400, 100);
    assertThat(error(response).getInteger("error_subcode")).isEqualTo(33);
    assertThat(error(response).getString("message")).contains("'999999999999999' does not exist");
  }

  @Test
  void refusesInvalidMessageObjectsWithTheirErrorData() {
    inboundFrom_unchecked();
    record Case(JsonObject message, int code) {}
    String audio = upload("audio/ogg", "note.ogg");
    List<Case> cases =
        List.of(
            new Case(Messages.envelope(USER, "text", new JsonObject()), 131008),
            new Case(Messages.text(USER, "x".repeat(4097)), 131009),
            new Case(Messages.text(USER, "Hi").put("image", new JsonObject()), 131009),
            new Case(
                Messages.envelope(
                    USER, "text", new JsonObject().put("body", "x").put("preview_url", "yes")),
                131009),
            new Case(Messages.envelope(USER, "order", new JsonObject()), 131009),
            new Case(
                Messages.envelope(
                    USER, "audio", new JsonObject().put("id", audio).put("caption", "no")),
                131009),
            new Case(Messages.envelope(USER, "image", new JsonObject()), 131009),
            new Case(
                Messages.envelope(USER, "image", new JsonObject().put("link", "ftp://x/y.jpg")),
                131009),
            new Case(
                Messages.envelope(
                    USER, "location", new JsonObject().put("latitude", 91).put("longitude", 0)),
                131009),
            new Case(Messages.envelope(USER, "contacts", new JsonArray()), 131009),
            new Case(Messages.buttons(USER, 4), 131009),
            new Case(Messages.list(USER, 11), 131009),
            new Case(
                Messages.envelope(
                    USER,
                    "interactive",
                    Messages.buttons(USER, 1)
                        .getJsonObject("interactive")
                        .put("body", new JsonObject().put("text", "x".repeat(1025)))),
                131009));

    for (Case c : cases) {
      HttpResponse<Buffer> response = api.send(phone, c.message());
      assertGraphError(response, 400, c.code());
      JsonObject data = error(response).getJsonObject("error_data");
      assertThat(data.getString("messaging_product")).isEqualTo("whatsapp");
      assertThat(data.getString("details")).as(c.message().encode()).isNotBlank();
    }
    assertThat(sim.messages()).isEmpty();
  }

  private void inboundFrom_unchecked() {
    try {
      inboundFrom(USER);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void refusesAMediaIdThatWasNeverUploadedOrIsOfAnotherKind() {
    inboundFrom_unchecked();
    String image = uploadJpeg();

    HttpResponse<Buffer> unknown =
        api.send(phone, Messages.mediaById(USER, "image", "1234567890123456"));
    HttpResponse<Buffer> wrongKind = api.send(phone, Messages.mediaById(USER, "video", image));

    assertGraphError(unknown, 400, 100);
    assertThat(error(unknown).getJsonObject("error_data").getString("details"))
        .contains("not a valid whatsapp business account media attachment ID");
    assertGraphError(wrongKind, 400, 100);
    accepted(api.send(phone, Messages.mediaById(USER, "image", image)));
  }

  @Test
  void refusesAnUnknownTemplateWith132001() {
    HttpResponse<Buffer> unknown =
        api.send(phone, Messages.template(USER, "no_such_template", "en_US", 0));
    HttpResponse<Buffer> otherLanguage =
        api.send(phone, Messages.template(USER, "hello_world", "de", 0));

    assertGraphError(unknown, 404, 132001);
    assertThat(error(unknown).getJsonObject("error_data").getString("details"))
        .isEqualTo("template name (no_such_template) does not exist in en_US");
    assertGraphError(otherLanguage, 404, 132001);
  }

  @Test
  void refusesTemplatesThatAreNotApprovedOrLackTheLanguagePolicy() {
    restart(
        b ->
            b.templates(
                List.of(
                    new TemplateDefinition("on_hold", "en_US", "MARKETING", "PAUSED", 0, 0, 0),
                    new TemplateDefinition("in_review", "en_US", "UTILITY", "PENDING", 0, 0, 0),
                    TemplateDefinition.approved("hello_world", "en_US", "UTILITY", 0))));
    JsonObject noPolicy = Messages.template(USER, "hello_world", "en_US", 0);
    noPolicy.getJsonObject("template").getJsonObject("language").remove("policy");

    assertGraphError(api.send(phone, Messages.template(USER, "on_hold", "en_US", 0)), 400, 132015);
    assertGraphError(
        api.send(phone, Messages.template(USER, "in_review", "en_US", 0)), 404, 132001);
    assertGraphError(api.send(phone, noPolicy), 400, 131008);
  }

  @Test
  void refusesATemplateWhoseParameterCountDiffersWith132000() {
    HttpResponse<Buffer> tooFew =
        api.send(phone, Messages.template(USER, "order_update", "en_US", 1));
    HttpResponse<Buffer> tooMany =
        api.send(phone, Messages.template(USER, "hello_world", "en_US", 1));
    HttpResponse<Buffer> noHeader =
        api.send(phone, Messages.template(USER, "seasonal_offer", "en_US", 1));

    assertGraphError(tooFew, 400, 132000);
    assertThat(error(tooFew).getJsonObject("error_data").getString("details"))
        .isEqualTo(
            "body: number of localizable_params (1) does not match the expected number of params (2)");
    assertGraphError(tooMany, 400, 132000);
    assertGraphError(noHeader, 400, 132000);
    assertThat(error(noHeader).getJsonObject("error_data").getString("details"))
        .startsWith("header:");
  }

  @Test
  void sendsATemplateWithAMediaHeaderAndAQuickReplyButton() throws InterruptedException {
    String image = uploadJpeg();
    JsonObject message = Messages.template(USER, "seasonal_offer", "en_US", 1);
    message
        .getJsonObject("template")
        .getJsonArray("components")
        .add(
            new JsonObject()
                .put("type", "header")
                .put(
                    "parameters",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("type", "image")
                                .put("image", new JsonObject().put("id", image)))))
        .add(
            new JsonObject()
                .put("type", "button")
                .put("sub_type", "quick_reply")
                .put("index", "0")
                .put(
                    "parameters",
                    new JsonArray()
                        .add(new JsonObject().put("type", "payload").put("payload", "STOP"))));

    String id = accepted(api.send(phone, message));

    JsonObject sent = sink.awaitStatus(id, "sent").status();
    assertThat(sent.getJsonObject("pricing").getString("category")).isEqualTo("marketing");
  }

  @Test
  void failsAFreeFormMessageOutsideTheWindowWith131047ButDeliversATemplate()
      throws InterruptedException {
    String text = accepted(api.send(phone, Messages.text(USER, "Hi")));
    String template = accepted(api.send(phone, Messages.template(USER, "hello_world", "en_US", 0)));

    JsonObject failed = sink.awaitStatus(text, "failed").status();
    JsonObject error = failed.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("code")).isEqualTo(131047);
    assertThat(error.getString("title")).isEqualTo("Re-engagement message");
    assertThat(error.getJsonObject("error_data").getString("details")).contains("24 hours");
    assertThat(failed.containsKey("pricing")).isFalse();
    sink.awaitStatus(template, "delivered");
  }

  @Test
  void refusesAFreeFormSendOutsideTheWindowAtOnceWhenConfiguredTo() throws InterruptedException {
    restart(b -> b.windowErrors(WindowErrors.RESPONSE));

    HttpResponse<Buffer> refused = api.send(phone, Messages.text(USER, "Hi"));
    assertGraphError(refused, 400, 131047);
    assertThat(error(refused).getString("message")).isEqualTo("(#131047) Re-engagement message");
    assertGraphError(api.send(phone, Messages.reaction(USER, "wamid.x")), 400, 131047);

    inboundFrom(USER);
    String id = accepted(api.send(phone, Messages.text(USER, "Hi again")));
    sink.awaitStatus(id, "delivered");
    assertGraphError(api.send(phone, Messages.text("16505550000", "Hi")), 400, 131047);
  }

  @Test
  void closesTheWindowWhenItsTimeIsUp() throws InterruptedException {
    restart(
        b -> b.windowErrors(WindowErrors.RESPONSE).customerServiceWindow(Duration.ofSeconds(3)));
    inboundFrom(USER);
    accepted(api.send(phone, Messages.text(USER, "inside")));

    // The window closing is only observable as a refused send, so every probe is a real free-form
    // send: accepted (and delivered) while the window is open, refused once its 3 s are up.
    HttpResponse<Buffer> outside =
        Await.until(
            "the 3 s customer-service window to close",
            Duration.ofSeconds(15),
            () -> api.send(phone, Messages.text(USER, "outside")),
            r -> r.statusCode() != 200);
    assertGraphError(outside, 400, 131047);
  }

  @Test
  void limitsThroughputPerPhoneNumberWith130429() {
    restart(b -> b.messagesPerSecond(1));
    JsonObject template = Messages.template(USER, "hello_world", "en_US", 0);

    List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sends.add(
          api.request(HttpMethod.POST, "/v23.0/" + phone + "/messages").sendJsonObject(template));
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> send : sends) {
      HttpResponse<Buffer> response = send.await();
      codes.add(response.statusCode() == 200 ? 0 : error(response).getInteger("code"));
    }

    assertThat(codes).contains(0, 130429).containsOnly(0, 130429);
  }

  @Test
  void failsSendsAtTheConfiguredRateWith131000() {
    restart(b -> b.failureRate(1.0));

    assertGraphError(
        api.send(phone, Messages.template(USER, "hello_world", "en_US", 0)), 500, 131000);
    assertThat(sim.messages()).isEmpty();
  }

  @Test
  void failsMessagesToNumbersNotOnWhatsAppWith131026() throws InterruptedException {
    restart(b -> b.undeliverableNumbers(Set.of("16505550000")));

    String id =
        accepted(api.send(phone, Messages.template("16505550000", "hello_world", "en_US", 0)));

    JsonObject failed = sink.awaitStatus(id, "failed").status();
    assertThat(failed.getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(131026);
  }

  @Test
  void failsMessagesAtTheUndeliverableRateWithTheConfiguredCode() throws InterruptedException {
    restart(b -> b.undeliverable(1.0, 131049));

    String id = accepted(api.send(phone, Messages.template(USER, "hello_world", "en_US", 0)));

    JsonObject error =
        sink.awaitStatus(id, "failed").status().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("code")).isEqualTo(131049);
    assertThat(error.getString("title")).contains("healthy ecosystem engagement");
    assertThat(sim.messages()).extracting(m -> m.getString("status")).containsExactly("failed");
  }

  @Test
  void retriesAWebhookTheReceiverRefusedWithTheSameBytesAndSignature() throws InterruptedException {
    sink.failNext(1, 500);
    String id = accepted(api.send(phone, Messages.template(USER, "hello_world", "en_US", 0)));

    WebhookSink.Received first = sink.next();
    WebhookSink.Received retry = sink.next();

    assertThat(first.status().getString("id")).isEqualTo(id);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(retry.signature()).isEqualTo(first.signature());
    assertThat(sink.next().status().getString("status")).isEqualTo("delivered");
  }

  @Test
  void redeliversTheLastWebhooksOnDemandAsDuplicates() throws InterruptedException {
    inboundFrom(USER);
    Await.stillAfter(
        Duration.ofMillis(200), "no webhook beyond the inbound one", sink::pending, n -> n == 0);

    HttpResponse<Buffer> response =
        api.control("/_sim/webhooks/redeliver?count=1", new JsonObject());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("statuses")).containsExactly(200);
    WebhookSink.Received duplicate = sink.next();
    assertThat(duplicate.message().getString("from")).isEqualTo(USER);
    assertThat(duplicate.signedWith(secret())).isTrue();
    assertThat(duplicate.body()).isEqualTo(sim.webhooksSent().get(0).toBuffer());
  }

  @Test
  void sendsEveryWebhookTwiceAtADuplicateRateOfOne() throws InterruptedException {
    restart(b -> b.duplicateRate(1.0));

    inboundFrom(USER);
    WebhookSink.Received duplicate = sink.next();

    assertThat(duplicate.message().getString("from")).isEqualTo(USER);
  }

  @Test
  void runsTheVerificationHandshakeAgainstTheWebhookUrl() {
    HttpResponse<Buffer> refused = api.control("/_sim/webhooks/verify", new JsonObject());
    sink.acceptVerifyToken(sim.config().verifyToken());
    HttpResponse<Buffer> verified = api.control("/_sim/webhooks/verify", new JsonObject());

    assertThat(refused.bodyAsJsonObject().getBoolean("verified")).isFalse();
    assertThat(verified.bodyAsJsonObject().getBoolean("verified")).isTrue();
  }

  @Test
  void listsTemplatesPageByPageWithCursors() {
    String path = "/v23.0/" + sim.config().wabaId() + "/message_templates";

    JsonObject first = api.get(path + "?limit=2").bodyAsJsonObject();
    String after = first.getJsonObject("paging").getJsonObject("cursors").getString("after");
    JsonObject second = api.get(path + "?limit=2&after=" + after).bodyAsJsonObject();
    JsonObject named = api.get(path + "?name=order_update").bodyAsJsonObject();

    assertThat(first.getJsonArray("data")).hasSize(2);
    assertThat(first.getJsonObject("paging").getString("next")).contains("after=" + after);
    assertThat(second.getJsonArray("data")).hasSize(1);
    assertThat(second.getJsonObject("paging").containsKey("next")).isFalse();
    assertThat(named.getJsonArray("data")).hasSize(1);
    JsonObject template = named.getJsonArray("data").getJsonObject(0);
    assertThat(template.getString("name")).isEqualTo("order_update");
    assertThat(template.getString("language")).isEqualTo("en_US");
    assertThat(template.getString("status")).isEqualTo("APPROVED");
    assertThat(template.getString("category")).isEqualTo("UTILITY");
    assertThat(template.getJsonArray("components").getJsonObject(0).getString("text"))
        .contains("{{1}}", "{{2}}");
    assertGraphError(api.get("/v23.0/999/message_templates"), 400, 100);
  }
}
