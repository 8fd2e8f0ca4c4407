package herald.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.whatsapp.WhatsAppSimConfig;
import herald.sim.whatsapp.WhatsAppSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
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

  private static JsonObject status(String campaign) {
    JsonObject status = ok(client.get("/api/v1/campaigns/" + campaign + "/status", admin));
    JsonObject stats = ok(client.get("/api/v1/campaigns/" + campaign + "/stats", admin));
    return status.put("by_status", stats.getJsonObject("by_status"));
  }

  /** Until the campaign has completed and none of its messages waits for a final status. */
  private static JsonObject settled(String campaign, Duration limit) {
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
        case 7 -> recipients.add(new JsonObject().put("number", "+1415-bad-" + i));
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

    JsonObject done = settled(id, Duration.ofSeconds(90));
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
}
