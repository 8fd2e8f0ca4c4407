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
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WhatsApp campaigns end to end against the Cloud API simulator: every recipient of a template
 * campaign with per-recipient parameters ends sent, failed with Meta's reason or skipped with
 * Herald's (the small version of {@code bench/whatsapp-campaign.sh}).
 */
class WhatsAppCampaignTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static WhatsAppSimulator sim;
  private static String senderId;

  /** Numbers the simulator reports undeliverable (error 131026), by recipient index. */
  private static final Set<Integer> UNDELIVERABLE = Set.of(50, 150, 250, 350);

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject().put("simulators", new JsonObject().put("enabled", false)));
    client = herald.client();
    admin = client.loginAdmin();
    WhatsAppSimConfig config =
        WhatsAppSimConfig.defaults().toBuilder()
            .webhookUrl("http://127.0.0.1:" + herald.herald().port() + "/webhooks/whatsapp")
            .statusDelays(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50))
            .readRate(0.5)
            // Statuses must not be lost while the machine is busy: a failed message reported late
            // is still failed.
            .webhookRetries(6, Duration.ofMillis(500))
            .undeliverableNumbers(
                UNDELIVERABLE.stream().map(i -> number(i).substring(1)).collect(Collectors.toSet()))
            .build();
    sim = WhatsAppSimulator.start(herald.vertx(), config).await();
    senderId =
        ok(client.post(
                "/api/v1/senders",
                admin,
                new JsonObject()
                    .put("name", "whatsapp campaigns")
                    .put("provider", "whatsapp_cloud")
                    .put("rate_per_second", 40)
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
                                "+" + config.phoneNumbers().get(0).displayPhoneNumber()))))
            .getString("id");
  }

  @AfterAll
  static void stop() {
    sim.close().await();
    herald.close();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 299);
    return response.bodyAsJsonObject();
  }

  static String number(int i) {
    return String.format("+1415%07d", 6_000_000 + i);
  }

  private static JsonObject text(String value) {
    return new JsonObject().put("type", "text").put("text", value);
  }

  /**
   * The campaign's counts and its messages by status, from one response: the stats carry both, read
   * by one query, so a status report committed between two requests cannot make them disagree.
   */
  private static JsonObject status(String campaign) {
    return ok(client.get("/api/v1/campaigns/" + campaign + "/stats", admin));
  }

  /**
   * Until the campaign has completed, none of its messages is still queued or being sent, and at
   * least {@code failures} have been reported failed (Meta's failed statuses come a moment after
   * the send).
   */
  private static JsonObject settled(String campaign, long failures, Duration limit) {
    return Await.until(
        "campaign " + campaign + " completed with every status final",
        limit,
        () -> status(campaign),
        s -> {
          JsonObject by = s.getJsonObject("by_status");
          return "completed".equals(s.getString("status"))
              && by.getLong("queued", 0L) + by.getLong("sending", 0L) + by.getLong("sent", 0L) == 0;
        });
  }

  @Test
  void everyRecipientOfATemplateCampaignIsSentFailedWithMetasReasonOrSkippedWithOurs() {
    int count = 400;
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < count; i++) {
      switch (i % 100) {
        case 7 -> recipients.add(new JsonObject().put("number", "+0" + i));
        case 13 -> {
          ok(
              client.post(
                  "/api/v1/blacklist",
                  admin,
                  new JsonObject().put("phone_number", number(i)).put("reason", "opted out")));
          recipients.add(
              new JsonObject().put("number", number(i)).put("name", "Guest" + i).put("order", i));
        }
        case 21 -> recipients.add(new JsonObject().put("number", number(i)).put("order", i));
        default ->
            recipients.add(
                new JsonObject().put("number", number(i)).put("name", "Guest" + i).put("order", i));
      }
    }
    JsonObject content =
        new JsonObject()
            .put("type", "template")
            .put(
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
                                            .add(text("A-{{order}}"))))));
    String id =
        ok(client.post(
                "/api/v1/campaigns",
                admin,
                new JsonObject()
                    .put("name", "wa accounting")
                    .put("channel", "whatsapp")
                    .put("sender_ids", new JsonArray().add(senderId))
                    .put("rate_per_second", 40)
                    .put("missing_variables", "skip")
                    .put("content", content)
                    .put("recipients", recipients)))
            .getString("id");
    ok(client.post("/api/v1/campaigns/" + id + "/start", admin, new JsonObject()));

    JsonObject done = settled(id, 4, Duration.ofSeconds(120));
    assertThat(done.getLong("total")).isEqualTo(count);
    assertThat(done.getJsonObject("skipped_by_reason").getMap())
        .isEqualTo(Map.of("invalid_number", 4, "blacklisted", 4, "missing_variable", 4));
    assertThat(done.getLong("failed")).isEqualTo(4L);
    assertThat(done.getJsonObject("failed_by_reason").getMap())
        .isEqualTo(Map.of("undeliverable", 4));
    assertThat(done.getLong("sent")).isEqualTo(count - 12 - 4);
    assertThat(done.getLong("delivered")).as("read ones included").isEqualTo(count - 12 - 4);
    assertThat(done.getLong("sent") + done.getLong("failed") + done.getLong("skipped"))
        .as("every recipient accounted for")
        .isEqualTo(count);

    List<JsonObject> accepted =
        sim.messages().stream().filter(m -> m.getString("to").startsWith("14156")).toList();
    assertThat(accepted).hasSize(count - 12);
    Set<String> seen = new HashSet<>();
    for (JsonObject m : accepted) {
      assertThat(seen.add(m.getString("to"))).as("sent once: " + m.getString("to")).isTrue();
      int i = (int) (Long.parseLong(m.getString("to")) - 14_156_000_000L);
      JsonArray parameters =
          m.getJsonObject("request")
              .getJsonObject("template")
              .getJsonArray("components")
              .getJsonObject(0)
              .getJsonArray("parameters");
      assertThat(parameters.getJsonObject(0).getString("text")).isEqualTo("Guest" + i);
      assertThat(parameters.getJsonObject(1).getString("text")).isEqualTo("A-" + i);
      assertThat(i % 100).isNotIn(7, 13, 21);
    }
  }

  /** A user writes to the business number (opening the 24-hour window for free-form messages). */
  private static void userWrites(String number) {
    JsonObject answer =
        sim.inbound(
                new JsonObject()
                    .put("from", number.substring(1))
                    .put("type", "text")
                    .put("text", new JsonObject().put("body", "hello")))
            .await();
    assertThat(answer.getInteger("webhook_status")).isEqualTo(200);
  }

  private static String campaign(String name, JsonObject content, JsonArray recipients) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/campaigns",
            admin,
            new JsonObject()
                .put("name", name)
                .put("channel", "whatsapp")
                .put("sender_ids", new JsonArray().add(senderId))
                .put("rate_per_second", 40)
                .put("content", content)
                .put("recipients", recipients));
    String id = ok(created).getString("id");
    ok(client.post("/api/v1/campaigns/" + id + "/start", admin, new JsonObject()));
    return id;
  }

  private static JsonObject request(String number) {
    List<JsonObject> sent =
        sim.messages().stream().filter(m -> m.getString("to").equals(number.substring(1))).toList();
    assertThat(sent).as("messages to " + number).hasSize(1);
    return sent.get(0).getJsonObject("request");
  }

  @Test
  void freeFormCampaignsReachOnlyRecipientsInsideTheServiceWindowAndSkipTheOthers() {
    int base = 1000;
    JsonArray recipients = new JsonArray();
    for (int i = base; i < base + 4; i++) {
      recipients.add(
          new JsonObject().put("number", number(i)).put("name", "Ann" + i).put("order", "A-" + i));
    }
    userWrites(number(base));
    userWrites(number(base + 1));

    String text =
        campaign(
            "wa text",
            new JsonObject()
                .put("type", "text")
                .put(
                    "text",
                    new JsonObject().put("body", "Hi {{name}}, order {{order}} is {state|ready}")),
            recipients);
    JsonObject textDone = settled(text, 0, Duration.ofSeconds(60));
    assertThat(textDone.getLong("sent")).isEqualTo(2L);
    assertThat(textDone.getLong("failed")).isZero();
    assertThat(textDone.getJsonObject("skipped_by_reason").getMap())
        .isEqualTo(Map.of("outside_customer_service_window", 2));
    assertThat(request(number(base)).getJsonObject("text").getString("body"))
        .isEqualTo("Hi Ann1000, order A-1000 is ready");
    assertThat(sim.messages().stream().map(m -> m.getString("to")))
        .doesNotContain(number(base + 2).substring(1), number(base + 3).substring(1));

    // An image uploaded to Herald, its caption rendered per recipient.
    HttpResponse<Buffer> uploaded = upload(jpeg());
    String mediaId = ok(uploaded).getString("id");
    JsonObject image =
        new JsonObject()
            .put("type", "image")
            .put("image", new JsonObject().put("media_id", mediaId).put("caption", "For {{name}}"));
    String images = campaign("wa image", image, recipients);
    JsonObject imageDone = settled(images, 0, Duration.ofSeconds(60));
    assertThat(imageDone.getLong("sent")).isEqualTo(2L);
    assertThat(imageDone.getJsonObject("skipped_by_reason").getMap())
        .isEqualTo(Map.of("outside_customer_service_window", 2));
    JsonObject sentImage =
        sim.messages().stream()
            .filter(m -> m.getString("to").equals(number(base + 1).substring(1)))
            .filter(m -> m.getString("type").equals("image"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("request")
            .getJsonObject("image");
    assertThat(sentImage.getString("caption")).isEqualTo("For Ann1001");
    assertThat(sentImage.getString("id")).isNotBlank();

    // A document by link; a template to the same audience goes to everyone.
    JsonObject document =
        new JsonObject()
            .put("type", "document")
            .put(
                "document",
                new JsonObject()
                    .put("link", "https://example.com/invoice.pdf")
                    .put("filename", "invoice.pdf")
                    .put("caption", "Invoice {{order}}"));
    JsonObject documentDone =
        settled(campaign("wa document", document, recipients), 0, Duration.ofSeconds(60));
    assertThat(documentDone.getLong("sent")).isEqualTo(2L);
    assertThat(documentDone.getLong("skipped")).isEqualTo(2L);
    JsonObject template =
        new JsonObject()
            .put("type", "template")
            .put("template", new JsonObject().put("name", "hello_world").put("language", "en_US"));
    JsonObject templateDone =
        settled(campaign("wa template", template, recipients), 0, Duration.ofSeconds(60));
    assertThat(templateDone.getLong("sent")).as("templates need no window").isEqualTo(4L);
    assertThat(templateDone.getLong("skipped")).isZero();

    // A Herald media id needs the campaign to name the sender the file was uploaded for.
    HttpResponse<Buffer> noSender =
        client.post(
            "/api/v1/campaigns",
            admin,
            new JsonObject()
                .put("name", "wa image, no sender")
                .put("channel", "whatsapp")
                .put("content", image)
                .put("recipients", recipients));
    assertThat(noSender.statusCode()).as(noSender.bodyAsString()).isEqualTo(422);
    assertThat(noSender.bodyAsString())
        .contains("unknown_media")
        .contains("content.image.media_id");
  }

  private static HttpResponse<Buffer> upload(byte[] bytes) {
    String boundary = "herald-test-boundary";
    Buffer body =
        Buffer.buffer()
            .appendString("--" + boundary + "\r\n")
            .appendString("Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n")
            .appendString("Content-Type: application/octet-stream\r\n\r\n")
            .appendBytes(bytes)
            .appendString("\r\n--" + boundary + "--\r\n");
    return client.send(
        HttpMethod.POST,
        "/api/v1/media",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
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
}
