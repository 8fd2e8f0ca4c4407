package herald.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.whatsapp.WhatsAppSimConfig;
import herald.sim.whatsapp.WhatsAppSimulator;
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
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WhatsApp channel end to end: Herald's API, the {@code whatsapp_cloud} provider and Meta's
 * signed webhooks, against the strict Cloud API simulator over real HTTP.
 */
class WhatsAppChannelTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static WhatsAppSimulator sim;
  private static WhatsAppSimConfig config;
  private static String senderId;

  @BeforeAll
  static void start() {
    // The default run's own simulator and sender would share this test's phone-number id.
    herald =
        TestHerald.start(
            new JsonObject().put("simulators", new JsonObject().put("enabled", false)));
    client = herald.client();
    admin = client.loginAdmin();
    config =
        WhatsAppSimConfig.defaults().toBuilder()
            .webhookUrl("http://127.0.0.1:" + herald.herald().port() + "/webhooks/whatsapp")
            .statusDelays(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50))
            .undeliverableNumbers(java.util.Set.of("14155552099"))
            .build();
    sim = WhatsAppSimulator.start(herald.vertx(), config).await();
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/senders",
            admin,
            new JsonObject()
                .put("name", "whatsapp")
                .put("provider", "whatsapp_cloud")
                .put("rate_per_second", 50)
                .put("is_default", true)
                .put(
                    "settings",
                    new JsonObject()
                        .put("phone_number_id", config.phoneNumbers().get(0).id())
                        .put("waba_id", config.wabaId())
                        .put("access_token", config.accessToken())
                        .put("app_secret", config.appSecret())
                        .put("verify_token", config.verifyToken())
                        .put("graph_url", sim.baseUrl())
                        .put(
                            "phone_number",
                            "+" + config.phoneNumbers().get(0).displayPhoneNumber())));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsString())
        .doesNotContain(config.accessToken())
        .doesNotContain(config.appSecret());
    senderId = created.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    sim.close().await();
    herald.close();
  }

  /** A user writes first (opening the 24-hour window); answers the inbound message's wamid. */
  private static String userWrites(String waId, String text) {
    JsonObject answer =
        sim.inbound(
                new JsonObject()
                    .put("from", waId)
                    .put("type", "text")
                    .put("text", new JsonObject().put("body", text)))
            .await();
    assertThat(answer.getInteger("webhook_status")).isEqualTo(200);
    return answer.getString("id");
  }

  private static HttpResponse<Buffer> send(Object body) {
    return client.send(
        HttpMethod.POST,
        "/api/v1/messages",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
        Buffer.buffer(body.toString()),
        "application/json");
  }

  private static String sendOne(String to, JsonObject content) {
    HttpResponse<Buffer> sent =
        send(new JsonObject().put("to", to).put("channel", "whatsapp").put("content", content));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    return sent.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id");
  }

  private static JsonObject await(String id, String status) {
    return Await.until(
        "message " + id + " to become " + status,
        Duration.ofSeconds(30),
        () -> client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject(),
        message -> status.equals(message.getString("status")));
  }

  private static List<String> events(JsonObject message) {
    return message.getJsonArray("history").stream()
        .map(e -> ((JsonObject) e).getString("event"))
        .toList();
  }

  private static JsonObject typed(String type, JsonObject payload) {
    return new JsonObject().put("type", type).put(type, payload);
  }

  @Test
  void everyMessageTypeIsSentAndReportedThroughRead() {
    String to = "+14155552001";
    String inbound = userWrites("14155552001", "hi there");
    List<JsonObject> contents =
        List.of(
            typed(
                "text",
                new JsonObject().put("body", "See https://example.com").put("preview_url", true)),
            typed(
                "image",
                new JsonObject().put("link", "https://example.com/a.jpg").put("caption", "A")),
            typed(
                "document",
                new JsonObject()
                    .put("link", "https://example.com/a.pdf")
                    .put("caption", "Invoice")
                    .put("filename", "invoice.pdf")),
            typed("audio", new JsonObject().put("link", "https://example.com/a.mp3")),
            typed(
                "video",
                new JsonObject().put("link", "https://example.com/a.mp4").put("caption", "V")),
            typed(
                "location",
                new JsonObject()
                    .put("latitude", 52.52)
                    .put("longitude", 13.405)
                    .put("name", "Office")
                    .put("address", "Berlin")),
            new JsonObject()
                .put("type", "contacts")
                .put(
                    "contacts",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("name", new JsonObject().put("formatted_name", "Ada L"))
                                .put(
                                    "phones",
                                    new JsonArray()
                                        .add(new JsonObject().put("phone", "+14155550000"))))),
            typed("reaction", new JsonObject().put("message_id", inbound).put("emoji", "👍")),
            typed(
                "interactive",
                new JsonObject()
                    .put("type", "button")
                    .put("body", new JsonObject().put("text", "Confirm?"))
                    .put(
                        "action",
                        new JsonObject()
                            .put(
                                "buttons",
                                new JsonArray()
                                    .add(button("yes", "Yes"))
                                    .add(button("no", "No"))))),
            typed(
                "interactive",
                new JsonObject()
                    .put("type", "list")
                    .put("body", new JsonObject().put("text", "Pick a slot"))
                    .put(
                        "action",
                        new JsonObject()
                            .put("button", "Slots")
                            .put(
                                "sections",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("title", "Today")
                                            .put(
                                                "rows",
                                                new JsonArray()
                                                    .add(
                                                        new JsonObject()
                                                            .put("id", "am")
                                                            .put("title", "Morning"))
                                                    .add(
                                                        new JsonObject()
                                                            .put("id", "pm")
                                                            .put("title", "Afternoon"))))))),
            typed(
                "template", new JsonObject().put("name", "hello_world").put("language", "en_US")));
    List<String> ids = contents.stream().map(c -> sendOne(to, c)).toList();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      JsonObject read = await(id, "read");
      assertThat(read.getString("channel")).isEqualTo("whatsapp");
      assertThat(read.getString("provider_message_id")).startsWith("wamid.");
      assertThat(read.getJsonObject("content").getString("type"))
          .isEqualTo(contents.get(i).getString("type"));
      assertThat(events(read))
          .containsExactly("message.queued", "message.sent", "message.delivered", "message.read");
      JsonObject pricing =
          Await.until(
              "pricing of " + id,
              Duration.ofSeconds(10),
              () ->
                  client
                      .get("/api/v1/messages/" + id, admin)
                      .bodyAsJsonObject()
                      .getJsonObject("pricing"),
              p -> p != null && p.getString("conversation_id") != null);
      assertThat(pricing.getString("category"))
          .isEqualTo(i == ids.size() - 1 ? "utility" : "service");
    }
    assertThat(sim.messages()).hasSizeGreaterThanOrEqualTo(ids.size());
    JsonObject textRequest =
        sim.messages().stream()
            .filter(m -> m.getString("type").equals("text"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("request");
    assertThat(textRequest.getString("messaging_product")).isEqualTo("whatsapp");
    assertThat(textRequest.getString("recipient_type")).isEqualTo("individual");
    assertThat(textRequest.getString("to")).isEqualTo("14155552001");
  }

  private static JsonObject button(String id, String title) {
    return new JsonObject()
        .put("type", "reply")
        .put("reply", new JsonObject().put("id", id).put("title", title));
  }

  @Test
  void aTemplateWithParametersIsSentOutsideTheWindowAndFreeFormIsRefused() {
    String to = "+14155552002";
    HttpResponse<Buffer> refused =
        send(new JsonObject().put("to", to).put("channel", "whatsapp").put("body", "hello"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).contains("outside_customer_service_window");
    assertThat(
            client
                .get("/api/v1/messages?to=%2B14155552002", admin)
                .bodyAsJsonObject()
                .getJsonArray("data"))
        .isEmpty();
    String id =
        sendOne(
            to,
            typed(
                "template",
                new JsonObject()
                    .put("name", "order_update")
                    .put("language", new JsonObject().put("code", "en_US"))
                    .put(
                        "components",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("type", "body")
                                    .put(
                                        "parameters",
                                        new JsonArray()
                                            .add(text("A-1001"))
                                            .add(text("tomorrow")))))));
    JsonObject read = await(id, "read");
    assertThat(read.getJsonObject("pricing").getString("category")).isEqualTo("utility");
    JsonObject request =
        sim.messages().stream()
            .filter(m -> m.getString("to").equals("14155552002"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("request");
    assertThat(request.getJsonObject("template").getJsonObject("language").getString("policy"))
        .isEqualTo("deterministic");
  }

  private static JsonObject text(String value) {
    return new JsonObject().put("type", "text").put("text", value);
  }

  @Test
  void aMixedArrayToOneRecipientIsAcceptedInOneRequest() {
    String to = "+14155552003";
    userWrites("14155552003", "send me the files");
    JsonArray items =
        new JsonArray()
            .add(new JsonObject().put("to", to).put("channel", "whatsapp").put("body", "Here"))
            .add(
                new JsonObject()
                    .put("to", to)
                    .put("channel", "whatsapp")
                    .put(
                        "content",
                        typed("image", new JsonObject().put("link", "https://example.com/i.png"))))
            .add(
                new JsonObject()
                    .put("to", to)
                    .put("channel", "whatsapp")
                    .put(
                        "content",
                        typed(
                            "document",
                            new JsonObject()
                                .put("link", "https://example.com/d.pdf")
                                .put("filename", "d.pdf"))));
    HttpResponse<Buffer> sent = send(items);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    assertThat(sent.bodyAsJsonObject().getInteger("accepted")).isEqualTo(3);
    for (Object item : sent.bodyAsJsonObject().getJsonArray("data")) {
      await(((JsonObject) item).getString("id"), "read");
    }
  }

  @Test
  void badContentIsAFieldErrorAndNothingIsStored() {
    HttpResponse<Buffer> bad =
        send(
            new JsonObject()
                .put("to", "+14155552004")
                .put("channel", "whatsapp")
                .put(
                    "content",
                    typed("image", new JsonObject().put("caption", "neither id nor link"))));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("[0].content.image");
  }

  @Test
  void anInboundTextIsReceivedMarkedReadAndStopBlacklistsTheNumber() {
    String wamid = userWrites("14155552005", "Hello Herald");
    JsonObject received =
        Await.until(
            "the inbound message",
            Duration.ofSeconds(10),
            () ->
                client
                    .get("/api/v1/messages?direction=inbound&channel=whatsapp", admin)
                    .bodyAsJsonObject()
                    .getJsonArray("data")
                    .stream()
                    .map(JsonObject.class::cast)
                    .filter(m -> wamid.equals(m.getString("provider_message_id")))
                    .findFirst()
                    .orElse(null),
            m -> m != null);
    assertThat(received.getString("from")).isEqualTo("+14155552005");
    assertThat(received.getString("body")).isEqualTo("Hello Herald");
    assertThat(received.getJsonObject("content").getString("type")).isEqualTo("text");
    Await.until(
        "marked read", Duration.ofSeconds(10), () -> sim.markedRead(wamid), Boolean.TRUE::equals);

    userWrites("14155552005", "STOP");
    HttpResponse<Buffer> refused =
        Await.until(
            "the number to be blacklisted",
            Duration.ofSeconds(10),
            () ->
                send(
                    new JsonObject()
                        .put("to", "+14155552005")
                        .put("channel", "whatsapp")
                        .put("body", "still there?")),
            r -> r.bodyAsString().contains("blacklisted"));
    assertThat(refused.statusCode()).isEqualTo(422);
  }

  @Test
  void aRedeliveredInboundWebhookIsStoredOnce() {
    String wamid = userWrites("14155552006", "once only");
    assertThat(sim.redeliver(1).await()).containsExactly(200);
    long stored =
        client
            .get("/api/v1/messages?direction=inbound&channel=whatsapp", admin)
            .bodyAsJsonObject()
            .getJsonArray("data")
            .stream()
            .filter(m -> wamid.equals(((JsonObject) m).getString("provider_message_id")))
            .count();
    assertThat(stored).isEqualTo(1);
  }

  @Test
  void duplicateStatusWebhooksApplyOnce() {
    userWrites("14155552007", "hi");
    String id = sendOne("+14155552007", typed("text", new JsonObject().put("body", "once")));
    JsonObject read = await(id, "read");
    List<String> before = events(read);
    // The last webhooks are this message's sent, delivered and read: Meta delivers them again.
    assertThat(sim.redeliver(3).await()).containsOnly(200);
    JsonObject after = client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject();
    assertThat(events(after)).isEqualTo(before);
    assertThat(after.getString("status")).isEqualTo("read");
  }

  @Test
  void aWebhookWithABadSignatureIsRefusedAndChangesNothing() {
    userWrites("14155552008", "hi");
    String id = sendOne("+14155552008", typed("text", new JsonObject().put("body", "sig")));
    JsonObject before = await(id, "read");
    String body =
        new JsonObject()
            .put("object", "whatsapp_business_account")
            .put(
                "entry",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", config.wabaId())
                            .put(
                                "changes",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("field", "messages")
                                            .put(
                                                "value",
                                                new JsonObject()
                                                    .put("messaging_product", "whatsapp")
                                                    .put(
                                                        "metadata",
                                                        new JsonObject()
                                                            .put(
                                                                "phone_number_id",
                                                                config.phoneNumbers().get(0).id())
                                                            .put(
                                                                "display_phone_number",
                                                                "15550783881"))
                                                    .put(
                                                        "messages",
                                                        new JsonArray()
                                                            .add(
                                                                new JsonObject()
                                                                    .put("from", "14155552009")
                                                                    .put("id", "wamid.forged")
                                                                    .put("timestamp", "1700000000")
                                                                    .put("type", "text")
                                                                    .put(
                                                                        "text",
                                                                        new JsonObject()
                                                                            .put(
                                                                                "body",
                                                                                "STOP")))))))))
            .encode();
    HttpResponse<Buffer> forged =
        client.send(
            HttpMethod.POST,
            "/webhooks/whatsapp",
            MultiMap.caseInsensitiveMultiMap()
                .add("X-Hub-Signature-256", sign("not-the-app-secret", body)),
            Buffer.buffer(body),
            "application/json");
    assertThat(forged.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> unsigned =
        client.send(
            HttpMethod.POST,
            "/webhooks/whatsapp",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(body),
            "application/json");
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(
            client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject().getJsonArray("history"))
        .isEqualTo(before.getJsonArray("history"));
    assertThat(
            client
                .get("/api/v1/messages?direction=inbound&from=%2B14155552009", admin)
                .bodyAsString())
        .doesNotContain("wamid.forged");
    assertThat(client.get("/api/v1/blacklist", admin).bodyAsString()).doesNotContain("14155552009");
    // The same body signed with the app secret is accepted.
    HttpResponse<Buffer> signed =
        client.send(
            HttpMethod.POST,
            "/webhooks/whatsapp",
            MultiMap.caseInsensitiveMultiMap()
                .add("X-Hub-Signature-256", sign(config.appSecret(), body)),
            Buffer.buffer(body),
            "application/json");
    assertThat(signed.statusCode()).isEqualTo(200);
  }

  private static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theVerificationHandshakeEchoesTheChallengeOnlyForTheVerifyToken() {
    assertThat(sim.verifyWebhook().await()).isTrue();
    HttpResponse<Buffer> wrong =
        client.get(
            "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=42", null);
    assertThat(wrong.statusCode()).isEqualTo(403);
  }

  @Test
  void anotherAccountsWhatsAppMessageAnswers404() {
    userWrites("14155552010", "hi");
    String id = sendOne("+14155552010", typed("text", new JsonObject().put("body", "mine")));
    client.post(
        "/api/v1/accounts",
        admin,
        new JsonObject()
            .put("name", "Other WA")
            .put("admin_username", "other-wa")
            .put("admin_password", "password-other"));
    String other = client.login("other-wa", "password-other");
    assertThat(client.get("/api/v1/messages/" + id, other).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> send =
        client.post(
            "/api/v1/messages",
            other,
            new JsonObject().put("to", "+14155552010").put("body", "x").put("sender_id", senderId));
    assertThat(send.statusCode()).isEqualTo(422);
    assertThat(send.bodyAsString()).contains("unknown_sender");
  }

  private static HttpResponse<Buffer> upload(String token, String fileName, byte[] bytes) {
    String boundary = "herald-test-boundary";
    Buffer body =
        Buffer.buffer()
            .appendString("--" + boundary + "\r\n")
            .appendString(
                "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n")
            .appendString("Content-Type: application/octet-stream\r\n\r\n")
            .appendBytes(bytes)
            .appendString("\r\n--" + boundary + "--\r\n");
    return client.send(
        HttpMethod.POST,
        "/api/v1/media",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token),
        body,
        "multipart/form-data; boundary=" + boundary);
  }

  private static byte[] jpeg() {
    byte[] bytes = new byte[2048];
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xD8;
    bytes[2] = (byte) 0xFF;
    bytes[3] = (byte) 0xE0;
    return bytes;
  }

  private static byte[] pdf() {
    return "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void uploadedMediaIsSentAsAnImageAndADocument() {
    HttpResponse<Buffer> image = upload(admin, "photo.jpg", jpeg());
    assertThat(image.statusCode()).as(image.bodyAsString()).isEqualTo(201);
    assertThat(image.bodyAsJsonObject().getString("mime_type")).isEqualTo("image/jpeg");
    assertThat(image.bodyAsJsonObject().getString("provider_media_id")).isNotBlank();
    HttpResponse<Buffer> doc = upload(admin, "invoice.pdf", pdf());
    assertThat(doc.statusCode()).as(doc.bodyAsString()).isEqualTo(201);
    assertThat(doc.bodyAsJsonObject().getString("mime_type")).isEqualTo("application/pdf");

    String to = "+14155552011";
    userWrites("14155552011", "send the invoice");
    String imageId =
        sendOne(
            to,
            typed(
                "image",
                new JsonObject()
                    .put("media_id", image.bodyAsJsonObject().getString("id"))
                    .put("caption", "Your photo")));
    String docId =
        sendOne(
            to,
            typed(
                "document",
                new JsonObject()
                    .put("media_id", doc.bodyAsJsonObject().getString("id"))
                    .put("filename", "invoice.pdf")));
    assertThat(await(imageId, "read").getString("body")).isEqualTo("Your photo");
    await(docId, "read");
    JsonObject sentDoc =
        sim.messages().stream()
            .filter(
                m ->
                    m.getString("to").equals("14155552011")
                        && m.getString("type").equals("document"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("request")
            .getJsonObject("document");
    assertThat(sentDoc.getString("id"))
        .isEqualTo(doc.bodyAsJsonObject().getString("provider_media_id"));
    assertThat(sentDoc.containsKey("media_id")).isFalse();

    // A document's file cannot go out as an image.
    HttpResponse<Buffer> wrongKind =
        send(
            new JsonObject()
                .put("to", to)
                .put("channel", "whatsapp")
                .put(
                    "content",
                    typed(
                        "image",
                        new JsonObject().put("media_id", doc.bodyAsJsonObject().getString("id")))));
    assertThat(wrongKind.statusCode()).isEqualTo(422);
    assertThat(wrongKind.bodyAsString()).contains("unknown_media");
  }

  @Test
  void anUploadIsCheckedByItsContentNotItsName() {
    HttpResponse<Buffer> text =
        upload(admin, "photo.jpg", "just text".getBytes(StandardCharsets.UTF_8));
    assertThat(text.statusCode()).isEqualTo(422);
    assertThat(text.bodyAsString()).contains("unsupported_type");
    byte[] big = new byte[6 * 1024 * 1024];
    System.arraycopy(jpeg(), 0, big, 0, 4);
    HttpResponse<Buffer> tooBig = upload(admin, "big.jpg", big);
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  @Test
  void anInboundImageIsDownloadedAndServedToTheAccountOnly() {
    JsonObject answer =
        sim.inbound(
                new JsonObject()
                    .put("from", "14155552012")
                    .put("type", "image")
                    .put("image", new JsonObject().put("caption", "look")))
            .await();
    assertThat(answer.getInteger("webhook_status")).isEqualTo(200);
    String wamid = answer.getString("id");
    JsonObject received =
        client
            .get("/api/v1/messages?direction=inbound&channel=whatsapp", admin)
            .bodyAsJsonObject()
            .getJsonArray("data")
            .stream()
            .map(JsonObject.class::cast)
            .filter(m -> wamid.equals(m.getString("provider_message_id")))
            .findFirst()
            .orElseThrow();
    assertThat(received.getString("body")).isEqualTo("look");
    JsonObject image = received.getJsonObject("content").getJsonObject("image");
    assertThat(image.getString("id")).isEqualTo(answer.getString("media_id"));
    String mediaId = image.getString("media_id");
    JsonObject media = client.get("/api/v1/media/" + mediaId, admin).bodyAsJsonObject();
    assertThat(media.getString("direction")).isEqualTo("inbound");
    assertThat(media.getString("mime_type")).isEqualTo("image/jpeg");
    HttpResponse<Buffer> bytes = client.get("/api/v1/media/" + mediaId + "/content", admin);
    assertThat(bytes.statusCode()).isEqualTo(200);
    assertThat(bytes.getHeader("Content-Type")).isEqualTo("image/jpeg");
    assertThat(bytes.body().length()).isEqualTo(media.getLong("size_bytes").intValue());
    assertThat(bytes.body().getByte(0)).isEqualTo((byte) 0xFF);

    client.post(
        "/api/v1/accounts",
        admin,
        new JsonObject()
            .put("name", "Other media")
            .put("admin_username", "other-media")
            .put("admin_password", "password-other"));
    String other = client.login("other-media", "password-other");
    assertThat(client.get("/api/v1/media/" + mediaId, other).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/media/" + mediaId + "/content", other).statusCode())
        .isEqualTo(404);
  }

  @Test
  void theAccountsTemplatesAreSyncedAndListedWithStatusAndCategory() {
    HttpResponse<Buffer> synced =
        client.post("/api/v1/senders/" + senderId + "/templates/sync", admin, new JsonObject());
    assertThat(synced.statusCode()).as(synced.bodyAsString()).isEqualTo(200);
    assertThat(synced.bodyAsJsonObject().getInteger("synced")).isEqualTo(3);
    JsonArray listed =
        client
            .get("/api/v1/senders/" + senderId + "/templates?status=approved", admin)
            .bodyAsJsonObject()
            .getJsonArray("data");
    JsonObject offer =
        listed.stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("name").equals("seasonal_offer"))
            .findFirst()
            .orElseThrow();
    assertThat(offer.getString("category")).isEqualTo("MARKETING");
    assertThat(offer.getString("status")).isEqualTo("APPROVED");
    assertThat(offer.getString("language")).isEqualTo("en_US");
    assertThat(offer.getJsonArray("components")).isNotEmpty();
  }

  @Test
  void templateParametersAreFilledFromTheRecipientsContact() {
    HttpResponse<Buffer> contact =
        client.post(
            "/api/v1/contacts",
            admin,
            new JsonObject().put("phone_number", "+14155552013").put("first_name", "Grace"));
    assertThat(contact.statusCode()).as(contact.bodyAsString()).isEqualTo(201);
    JsonObject template =
        typed(
            "template",
            new JsonObject()
                .put("name", "order_update")
                .put("language", "en_US")
                .put(
                    "components",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("type", "body")
                                .put(
                                    "parameters",
                                    new JsonArray()
                                        .add(text("{{first_name}}"))
                                        .add(text("{order|your order}"))))));
    String id = sendOne("+14155552013", template);
    JsonObject sent = await(id, "read");
    JsonArray parameters =
        sent.getJsonObject("content")
            .getJsonObject("template")
            .getJsonArray("components")
            .getJsonObject(0)
            .getJsonArray("parameters");
    assertThat(parameters.getJsonObject(0).getString("text")).isEqualTo("Grace");
    assertThat(parameters.getJsonObject(1).getString("text")).isEqualTo("your order");
    JsonObject request =
        sim.messages().stream()
            .filter(m -> m.getString("to").equals("14155552013"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("request");
    assertThat(request.encode()).contains("Grace").doesNotContain("first_name");

    HttpResponse<Buffer> unknown =
        send(
            new JsonObject()
                .put("to", "+14155552014")
                .put("channel", "whatsapp")
                .put("content", template));
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(unknown.bodyAsString()).contains("missing_variable");
  }

  @Test
  void anUndeliverableNumberEndsFailedWithTheReasonMetaReported() {
    String id =
        sendOne(
            "+14155552099",
            typed(
                "template", new JsonObject().put("name", "hello_world").put("language", "en_US")));
    JsonObject failed = await(id, "failed");
    assertThat(failed.getString("error_code")).isEqualTo("undeliverable");
    assertThat(failed.getString("error_message")).contains("131026");
    assertThat(events(failed)).containsExactly("message.queued", "message.sent", "message.failed");
  }

  @Test
  void aSignedNotificationOfAnotherFieldIsAcknowledgedAndAForgedOneRefused() {
    String body =
        new JsonObject()
            .put("object", "whatsapp_business_account")
            .put(
                "entry",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", config.wabaId())
                            .put(
                                "changes",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("field", "message_template_status_update")
                                            .put(
                                                "value",
                                                new JsonObject()
                                                    .put("event", "APPROVED")
                                                    .put(
                                                        "message_template_name", "hello_world"))))))
            .encode();
    HttpResponse<Buffer> signed =
        client.send(
            HttpMethod.POST,
            "/webhooks/whatsapp",
            MultiMap.caseInsensitiveMultiMap()
                .add("X-Hub-Signature-256", sign(config.appSecret(), body)),
            Buffer.buffer(body),
            "application/json");
    assertThat(signed.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> forged =
        client.send(
            HttpMethod.POST,
            "/webhooks/whatsapp",
            MultiMap.caseInsensitiveMultiMap().add("X-Hub-Signature-256", sign("wrong", body)),
            Buffer.buffer(body),
            "application/json");
    assertThat(forged.statusCode()).isEqualTo(403);
  }

  @Test
  void aWhatsAppCampaignSendsATemplateWithPerRecipientParametersPaced() {
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < 10; i++) {
      recipients.add(new JsonObject().put("number", "+1415555310" + i).put("name", "Guest" + i));
    }
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/campaigns",
            admin,
            new JsonObject()
                .put("name", "wa campaign")
                .put("channel", "whatsapp")
                .put("sender_ids", new JsonArray().add(senderId))
                .put("rate_per_second", 20)
                .put(
                    "content",
                    typed(
                        "template",
                        new JsonObject()
                            .put("name", "order_update")
                            .put("language", "en_US")
                            .put(
                                "components",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "body")
                                            .put(
                                                "parameters",
                                                new JsonArray()
                                                    .add(text("{{name}}"))
                                                    .add(text("{order|your order}")))))))
                .put("recipients", recipients));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> started =
        client.post("/api/v1/campaigns/" + id + "/start", admin, new JsonObject());
    assertThat(started.statusCode()).as(started.bodyAsString()).isBetween(200, 202);
    JsonObject stats =
        Await.until(
            "every campaign message read",
            Duration.ofSeconds(60),
            () -> client.get("/api/v1/messages/stats?campaign_id=" + id, admin).bodyAsJsonObject(),
            st -> st.getJsonObject("by_status").getLong("read", 0L) == 10L);
    assertThat(stats.getLong("total")).isEqualTo(10L);
    for (int i = 0; i < 10; i++) {
      String waId = "1415555310" + i;
      JsonObject request =
          sim.messages().stream()
              .filter(m -> m.getString("to").equals(waId))
              .findFirst()
              .orElseThrow()
              .getJsonObject("request");
      JsonArray parameters =
          request
              .getJsonObject("template")
              .getJsonArray("components")
              .getJsonObject(0)
              .getJsonArray("parameters");
      assertThat(parameters.getJsonObject(0).getString("text")).isEqualTo("Guest" + i);
      assertThat(parameters.getJsonObject(1).getString("text")).isEqualTo("your order");
    }
  }
}
