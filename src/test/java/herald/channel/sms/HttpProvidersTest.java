package herald.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.android.AndroidDeviceSimulator;
import herald.sim.android.AndroidSimConfig;
import herald.sim.twilio.TwilioSimConfig;
import herald.sim.twilio.TwilioSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages through the Twilio and Android simulators over real HTTP: Twilio's signed status
 * callbacks make them delivered, Twilio's signed inbound webhook stores replies (and acts on STOP),
 * and the Android device accepts them.
 */
class HttpProvidersTest {
  private static final String SID = "AC" + "0123456789abcdef".repeat(2);
  private static final String TOKEN = "twilio-auth-token";
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static TwilioSimulator twilio;
  private static AndroidDeviceSimulator android;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    twilio = TwilioSimulator.start(herald.vertx(), TwilioSimConfig.loopback(SID, TOKEN)).await();
    android =
        AndroidDeviceSimulator.start(herald.vertx(), AndroidSimConfig.loopback("device-key"))
            .await();
  }

  @AfterAll
  static void stop() {
    twilio.close().await();
    android.close().await();
    herald.close();
  }

  private static String sender(JsonObject body) {
    HttpResponse<Buffer> created =
        client.post("/api/v1/senders", admin, body.put("rate_per_second", 50));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsString()).doesNotContain(TOKEN).doesNotContain("device-key");
    return created.bodyAsJsonObject().getString("id");
  }

  private static String send(String sender, String to) {
    HttpResponse<Buffer> sent =
        client.post(
            "/api/v1/messages",
            admin,
            new JsonObject().put("to", to).put("body", "hello over http").put("sender_id", sender));
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

  @Test
  void aTwilioMessageIsDeliveredThroughSignedStatusCallbacks() throws Exception {
    String sender =
        sender(
            new JsonObject()
                .put("name", "twilio")
                .put("provider", "twilio")
                .put(
                    "settings",
                    new JsonObject()
                        .put("account_sid", SID)
                        .put("auth_token", TOKEN)
                        .put("from", "+14155550900")
                        .put("base_url", twilio.baseUrl())));
    JsonObject delivered = await(send(sender, "+14155550901"), "delivered");
    assertThat(delivered.getString("provider_message_id")).startsWith("SM");
    assertThat(twilio.messages()).anyMatch(m -> m.getString("to").equals("+14155550901"));
  }

  @Test
  void aForgedTwilioCallbackIsRefused() {
    HttpResponse<Buffer> forged =
        client.send(
            HttpMethod.POST,
            "/webhooks/twilio/" + java.util.UUID.randomUUID() + "/status",
            MultiMap.caseInsensitiveMultiMap().add("X-Twilio-Signature", "bm90LWEtc2lnbmF0dXJl"),
            Buffer.buffer("MessageSid=SM1&MessageStatus=delivered"),
            "application/x-www-form-urlencoded");
    assertThat(forged.statusCode()).isEqualTo(403);
  }

  @Test
  void aTwilioInboundStopIsStoredBlacklistedAndAnsweredWithTwiml() {
    sender(
        new JsonObject()
            .put("name", "twilio inbound")
            .put("provider", "twilio")
            .put(
                "settings",
                new JsonObject()
                    .put("account_sid", SID)
                    .put("auth_token", TOKEN)
                    .put("from", "+14155550950")
                    .put("base_url", twilio.baseUrl())));
    String url = "http://127.0.0.1:" + herald.herald().port() + "/api/v1/inbound/twilio/sms";
    HttpResponse<Buffer> answer =
        twilio.sendInbound(url, "+14155550951", "+14155550950", "STOP").await();
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.bodyAsString()).contains("<Response>");
    assertThat(client.get("/api/v1/messages?direction=inbound", admin).bodyAsString())
        .contains("+14155550951");
    HttpResponse<Buffer> refused =
        client.post(
            "/api/v1/messages", admin, new JsonObject().put("to", "+14155550951").put("body", "x"));
    assertThat(refused.bodyAsString()).contains("blacklisted");
  }

  @Test
  void anAndroidDeviceSendsTheMessage() throws Exception {
    String sender =
        sender(
            new JsonObject()
                .put("name", "phone")
                .put("provider", "android")
                .put(
                    "settings",
                    new JsonObject()
                        .put("device_url", android.baseUrl())
                        .put("device_key", "device-key")));
    await(send(sender, "+14155550960"), "sent");
    assertThat(android.sent()).anyMatch(m -> m.getString("phone").equals("+14155550960"));
    JsonObject status =
        Await.until(
            "the device's battery in the sender status",
            Duration.ofSeconds(10),
            () -> client.get("/api/v1/senders/" + sender + "/status", admin).bodyAsJsonObject(),
            s -> s.getJsonObject("battery") != null);
    assertThat(status.getJsonObject("battery").getInteger("percentage")).isEqualTo(85);
  }
}
