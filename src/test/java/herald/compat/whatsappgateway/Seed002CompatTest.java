package herald.compat.whatsappgateway;

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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Walks every request example of seed 002's API document (the WhatsApp Gateway), in the document's
 * order, against {@code /compat/whatsapp-gateway}, with the strict WhatsApp Cloud API simulator
 * behind the session's sender, and checks both the gateway's answer and what landed in Herald.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Seed002CompatTest {
  private static final String BASE = "/compat/whatsapp-gateway/api/v1";
  private static final String LEGACY = "/compat/whatsapp-gateway/api";

  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String masterKey;
  private static WhatsAppSimulator sim;
  private static WhatsAppSimConfig config;
  private static String token;
  private static String mediaId;
  private static String sentMessageId;
  private static String campaignId;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put("simulators", new JsonObject().put("enabled", false))
                // The seed's webhook example names a host of the internet; nothing is sent to it
                // (the endpoint is removed before any event), but saving it must not resolve it.
                .put("webhooks", new JsonObject().put("allow_private_targets", true)));
    client = herald.client();
    admin = client.loginAdmin();
    config =
        WhatsAppSimConfig.defaults().toBuilder()
            .webhookUrl("http://127.0.0.1:" + herald.herald().port() + "/webhooks/whatsapp")
            .statusDelays(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50))
            .build();
    sim = WhatsAppSimulator.start(herald.vertx(), config).await();
    HttpResponse<Buffer> key =
        client.post(
            "/api/v1/api-keys",
            admin,
            new JsonObject().put("name", "master").put("scopes", new JsonArray().add("admin")));
    assertThat(key.statusCode()).as(key.bodyAsString()).isEqualTo(201);
    masterKey = key.bodyAsJsonObject().getString("key");
  }

  @AfterAll
  static void stop() {
    if (sim != null) {
      sim.close().await();
    }
    herald.close();
  }

  private static MultiMap bearer(String value) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (value != null) {
      h.add("Authorization", "Bearer " + value);
    }
    return h;
  }

  private static MultiMap master() {
    return MultiMap.caseInsensitiveMultiMap().add("X-Master-Key", masterKey);
  }

  private static HttpResponse<Buffer> json(
      HttpMethod method, String path, MultiMap headers, String body) {
    return client.send(
        method,
        path,
        headers,
        body == null ? null : Buffer.buffer(body),
        body == null ? null : "application/json");
  }

  private static JsonObject settings() {
    return new JsonObject()
        .put("phone_number_id", config.phoneNumbers().get(0).id())
        .put("waba_id", config.wabaId())
        .put("access_token", config.accessToken())
        .put("app_secret", config.appSecret())
        .put("verify_token", config.verifyToken())
        .put("graph_url", sim.baseUrl())
        .put("phone_number", "+" + config.phoneNumbers().get(0).displayPhoneNumber());
  }

  /** The seed's create-session body plus the Cloud API number the session stands for. */
  private static HttpResponse<Buffer> createSession(String sessionId) {
    return json(
        HttpMethod.POST,
        BASE + "/sessions",
        master(),
        new JsonObject()
            .put("sessionId", sessionId)
            .put("is_default", true)
            .put("settings", settings())
            .encode());
  }

  private static void assertError(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("error");
    assertThat(body.getString("message")).isNotBlank();
  }

  private static void userWrites(String waId) {
    JsonObject answer =
        sim.inbound(
                new JsonObject()
                    .put("from", waId)
                    .put("type", "text")
                    .put("text", new JsonObject().put("body", "hi")))
            .await();
    assertThat(answer.getInteger("webhook_status")).isEqualTo(200);
  }

  private static JsonObject heraldMessage(String id, String status) {
    return Await.until(
        "message " + id + " to become " + status,
        Duration.ofSeconds(30),
        () -> client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject(),
        m -> status.equals(m.getString("status")));
  }

  @Test
  @Order(1)
  void createSessionAnswersTheSeedsEnvelopeWithATokenThatIsAnApiKey() {
    // The seed's body verbatim: a Cloud API session cannot be paired by QR, so it needs the
    // number's credentials, and the answer says so.
    HttpResponse<Buffer> bare =
        json(HttpMethod.POST, BASE + "/sessions", master(), "{\"sessionId\": \"mySession\"}");
    assertError(bare, 422);
    assertThat(bare.bodyAsJsonObject().getString("message"))
        .contains("phone_number_id")
        .contains("docs/whatsapp.md");
    HttpResponse<Buffer> noKey =
        json(
            HttpMethod.POST,
            BASE + "/sessions",
            MultiMap.caseInsensitiveMultiMap(),
            "{\"sessionId\": \"mySession\"}");
    assertError(noKey, 401);

    HttpResponse<Buffer> created = createSession("mySession");
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject body = created.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("success");
    assertThat(body.getString("message")).isEqualTo("Session mySession created.");
    token = body.getString("token");
    assertThat(token).startsWith("hk_");
    assertThat(created.bodyAsString()).doesNotContain(config.accessToken());

    // In Herald: a whatsapp_cloud sender named after the session, and the token is an API key.
    JsonArray senders =
        client.get("/api/v1/senders", admin).bodyAsJsonObject().getJsonArray("data");
    assertThat(senders.stream().map(o -> (JsonObject) o))
        .anyMatch(
            s ->
                s.getString("name").equals("mySession")
                    && s.getString("provider").equals("whatsapp_cloud"));
    assertThat(client.get("/api/v1/senders", token).statusCode()).isEqualTo(200);
    assertError(createSession("mySession"), 409);

    // A master key that may create senders but not the session's key: nothing is left behind.
    String narrow =
        client
            .post(
                "/api/v1/api-keys",
                admin,
                new JsonObject()
                    .put("name", "narrow")
                    .put("scopes", new JsonArray().add("senders:*")))
            .bodyAsJsonObject()
            .getString("key");
    HttpResponse<Buffer> refused =
        json(
            HttpMethod.POST,
            BASE + "/sessions",
            MultiMap.caseInsensitiveMultiMap().add("X-Master-Key", narrow),
            new JsonObject().put("sessionId", "halfSession").put("settings", settings()).encode());
    assertError(refused, 403);
    assertThat(
            client.get("/api/v1/senders", admin).bodyAsJsonObject().getJsonArray("data").stream()
                .map(o -> (JsonObject) o)
                .filter(x -> x.getString("name").equals("halfSession")))
        .isNotEmpty()
        .allMatch(x -> !x.getBoolean("is_active"));
  }

  @Test
  @Order(2)
  void listSessionsShowsStatusDetailAndNoQr() {
    HttpResponse<Buffer> list = json(HttpMethod.GET, BASE + "/sessions", bearer(token), null);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    JsonArray sessions = list.bodyAsJsonArray();
    JsonObject mine =
        sessions.stream()
            .map(o -> (JsonObject) o)
            .filter(s -> s.getString("sessionId").equals("mySession"))
            .findFirst()
            .orElseThrow();
    assertThat(mine.getString("status")).isEqualTo("CONNECTED");
    assertThat(mine.getString("detail")).contains("Connected");
    assertThat(mine.containsKey("qr")).isTrue();
    assertThat(mine.getValue("qr")).isNull();
    assertThat(mine.containsKey("token")).isTrue();
    // Herald never lists sessions (or their tokens) to anonymous callers.
    assertError(json(HttpMethod.GET, BASE + "/sessions", bearer(null), null), 401);
    HttpResponse<Buffer> one =
        json(HttpMethod.GET, BASE + "/sessions/mySession", bearer(token), null);
    assertThat(one.bodyAsJsonObject().getString("status")).isEqualTo("CONNECTED");
  }

  @Test
  @Order(3)
  void deleteSessionDeactivatesItsSenderAndTheSessionCanBeCreatedAgain() {
    HttpResponse<Buffer> deleted =
        json(HttpMethod.DELETE, BASE + "/sessions/mySession", bearer(token), null);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);
    assertThat(deleted.bodyAsJsonObject().getString("status")).isEqualTo("success");
    JsonArray after =
        json(HttpMethod.GET, BASE + "/sessions", bearer(token), null).bodyAsJsonArray();
    assertThat(after.stream().map(o -> ((JsonObject) o).getString("sessionId")))
        .doesNotContain("mySession");
    assertError(json(HttpMethod.DELETE, BASE + "/sessions/mySession", bearer(token), null), 404);
    // The rest of the document goes on with mySession: create it again.
    HttpResponse<Buffer> again = createSession("mySession");
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(201);
    token = again.bodyAsJsonObject().getString("token");
  }

  @Test
  @Order(4)
  void webhookIsSetReadAndRemovedAsAnEndpointBoundToTheSender() {
    String example =
        "{\"sessionId\": \"mySession\", \"url\": \"https://your-webhook-receiver.com/events\"}";
    HttpResponse<Buffer> set = json(HttpMethod.POST, BASE + "/webhook", bearer(token), example);
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getString("status")).isEqualTo("success");
    String senderId =
        json(HttpMethod.GET, BASE + "/sessions/mySession", bearer(token), null)
            .bodyAsJsonObject()
            .getString("senderId");
    JsonArray endpoints =
        client.get("/api/v1/webhooks", admin).bodyAsJsonObject().getJsonArray("data");
    assertThat(endpoints.stream().map(o -> (JsonObject) o))
        .anyMatch(
            e ->
                senderId.equals(e.getString("sender_id"))
                    && e.getString("url").equals("https://your-webhook-receiver.com/events"));

    // Setting it again updates the same endpoint.
    String other = "{\"sessionId\": \"mySession\", \"url\": \"https://example.com/other\"}";
    assertThat(json(HttpMethod.POST, BASE + "/webhook", bearer(token), other).statusCode())
        .isEqualTo(200);
    assertThat(
            client.get("/api/v1/webhooks", admin).bodyAsJsonObject().getJsonArray("data").stream()
                .map(o -> (JsonObject) o)
                .filter(e -> senderId.equals(e.getString("sender_id")))
                .map(e -> e.getString("url")))
        .containsExactly("https://example.com/other");
    assertThat(json(HttpMethod.POST, BASE + "/webhook", bearer(token), example).statusCode())
        .isEqualTo(200);

    HttpResponse<Buffer> get =
        json(HttpMethod.GET, BASE + "/webhook?sessionId=mySession", bearer(token), null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("status", "success")
                .put("sessionId", "mySession")
                .put("url", "https://your-webhook-receiver.com/events"));

    HttpResponse<Buffer> removed =
        json(HttpMethod.DELETE, BASE + "/webhook", bearer(token), "{\"sessionId\": \"mySession\"}");
    assertThat(removed.statusCode()).as(removed.bodyAsString()).isEqualTo(200);
    assertThat(
            client.get("/api/v1/webhooks", admin).bodyAsJsonObject().getJsonArray("data").stream()
                .map(o -> (JsonObject) o))
        .noneMatch(e -> senderId.equals(e.getString("sender_id")));
    assertThat(
            json(HttpMethod.GET, BASE + "/webhook?sessionId=mySession", bearer(token), null)
                .bodyAsJsonObject()
                .getValue("url"))
        .isNull();
  }

  private static HttpResponse<Buffer> upload(String path, String name, byte[] bytes) {
    String boundary = "seed002-boundary";
    Buffer body =
        Buffer.buffer()
            .appendString("--" + boundary + "\r\n")
            .appendString(
                "Content-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n")
            .appendString("Content-Type: application/octet-stream\r\n\r\n")
            .appendBytes(bytes)
            .appendString("\r\n--" + boundary + "--\r\n");
    return client.send(
        HttpMethod.POST, path, bearer(token), body, "multipart/form-data; boundary=" + boundary);
  }

  @Test
  @Order(5)
  void mediaUploadAnswersAMediaIdHeraldServes() {
    byte[] jpeg = new byte[2048];
    jpeg[0] = (byte) 0xFF;
    jpeg[1] = (byte) 0xD8;
    jpeg[2] = (byte) 0xFF;
    jpeg[3] = (byte) 0xE0;
    HttpResponse<Buffer> up = upload(BASE + "/media", "file.jpg", jpeg);
    assertThat(up.statusCode()).as(up.bodyAsString()).isEqualTo(201);
    JsonObject body = up.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("success");
    assertThat(body.getString("message")).isEqualTo("File uploaded successfully.");
    mediaId = body.getString("mediaId");
    assertThat(body.getString("url")).contains(mediaId);
    HttpResponse<Buffer> record = client.get("/api/v1/media/" + mediaId, admin);
    assertThat(record.statusCode()).isEqualTo(200);
    assertThat(record.bodyAsJsonObject().getString("mime_type")).isEqualTo("image/jpeg");
    // The seed's error shape for a file that is not JPEG, PNG or PDF.
    HttpResponse<Buffer> bad =
        upload(BASE + "/media", "notes.txt", "plain text".getBytes(StandardCharsets.UTF_8));
    assertThat(bad.statusCode()).isBetween(400, 499);
    assertThat(bad.bodyAsJsonObject().getString("status")).isEqualTo("error");
  }

  private static JsonArray sendExample(String body) {
    HttpResponse<Buffer> sent =
        json(HttpMethod.POST, BASE + "/messages?sessionId=mySession", bearer(token), body);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(200);
    assertThat(sent.bodyAsJsonObject().getString("status")).isEqualTo("success");
    return sent.bodyAsJsonObject().getJsonArray("results");
  }

  @Test
  @Order(6)
  void singleBulkMixedAndComboSendsLandAsWhatsAppMessages() {
    userWrites("6281234567890");
    userWrites("6289876543210");
    JsonArray single =
        sendExample(
            "{\"recipient_type\": \"individual\", \"to\": \"6281234567890\", \"type\": \"text\","
                + " \"text\": { \"body\": \"Hello from the API!\" }}");
    assertThat(single).hasSize(1);
    sentMessageId = single.getJsonObject(0).getString("messageId");
    JsonObject landed = heraldMessage(sentMessageId, "read");
    assertThat(landed.getString("to")).isEqualTo("+6281234567890");
    assertThat(landed.getString("channel")).isEqualTo("whatsapp");
    assertThat(landed.getJsonObject("content").getJsonObject("text").getString("body"))
        .isEqualTo("Hello from the API!");

    JsonArray bulk =
        sendExample(
            "[{\"recipient_type\": \"individual\", \"to\": \"6281234567890\", \"type\": \"text\","
                + " \"text\": { \"body\": \"First message\" }},"
                + " {\"recipient_type\": \"individual\", \"to\": \"6289876543210\", \"type\":"
                + " \"image\", \"image\": {\"link\": \"https://picsum.photos/200\", \"caption\":"
                + " \"This is a test image.\"}}]");
    assertThat(bulk).hasSize(2);
    assertThat(bulk.stream().map(o -> ((JsonObject) o).getString("status")))
        .containsOnly("success");
    JsonObject image = heraldMessage(bulk.getJsonObject(1).getString("messageId"), "read");
    assertThat(image.getString("to")).isEqualTo("+6289876543210");
    assertThat(image.getJsonObject("content").getString("type")).isEqualTo("image");

    JsonArray combo =
        sendExample(
            "[{\"recipient_type\": \"individual\", \"to\": \"6281234567890\", \"type\": \"text\","
                + " \"text\": { \"body\": \"Here are the files you requested:\" }},"
                + " {\"recipient_type\": \"individual\", \"to\": \"6281234567890\", \"type\":"
                + " \"image\", \"image\": {\"link\": \"https://example.com/chart.png\","
                + " \"caption\": \"Q4 Sales Chart\"}},"
                + " {\"recipient_type\": \"individual\", \"to\": \"6281234567890\", \"type\":"
                + " \"document\", \"document\": {\"link\": \"https://example.com/report.pdf\","
                + " \"mimetype\": \"application/pdf\", \"filename\": \"Q4_Report_2023.pdf\"}}]");
    assertThat(combo).hasSize(3);
    JsonObject doc = heraldMessage(combo.getJsonObject(2).getString("messageId"), "read");
    assertThat(doc.getJsonObject("content").getJsonObject("document").getString("filename"))
        .isEqualTo("Q4_Report_2023.pdf");

    // The document's "OR id": the mediaId of an upload.
    JsonArray byId =
        sendExample(
            new JsonObject()
                .put("recipient_type", "individual")
                .put("to", "6281234567890")
                .put("type", "image")
                .put("image", new JsonObject().put("id", mediaId).put("caption", "uploaded"))
                .encode());
    heraldMessage(byId.getJsonObject(0).getString("messageId"), "read");

    // Groups do not exist in the Cloud API: refused in the seed's error shape, nothing stored.
    HttpResponse<Buffer> group =
        json(
            HttpMethod.POST,
            BASE + "/messages?sessionId=mySession",
            bearer(token),
            "{\"recipient_type\": \"group\", \"to\": \"120363000000000000\", \"type\": \"text\","
                + " \"text\": {\"body\": \"x\"}}");
    assertError(group, 422);
  }

  @Test
  @Order(7)
  void deleteMessageMapsOntoCancelingTheHeraldMessage() {
    String example =
        "{\"sessionId\": \"mySession\", \"remoteJid\": \"6281234567890@s.whatsapp.net\","
            + " \"messageId\": \"3EB0D8E8D8F9A7B6\"}";
    // The seed's example id names no message of this account.
    assertError(json(HttpMethod.DELETE, BASE + "/message", bearer(token), example), 404);
    // A real one that has already been read cannot be taken back: Herald's conflict, seed shape.
    HttpResponse<Buffer> real =
        json(
            HttpMethod.DELETE,
            BASE + "/message",
            bearer(token),
            new JsonObject()
                .put("sessionId", "mySession")
                .put("remoteJid", "6281234567890@s.whatsapp.net")
                .put("messageId", sentMessageId)
                .encode());
    assertError(real, 409);
    assertThat(
            client
                .get("/api/v1/messages/" + sentMessageId, admin)
                .bodyAsJsonObject()
                .getString("status"))
        .isEqualTo("read");
  }

  @Test
  @Order(8)
  void campaignsAreCreatedListedControlledAndExported() {
    String example =
        "{\"name\": \"Marketing Campaign Q1\", \"sessionId\": \"mySession\", \"scheduledAt\":"
            + " \"2024-02-01T10:00:00Z\", \"message\": {\"type\": \"text\", \"content\": \"Hi"
            + " {{Name}}, check out our new products at {{Company}}!\"}, \"recipients\":"
            + " [{\"number\": \"+1234567890\", \"name\": \"John Doe\", \"jobTitle\": \"CEO\","
            + " \"companyName\": \"ABC Corp\"}], \"settings\": {\"delayBetweenMessages\": 3000}}";
    // The seed's text campaign is a free-form WhatsApp campaign: it reaches only recipients who
    // wrote within 24 hours (the others are skipped, outside_customer_service_window).
    HttpResponse<Buffer> text = json(HttpMethod.POST, BASE + "/campaigns", bearer(token), example);
    assertThat(text.statusCode()).as(text.bodyAsString()).isEqualTo(201);
    String textId = text.bodyAsJsonObject().getJsonObject("campaign").getString("id");
    assertThat(
            client
                .get("/api/v1/campaigns/" + textId, admin)
                .bodyAsJsonObject()
                .getJsonObject("content")
                .getJsonObject("text")
                .getString("body"))
        .startsWith("Hi {{Name}}");

    JsonObject withTemplate =
        new JsonObject(example)
            .put(
                "message",
                new JsonObject()
                    .put("type", "template")
                    .put(
                        "template",
                        new JsonObject().put("name", "hello_world").put("language", "en_US")))
            .put("scheduledAt", "2099-02-01T10:00:00Z")
            .put(
                "recipients",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("number", "+14155550100")
                            .put("name", "John Doe")
                            .put("jobTitle", "CEO")
                            .put("companyName", "ABC Corp")));
    HttpResponse<Buffer> created =
        json(HttpMethod.POST, BASE + "/campaigns", bearer(token), withTemplate.encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject campaign = created.bodyAsJsonObject().getJsonObject("campaign");
    campaignId = campaign.getString("id");
    assertThat(campaign.getString("status")).isEqualTo("scheduled");
    JsonObject inHerald = client.get("/api/v1/campaigns/" + campaignId, admin).bodyAsJsonObject();
    assertThat(inHerald.getString("channel")).isEqualTo("whatsapp");
    assertThat(inHerald.getInteger("delay_between_messages_ms")).isEqualTo(3000);

    HttpResponse<Buffer> list = json(HttpMethod.GET, BASE + "/campaigns", bearer(token), null);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    JsonObject listed =
        list.bodyAsJsonArray().stream()
            .map(o -> (JsonObject) o)
            .filter(c -> c.getString("id").equals(campaignId))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getString("name")).isEqualTo("Marketing Campaign Q1");
    assertThat(listed.getString("status")).isEqualTo("scheduled");
    assertThat(listed.getLong("recipientCount")).isEqualTo(1L);
    assertThat(listed.getJsonObject("statistics").fieldNames())
        .containsExactlyInAnyOrder("sent", "failed", "total");

    HttpResponse<Buffer> clone =
        json(HttpMethod.POST, BASE + "/campaigns/" + campaignId + "/clone", bearer(token), null);
    assertThat(clone.statusCode()).as(clone.bodyAsString()).isEqualTo(201);
    assertThat(clone.bodyAsJsonObject().getJsonObject("campaign").getString("id"))
        .isNotEqualTo(campaignId);

    // One to run now: three recipients three seconds apart (the seed's delayBetweenMessages).
    JsonArray three = new JsonArray();
    for (String n : List.of("+14155550101", "+14155550102", "+14155550103")) {
      three.add(new JsonObject().put("number", n).put("name", "N"));
    }
    JsonObject now = withTemplate.copy().put("name", "now").put("recipients", three);
    now.remove("scheduledAt");
    HttpResponse<Buffer> createdNow =
        json(HttpMethod.POST, BASE + "/campaigns", bearer(token), now.encode());
    assertThat(createdNow.statusCode()).as(createdNow.bodyAsString()).isEqualTo(201);
    String cloneId = createdNow.bodyAsJsonObject().getJsonObject("campaign").getString("id");
    for (String action : List.of("send", "pause", "resume")) {
      // A JSON content type with an empty body, as some HTTP clients send it.
      HttpResponse<Buffer> r =
          client.send(
              HttpMethod.POST,
              BASE + "/campaigns/" + cloneId + "/" + action,
              bearer(token),
              Buffer.buffer(),
              "application/json");
      assertThat(r.statusCode()).as(action + ": " + r.bodyAsString()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("success");
    }
    Await.until(
        "the campaign to complete",
        Duration.ofSeconds(60),
        () -> client.get("/api/v1/campaigns/" + cloneId, admin).bodyAsJsonObject(),
        c -> c.getString("status").equals("completed"));
    HttpResponse<Buffer> retry =
        json(HttpMethod.POST, BASE + "/campaigns/" + cloneId + "/retry", bearer(token), null);
    assertThat(retry.statusCode()).as(retry.bodyAsString()).isIn(200, 409);
    assertThat(retry.bodyAsJsonObject().getString("status")).isIn("success", "error");

    HttpResponse<Buffer> export =
        json(HttpMethod.GET, BASE + "/campaigns/" + cloneId + "/export", bearer(token), null);
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(export.bodyAsString()).contains("+14155550101").contains("+14155550103");

    HttpResponse<Buffer> deleted =
        json(HttpMethod.DELETE, BASE + "/campaigns/" + campaignId, bearer(token), null);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);
    assertThat(client.get("/api/v1/campaigns/" + campaignId, admin).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(9)
  void csvTemplateAndPreviewAnswerTheSeedsShapes() {
    HttpResponse<Buffer> template =
        json(HttpMethod.GET, BASE + "/campaigns/csv-template", bearer(token), null);
    assertThat(template.statusCode()).isEqualTo(200);
    assertThat(template.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(template.bodyAsString()).contains("phone_number");

    String csv =
        "number,name,jobTitle,companyName\n+14155550123,John Doe,CEO,ABC Corp\nnot-a-number,X,Y,Z\n";
    HttpResponse<Buffer> preview =
        upload(
            BASE + "/campaigns/preview-csv",
            "recipients.csv",
            csv.getBytes(StandardCharsets.UTF_8));
    assertThat(preview.statusCode()).as(preview.bodyAsString()).isEqualTo(200);
    JsonObject body = preview.bodyAsJsonObject();
    assertThat(body.getBoolean("success")).isTrue();
    assertThat(body.getJsonArray("recipients"))
        .containsExactly(
            new JsonObject()
                .put("number", "+14155550123")
                .put("name", "John Doe")
                .put("jobTitle", "CEO")
                .put("companyName", "ABC Corp"));
    assertThat(body.getJsonArray("errors")).hasSize(1);
  }

  @Test
  @Order(10)
  void legacyEndpointsSendWithTheSessionsKey() {
    String example =
        "{\"sessionId\": \"mySession\", \"number\": \"6281234567890\", \"message\": \"This is a"
            + " legacy message.\"}";
    // Herald sends nothing for anonymous callers, legacy or not.
    assertError(json(HttpMethod.POST, LEGACY + "/send-message", bearer(null), example), 401);
    HttpResponse<Buffer> sent =
        json(HttpMethod.POST, LEGACY + "/send-message", bearer(token), example);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(200);
    JsonObject landed = heraldMessage(sent.bodyAsJsonObject().getString("messageId"), "read");
    assertThat(landed.getJsonObject("content").getJsonObject("text").getString("body"))
        .isEqualTo("This is a legacy message.");

    String boundary = "legacy-boundary";
    Buffer form = Buffer.buffer();
    for (String[] f :
        new String[][] {
          {"phone", "6281234567890"}, {"message", "Hello from a form"}, {"sessionId", "mySession"}
        }) {
      form.appendString("--" + boundary + "\r\n")
          .appendString("Content-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n")
          .appendString(f[1] + "\r\n");
    }
    form.appendString("--" + boundary + "--\r\n");
    HttpResponse<Buffer> formSent =
        client.send(
            HttpMethod.POST,
            LEGACY + "/message",
            bearer(token),
            form,
            "multipart/form-data; boundary=" + boundary);
    assertThat(formSent.statusCode()).as(formSent.bodyAsString()).isEqualTo(200);
    JsonObject formLanded =
        heraldMessage(formSent.bodyAsJsonObject().getString("messageId"), "read");
    assertThat(formLanded.getJsonObject("content").getJsonObject("text").getString("body"))
        .isEqualTo("Hello from a form");
  }

  @Test
  @Order(11)
  void qrPairingAnswersAProblemSayingHowToConnectANumber() {
    HttpResponse<Buffer> qr =
        json(HttpMethod.GET, BASE + "/sessions/mySession/qr", bearer(token), null);
    assertThat(qr.statusCode()).isEqualTo(422);
    assertThat(qr.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = qr.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(422);
    assertThat(problem.getString("type")).isEqualTo("urn:herald:problem:qr-pairing-not-supported");
    assertThat(problem.getString("detail"))
        .contains("phone_number_id")
        .contains("docs/whatsapp.md");
  }
}
