package herald.channel.sms.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Receipt;
import herald.channel.SendOutcome;
import herald.channel.SendOutcome.Kind;
import herald.sim.twilio.TwilioSimConfig;
import herald.sim.twilio.TwilioSimulator;
import herald.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives {@link TwilioProvider} and {@link TwilioCallbacks} against the Twilio simulator. */
@ExtendWith(VertxExtension.class)
class TwilioProviderTest {
  private static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
  private static final String TOKEN = "twilio-auth-token";
  private static final String FROM = "+15005550006";
  private static final String TO = "+14155552671";

  /** One status callback as it reached the local receiver. */
  private record Callback(String url, MultiMap form, String signature) {}

  private Vertx vertx;
  private Context context;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  private TwilioSimulator simulator(double failureRate, double undeliveredRate) {
    TwilioSimConfig config =
        new TwilioSimConfig(
            "127.0.0.1",
            0,
            ACCOUNT,
            TOKEN,
            Duration.ZERO,
            failureRate,
            Duration.ofMillis(50),
            undeliveredRate);
    return TwilioSimulator.start(vertx, config).await();
  }

  private static ChannelSender sender(String baseUrl, String token) {
    JsonObject settings =
        new JsonObject().put("account_sid", ACCOUNT).put("from", FROM).put("base_url", baseUrl);
    return new ChannelSender(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "twilio-test",
        "sms",
        "twilio",
        settings,
        new JsonObject().put("auth_token", token));
  }

  private static OutboundItem sms(String to, String body) {
    return new OutboundItem(UUID.randomUUID(), UUID.randomUUID(), to, FROM, body, "gsm7", 0);
  }

  /** Runs {@code work} on the channel's context and waits for its result on the test thread. */
  private <T> T onContext(Supplier<Future<T>> work) throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(
        v ->
            work.get()
                .onComplete(
                    ar -> {
                      if (Vertx.currentContext() != context) {
                        done.fail(new AssertionError("completed off the channel's context"));
                      } else {
                        done.handle(ar);
                      }
                    }));
    return done.future().await(15, TimeUnit.SECONDS);
  }

  private SendOutcome send(TwilioProvider provider, OutboundItem m) throws Exception {
    return onContext(() -> provider.send(m));
  }

  /** A local webhook receiver recording every status callback with its signature. */
  private String callbackReceiver(BlockingQueue<Callback> received) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    HttpServer[] server = new HttpServer[1];
    router
        .post("/twilio/status")
        .handler(
            ctx -> {
              String url = "http://127.0.0.1:" + server[0].actualPort() + ctx.request().uri();
              MultiMap form =
                  MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().formAttributes());
              received.add(
                  new Callback(url, form, ctx.request().getHeader(TwilioSignature.HEADER)));
              ctx.response().setStatusCode(204).end();
            });
    server[0] = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + server[0].actualPort() + "/twilio/status?sender=s1";
  }

  /**
   * Waits for the first callback whose form parses to a final receipt, checking every signature.
   */
  private static Receipt finalReceipt(BlockingQueue<Callback> received) {
    return Await.until(
        "a final status callback",
        Duration.ofSeconds(10),
        () -> {
          Callback callback = received.poll();
          if (callback == null) {
            return null;
          }
          assertThat(
                  TwilioCallbacks.verify(
                      TOKEN, callback.url(), callback.form(), callback.signature()))
              .as("signature of %s", callback.form())
              .isTrue();
          Receipt receipt = TwilioCallbacks.parseStatusCallback(callback.form());
          if (receipt == null) {
            assertThat(callback.form().get("MessageStatus")).isIn("queued", "sending", "sent");
          }
          return receipt;
        },
        receipt -> receipt != null);
  }

  @Test
  void sendsAMessageAndReturnsTheSimulatorsSid() throws Exception {
    TwilioSimulator twilio = simulator(0.0, 0.0);
    TwilioProvider provider = new TwilioProvider(sender(twilio.baseUrl(), TOKEN), context, null);
    OutboundItem m = sms(TO, "Hello from Herald");

    onContext(provider::start);
    SendOutcome outcome = send(provider, m);

    assertThat(outcome.kind()).as(outcome.toString()).isEqualTo(Kind.SENT);
    assertThat(outcome.messageId()).isEqualTo(m.id());
    assertThat(outcome.providerIds()).hasSize(1);
    String sid = outcome.providerIds().get(0);
    assertThat(sid).matches("^SM[0-9a-f]{32}$");
    assertThat(twilio.messages()).hasSize(1);
    JsonObject created = twilio.messages().get(0);
    assertThat(created.getString("sid")).isEqualTo(sid);
    assertThat(created.getString("to")).isEqualTo(TO);
    assertThat(created.getString("from")).isEqualTo(FROM);
    assertThat(created.getString("body")).isEqualTo("Hello from Herald");
    assertThat(provider.status().getInteger("last_status")).isEqualTo(201);
    assertThat(provider.status().getString("last_error")).isNull();
  }

  @Test
  void pausesTheSenderWhenTwilioRejectsItsCredentials() throws Exception {
    TwilioSimulator twilio = simulator(0.0, 0.0);
    TwilioProvider provider =
        new TwilioProvider(sender(twilio.baseUrl(), "not-the-token"), context, null);

    SendOutcome outcome = send(provider, sms(TO, "Hi"));

    assertThat(outcome.kind()).isEqualTo(Kind.PAUSED);
    assertThat(outcome.errorCode()).isEqualTo("twilio_auth");
    assertThat(twilio.messages()).isEmpty();
    JsonObject status = provider.status();
    assertThat(status.getString("connection")).isEqualTo("http");
    assertThat(status.getInteger("last_status")).isEqualTo(401);
    assertThat(status.getString("last_error")).startsWith("twilio_auth");
  }

  @Test
  void failsAMessageToAnInvalidNumberWithTwiliosCode() throws Exception {
    TwilioSimulator twilio = simulator(0.0, 0.0);
    TwilioProvider provider = new TwilioProvider(sender(twilio.baseUrl(), TOKEN), context, null);

    SendOutcome outcome = send(provider, sms("12345", "Hi"));

    assertThat(outcome.kind()).isEqualTo(Kind.FAILED);
    assertThat(outcome.errorCode()).isEqualTo("twilio_21211");
    assertThat(outcome.errorMessage()).contains("not a valid phone number");
    assertThat(twilio.messages()).isEmpty();
  }

  @Test
  void retriesWhenTheRecipientIsNotReachableNow() throws Exception {
    TwilioSimulator twilio = simulator(1.0, 0.0);
    TwilioProvider provider = new TwilioProvider(sender(twilio.baseUrl(), TOKEN), context, null);

    SendOutcome outcome = send(provider, sms(TO, "Hi"));

    assertThat(outcome.kind()).isEqualTo(Kind.RETRY);
    assertThat(outcome.errorCode()).isEqualTo("twilio_21612");
  }

  @Test
  void retriesWhenTwilioCannotBeReached() throws Exception {
    HttpServer closed =
        vertx
            .createHttpServer()
            .requestHandler(r -> r.response().end())
            .listen(0, "127.0.0.1")
            .await();
    int port = closed.actualPort();
    closed.close().await();
    TwilioProvider provider =
        new TwilioProvider(sender("http://127.0.0.1:" + port, TOKEN), context, null);

    SendOutcome outcome = send(provider, sms(TO, "Hi"));

    assertThat(outcome.kind()).isEqualTo(Kind.RETRY);
    assertThat(outcome.errorCode()).isEqualTo("twilio_unreachable");
    assertThat(provider.status().getValue("last_status")).isNull();
  }

  @Test
  void turnsASignedDeliveredCallbackIntoADeliveredReceipt() throws Exception {
    TwilioSimulator twilio = simulator(0.0, 0.0);
    BlockingQueue<Callback> received = new LinkedBlockingQueue<>();
    String callbackUrl = callbackReceiver(received);
    TwilioProvider provider =
        new TwilioProvider(sender(twilio.baseUrl(), TOKEN), context, callbackUrl);

    SendOutcome outcome = send(provider, sms(TO, "Track me"));
    Receipt receipt = finalReceipt(received);

    assertThat(outcome.kind()).isEqualTo(Kind.SENT);
    assertThat(receipt)
        .isEqualTo(new Receipt(outcome.providerIds().get(0), true, "delivered", null));
  }

  @Test
  void rejectsATamperedOrWronglyKeyedCallback() throws Exception {
    TwilioSimulator twilio = simulator(0.0, 0.0);
    BlockingQueue<Callback> received = new LinkedBlockingQueue<>();
    String callbackUrl = callbackReceiver(received);
    TwilioProvider provider =
        new TwilioProvider(sender(twilio.baseUrl(), TOKEN), context, callbackUrl);

    send(provider, sms(TO, "Track me"));
    Callback callback = received.poll(10, TimeUnit.SECONDS);

    assertThat(callback).isNotNull();
    assertThat(TwilioCallbacks.verify(TOKEN, callback.url(), callback.form(), callback.signature()))
        .isTrue();
    MultiMap tampered = MultiMap.caseInsensitiveMultiMap().addAll(callback.form());
    tampered.set("To", "+19999999999");
    assertThat(TwilioCallbacks.verify(TOKEN, callback.url(), tampered, callback.signature()))
        .isFalse();
    assertThat(
            TwilioCallbacks.verify(
                "other-token", callback.url(), callback.form(), callback.signature()))
        .isFalse();
    assertThat(
            TwilioCallbacks.verify(
                TOKEN, callback.url() + "&x=1", callback.form(), callback.signature()))
        .isFalse();
    assertThat(TwilioCallbacks.verify(TOKEN, callback.url(), callback.form(), null)).isFalse();
  }

  @Test
  void turnsAnUndeliveredCallbackIntoAFailedReceiptWithTwiliosErrorCode() throws Exception {
    TwilioSimulator twilio = simulator(0.0, 1.0);
    BlockingQueue<Callback> received = new LinkedBlockingQueue<>();
    String callbackUrl = callbackReceiver(received);
    TwilioProvider provider =
        new TwilioProvider(sender(twilio.baseUrl(), TOKEN), context, callbackUrl);

    SendOutcome outcome = send(provider, sms(TO, "Lost"));
    Receipt receipt = finalReceipt(received);

    assertThat(receipt)
        .isEqualTo(new Receipt(outcome.providerIds().get(0), false, "undelivered", "30003"));
  }

  @Test
  void ignoresIntermediateStatusesAndFormsWithoutASid() {
    for (String status : new String[] {"queued", "sending", "sent", "accepted"}) {
      MultiMap form = MultiMap.caseInsensitiveMultiMap().add("MessageSid", "SM1");
      assertThat(TwilioCallbacks.parseStatusCallback(form.add("MessageStatus", status))).isNull();
    }
    assertThat(
            TwilioCallbacks.parseStatusCallback(
                MultiMap.caseInsensitiveMultiMap().add("MessageStatus", "delivered")))
        .isNull();
    assertThat(
            TwilioCallbacks.parseStatusCallback(
                MultiMap.caseInsensitiveMultiMap()
                    .add("MessageSid", "SM2")
                    .add("MessageStatus", "failed")
                    .add("ErrorCode", "30008")))
        .isEqualTo(new Receipt("SM2", false, "failed", "30008"));
  }
}
