package herald.sim.twilio;

import static herald.sim.twilio.TwilioApi.ACCOUNT;
import static herald.sim.twilio.TwilioApi.TOKEN;
import static herald.sim.twilio.TwilioApi.form;
import static org.assertj.core.api.Assertions.assertThat;

import herald.channel.sms.twilio.TwilioSignature;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives the Twilio simulator over HTTP as Herald's Twilio provider will. */
@ExtendWith(VertxExtension.class)
class TwilioSimulatorTest {
  private static final String FROM = "+15005550006";
  private static final String TO = "+14155552671";

  private Vertx vertx;
  private TwilioApi api;
  private TwilioSimulator twilio;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.api = new TwilioApi(vertx);
    this.twilio = api.start(Duration.ZERO, 0.0, 0.0);
  }

  private HttpResponse<Buffer> create(MultiMap form) {
    return api.create(twilio, form);
  }

  private String segmentsOf(String body) {
    HttpResponse<Buffer> response = create(form("To", TO, "From", FROM, "Body", body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("num_segments");
  }

  private JsonObject fetch(String sid) {
    return api.fetch(twilio, sid).bodyAsJsonObject();
  }

  @Test
  void createsAQueuedMessageResourceShapedLikeTwilios() {
    HttpResponse<Buffer> response = create(form("To", TO, "From", FROM, "Body", "Hello!"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject message = response.bodyAsJsonObject();
    String sid = message.getString("sid");
    assertThat(sid).matches("^SM[0-9a-f]{32}$");
    assertThat(message.getString("account_sid")).isEqualTo(ACCOUNT);
    assertThat(message.getString("to")).isEqualTo(TO);
    assertThat(message.getString("from")).isEqualTo(FROM);
    assertThat(message.getString("body")).isEqualTo("Hello!");
    assertThat(message.getString("status")).isEqualTo("queued");
    assertThat(message.getString("num_segments")).isEqualTo("1");
    assertThat(message.getString("direction")).isEqualTo("outbound-api");
    assertThat(message.getString("api_version")).isEqualTo("2010-04-01");
    assertThat(message.getString("date_created"))
        .matches(
            "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000$");
    assertThat(message.getString("uri"))
        .isEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Messages/" + sid + ".json");
    assertThat(message.containsKey("price")).isTrue();
    assertThat(message.getValue("price")).isNull();
    assertThat(message.containsKey("error_code")).isTrue();
    assertThat(message.getValue("error_code")).isNull();
    assertThat(twilio.messages()).extracting(m -> m.getString("sid")).containsExactly(sid);
  }

  @Test
  void countsSegmentsAsCarriersBillThem() {
    assertThat(segmentsOf("a".repeat(160))).isEqualTo("1");
    assertThat(segmentsOf("a".repeat(161))).isEqualTo("2");
    assertThat(segmentsOf("a".repeat(306))).isEqualTo("2");
    assertThat(segmentsOf("a".repeat(307))).isEqualTo("3");
    assertThat(segmentsOf("ж".repeat(70))).isEqualTo("1");
    assertThat(segmentsOf("ж".repeat(71))).isEqualTo("2");
    assertThat(segmentsOf("ж".repeat(134))).isEqualTo("2");
    assertThat(segmentsOf("ж".repeat(135))).isEqualTo("3");
    // € is in the GSM extension table: escape + character, two septets.
    assertThat(segmentsOf("€".repeat(80))).isEqualTo("1");
    assertThat(segmentsOf("a".repeat(159) + "€")).isEqualTo("2");
    // 306 septets fit two parts of 153 only if the escape pair may be split; it may not.
    assertThat(segmentsOf("a".repeat(152) + "€" + "a".repeat(152))).isEqualTo("3");
    // A surrogate pair is never split across two UCS-2 parts either.
    assertThat(segmentsOf("ж".repeat(66) + "😀" + "ж".repeat(66))).isEqualTo("3");
  }

  @Test
  void rejectsWrongCredentialsWithTwilioError20003() {
    MultiMap valid = form("To", TO, "From", FROM, "Body", "Hi");
    HttpResponse<Buffer> wrongToken = api.create(twilio, ACCOUNT, ACCOUNT, "not-the-token", valid);
    HttpResponse<Buffer> none = api.create(twilio, ACCOUNT, null, null, valid);
    String otherAccount = "AC" + "f".repeat(32);
    HttpResponse<Buffer> wrongPath = api.create(twilio, otherAccount, ACCOUNT, TOKEN, valid);

    for (HttpResponse<Buffer> response : new HttpResponse[] {wrongToken, none, wrongPath}) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(20003);
      assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("Authenticate");
      assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("more_info"))
          .isEqualTo("https://www.twilio.com/docs/errors/20003");
    }
    assertThat(twilio.messages()).isEmpty();
  }

  @Test
  void rejectsMissingOrInvalidParametersWithTwilioCodes() {
    Map<Integer, MultiMap> cases = new HashMap<>();
    cases.put(21604, form("From", FROM, "Body", "Hi"));
    cases.put(21211, form("To", "4155552671", "From", FROM, "Body", "Hi"));
    cases.put(21603, form("To", TO, "Body", "Hi"));
    cases.put(21602, form("To", TO, "From", FROM));
    cases.put(21617, form("To", TO, "From", FROM, "Body", "a".repeat(1601)));
    cases.put(21609, form("To", TO, "From", FROM, "Body", "Hi", "StatusCallback", "not a url"));

    cases.forEach(
        (code, form) -> {
          HttpResponse<Buffer> response = create(form);
          assertThat(response.statusCode()).as("code %d", code).isEqualTo(400);
          assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(code);
          assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(400);
        });
    HttpResponse<Buffer> json =
        api.createWithJson(
            twilio, new JsonObject().put("To", TO).put("From", FROM).put("Body", "Hi"));
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.bodyAsJsonObject().getInteger("code")).isEqualTo(21604);
    assertThat(create(form("To", TO, "From", FROM, "Body", "a".repeat(1600))).statusCode())
        .isEqualTo(201);
    assertThat(twilio.messages()).hasSize(1);
  }

  @Test
  void postsSignedStatusCallbacksSentThenDelivered() throws InterruptedException {
    WebhookReceiver receiver = WebhookReceiver.start(vertx);
    String callbackUrl = receiver.url("/twilio/status?tenant=7");
    String sid =
        create(form("To", TO, "From", FROM, "Body", "Hi", "StatusCallback", callbackUrl))
            .bodyAsJsonObject()
            .getString("sid");

    WebhookReceiver.Received sent = receiver.next();
    WebhookReceiver.Received delivered = receiver.next();

    assertThat(sent.contentType()).startsWith("application/x-www-form-urlencoded");
    assertThat(sent.form())
        .containsEntry("MessageSid", sid)
        .containsEntry("SmsSid", sid)
        .containsEntry("MessageStatus", "sent")
        .containsEntry("SmsStatus", "sent")
        .containsEntry("AccountSid", ACCOUNT)
        .containsEntry("From", FROM)
        .containsEntry("To", TO)
        .containsEntry("ApiVersion", "2010-04-01")
        .doesNotContainKey("ErrorCode");
    assertThat(delivered.form())
        .containsEntry("MessageSid", sid)
        .containsEntry("MessageStatus", "delivered")
        .doesNotContainKey("ErrorCode");
    for (WebhookReceiver.Received callback : new WebhookReceiver.Received[] {sent, delivered}) {
      assertThat(TwilioSignature.verify(TOKEN, callbackUrl, callback.form(), callback.signature()))
          .isTrue();
    }
    Map<String, String> tampered = new HashMap<>(delivered.form());
    tampered.put("MessageStatus", "undelivered");
    assertThat(TwilioSignature.verify(TOKEN, callbackUrl, tampered, delivered.signature()))
        .isFalse();
    assertThat(
            TwilioSignature.verify(
                "other-token", callbackUrl, delivered.form(), delivered.signature()))
        .isFalse();
    assertThat(
            TwilioSignature.verify(
                TOKEN, callbackUrl + "&x=1", delivered.form(), delivered.signature()))
        .isFalse();
    assertThat(fetch(sid).getString("status")).isEqualTo("delivered");
    assertThat(fetch(sid).getString("date_sent")).isNotNull();
    assertThat(twilio.messages().get(0).getString("status")).isEqualTo("delivered");
  }

  @Test
  void undeliveredRateOfOneEndsEveryMessageUndeliveredWithError30003() throws InterruptedException {
    TwilioSimulator failing = api.start(Duration.ZERO, 0.0, 1.0);
    WebhookReceiver receiver = WebhookReceiver.start(vertx);
    String callbackUrl = receiver.url("/status");
    api.create(failing, form("To", TO, "From", FROM, "Body", "Hi", "StatusCallback", callbackUrl));

    WebhookReceiver.Received sent = receiver.next();
    WebhookReceiver.Received last = receiver.next();

    assertThat(sent.form()).containsEntry("MessageStatus", "sent");
    assertThat(last.form())
        .containsEntry("MessageStatus", "undelivered")
        .containsEntry("SmsStatus", "undelivered")
        .containsEntry("ErrorCode", "30003");
    assertThat(TwilioSignature.verify(TOKEN, callbackUrl, last.form(), last.signature())).isTrue();
    assertThat(receiver.poll(200)).isNull();
    JsonObject message = failing.messages().get(0);
    assertThat(message.getString("status")).isEqualTo("undelivered");
    assertThat(message.getInteger("error_code")).isEqualTo(30003);
    failing.close().await();
  }

  @Test
  void failureRateOfOneAnswers400AndCreatesNothing() {
    TwilioSimulator failing = api.start(Duration.ZERO, 1.0, 0.0);

    HttpResponse<Buffer> response = api.create(failing, form("To", TO, "From", FROM, "Body", "Hi"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(21612);
    assertThat(failing.messages()).isEmpty();
    failing.close().await();
  }

  @Test
  void acceptsAMessagingServiceInsteadOfAFromAndAssignsASenderWhenSent()
      throws InterruptedException {
    String service = "MG" + "a".repeat(32);
    WebhookReceiver receiver = WebhookReceiver.start(vertx);
    HttpResponse<Buffer> created =
        create(
            form(
                "To",
                TO,
                "MessagingServiceSid",
                service,
                "Body",
                "Hi",
                "StatusCallback",
                receiver.url("/status")));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("messaging_service_sid")).isEqualTo(service);
    assertThat(created.bodyAsJsonObject().getValue("from")).isNull();
    assertThat(receiver.next().form())
        .containsEntry("MessagingServiceSid", service)
        .containsEntry("From", DeliveryLifecycle.POOL_SENDER);
    assertThat(create(form("To", TO, "MessagingServiceSid", "MG123", "Body", "Hi")).statusCode())
        .isEqualTo(400);
  }

  @Test
  void fetchOfAnUnknownMessageIs404With20404() {
    HttpResponse<Buffer> response = api.fetch(twilio, "SM" + "0".repeat(32));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(20404);
  }

  @Test
  void sendInboundPostsASignedTwilioFormAndReturnsTheTwiml() throws InterruptedException {
    WebhookReceiver receiver = WebhookReceiver.start(vertx);
    String url = receiver.url("/twilio/inbound");

    HttpResponse<Buffer> answer = twilio.sendInbound(url, TO, FROM, "STOP please €").await();

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.bodyAsString()).isEqualTo(WebhookReceiver.TWIML);
    WebhookReceiver.Received inbound = receiver.next();
    assertThat(inbound.form())
        .containsEntry("From", TO)
        .containsEntry("To", FROM)
        .containsEntry("Body", "STOP please €")
        .containsEntry("AccountSid", ACCOUNT)
        .containsEntry("NumMedia", "0")
        .containsEntry("SmsStatus", "received")
        .containsEntry("ApiVersion", "2010-04-01");
    assertThat(inbound.form().get("MessageSid")).matches("^SM[0-9a-f]{32}$");
    assertThat(TwilioSignature.verify(TOKEN, url, inbound.form(), inbound.signature())).isTrue();
    Map<String, String> tampered = new HashMap<>(inbound.form());
    tampered.put("Body", "START");
    assertThat(TwilioSignature.verify(TOKEN, url, tampered, inbound.signature())).isFalse();
  }

  @Test
  void latencyDelaysEveryAnswer() {
    TwilioSimulator slow = api.start(Duration.ofMillis(300), 0.0, 0.0);
    long started = System.nanoTime();

    HttpResponse<Buffer> response = api.create(slow, form("To", TO, "From", FROM, "Body", "Hi"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
