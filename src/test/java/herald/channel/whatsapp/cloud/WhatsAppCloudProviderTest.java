package herald.channel.whatsapp.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.SendOutcome;
import herald.sim.whatsapp.WhatsAppSimConfig;
import herald.sim.whatsapp.WhatsAppSimConfig.WindowErrors;
import herald.sim.whatsapp.WhatsAppSimulator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives {@link WhatsAppCloudProvider} against the strict Cloud API simulator: what each Cloud API
 * error becomes, and that the request passes the simulator's checks (envelope, User-Agent).
 */
@ExtendWith(VertxExtension.class)
class WhatsAppCloudProviderTest {
  private Vertx vertx;
  private Context context;
  private WhatsAppSimulator sim;
  private Provider provider;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    if (provider != null) {
      onContext(provider::close);
    }
    if (sim != null) {
      sim.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void open(WhatsAppSimConfig config, String token) {
    sim = WhatsAppSimulator.start(vertx, config).await();
    JsonObject settings =
        new JsonObject()
            .put("phone_number_id", config.phoneNumbers().get(0).id())
            .put("waba_id", config.wabaId())
            .put("verify_token", "v")
            .put("graph_url", sim.baseUrl())
            .put("api_version", "v23.0");
    ChannelSender sender =
        new ChannelSender(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "wa-test",
            "whatsapp",
            "whatsapp_cloud",
            settings,
            new JsonObject().put("access_token", token).put("app_secret", "s"));
    WhatsAppCloudType type = new WhatsAppCloudType();
    provider = new WhatsAppCloudProvider(sender, type.settings(sender), context);
  }

  private static OutboundItem text(String to) {
    return new OutboundItem(
        UUID.randomUUID(),
        UUID.randomUUID(),
        to,
        null,
        "hello",
        null,
        1,
        new JsonObject().put("type", "text").put("text", new JsonObject().put("body", "hello")));
  }

  private static OutboundItem template(String to) {
    return new OutboundItem(
        UUID.randomUUID(),
        UUID.randomUUID(),
        to,
        null,
        "",
        null,
        1,
        new JsonObject()
            .put("type", "template")
            .put(
                "template",
                new JsonObject()
                    .put("name", "hello_world")
                    .put("language", new JsonObject().put("code", "en_US"))));
  }

  private <T> T onContext(Supplier<Future<T>> work) throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return done.future().await(15, TimeUnit.SECONDS);
  }

  @Test
  void anAcceptedMessageIsSentWithTheWamid() throws Exception {
    open(WhatsAppSimConfig.defaults(), WhatsAppSimConfig.defaults().accessToken());
    SendOutcome outcome = onContext(() -> provider.send(template("+14155554001")));
    assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.SENT);
    assertThat(outcome.providerIds()).singleElement().asString().startsWith("wamid.");
    assertThat(GraphClient.USER_AGENT).matches("Herald/[0-9]+\\.[0-9]+\\.[0-9]+");
  }

  @Test
  void aBadTokenPausesTheSenderAndCountsAgainstItsCircuit() throws Exception {
    open(WhatsAppSimConfig.defaults(), "not-the-token");
    SendOutcome outcome = onContext(() -> provider.send(template("+14155554002")));
    assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.PAUSED);
    assertThat(outcome.errorCode()).isEqualTo("whatsapp_auth");
    assertThat(provider.isProviderFailure(outcome)).isTrue();
  }

  @Test
  void aFreeFormMessageOutsideTheWindowFailsWithThatReason() throws Exception {
    open(
        WhatsAppSimConfig.defaults().toBuilder().windowErrors(WindowErrors.RESPONSE).build(),
        WhatsAppSimConfig.defaults().accessToken());
    SendOutcome outcome = onContext(() -> provider.send(text("+14155554003")));
    assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
    assertThat(outcome.errorCode()).isEqualTo("outside_customer_service_window");
    assertThat(outcome.errorMessage()).contains("131047");
  }

  @Test
  void theThroughputLimitBacksOff() throws Exception {
    open(
        WhatsAppSimConfig.defaults().toBuilder().messagesPerSecond(1).build(),
        WhatsAppSimConfig.defaults().accessToken());
    SendOutcome first = onContext(() -> provider.send(template("+14155554004")));
    SendOutcome second = onContext(() -> provider.send(template("+14155554004")));
    assertThat(first.kind()).isEqualTo(SendOutcome.Kind.SENT);
    assertThat(second.kind()).isEqualTo(SendOutcome.Kind.RETRY);
    assertThat(second.errorCode()).isEqualTo("whatsapp_130429");
  }

  @Test
  void cloudApiErrorsMapToOutcomes() {
    assertThat(CloudErrors.kind(400, 131056)).isEqualTo(SendOutcome.Kind.RETRY);
    assertThat(CloudErrors.kind(400, 131026)).isEqualTo(SendOutcome.Kind.FAILED);
    assertThat(CloudErrors.code(131026)).isEqualTo("undeliverable");
    assertThat(CloudErrors.kind(401, 190)).isEqualTo(SendOutcome.Kind.PAUSED);
    assertThat(CloudErrors.kind(500, 131000)).isEqualTo(SendOutcome.Kind.RETRY);
    assertThat(CloudErrors.kind(400, 100)).isEqualTo(SendOutcome.Kind.FAILED);
  }
}
