package herald.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.whatsapp.WhatsAppSimConfig;
import herald.sim.whatsapp.WhatsAppSimulator;
import herald.testing.Await;
import herald.testing.HeraldProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as its own JVM against the WhatsApp Cloud API simulator in this JVM,
 * kills it with SIGKILL in the middle of a WhatsApp template campaign and restarts it: the campaign
 * completes, every recipient has exactly one message, and the simulator saw each recipient at least
 * once and at most the in-flight window ({@value #WINDOW}: the sends a WhatsApp lane has under way
 * at once, {@code Provider.capacity()}) more than once in all.
 */
// At most a window sent twice holds only while outcomes are recorded; run alone, not beside
// other test classes competing for the CPU.
@Tag("serial")
class WhatsAppCampaignCrashTest {
  private static final int WINDOW = 50;
  private static final int COUNT = 2000;
  private static final String PREFIX = "14157";

  /** Seconds after which the restarted Herald takes back what the killed one left in flight. */
  private static final Map<String, String> RESTART =
      Map.of("HERALD_ENGINE_STALE_SENDING_SECONDS", "10");

  private static HeraldProcess herald;
  private static Vertx vertx;
  private static WhatsAppSimulator sim;

  @BeforeAll
  static void prepare() throws Exception {
    herald =
        new HeraldProcess(
            "wa-crash-pw",
            Map.of(
                "HERALD_SIMULATORS_ENABLED", "false",
                "HERALD_ACCESS_LOG_LEVEL", "WARN",
                "HERALD_RATE_LIMITS_OTHER_LIMIT", "100000"));
    vertx = Vertx.vertx();
    sim =
        WhatsAppSimulator.start(
                vertx,
                WhatsAppSimConfig.defaults().toBuilder()
                    .webhookUrl("http://127.0.0.1:" + herald.port() + "/webhooks/whatsapp")
                    .readRate(0)
                    .build())
            .await();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    herald.close();
    sim.close().await();
    vertx.close().await();
  }

  private static JsonObject call(String method, String path, String token, JsonObject body)
      throws Exception {
    return herald.ok(method, path, token, body);
  }

  private static void await(String what, Duration limit, Await.Condition done) {
    herald.await(what, limit, done);
  }

  private static long accepted() {
    return sim.messages().stream().filter(m -> m.getString("to").startsWith(PREFIX)).count();
  }

  @Test
  void aWhatsAppCampaignKilledMidWayCompletesWithEveryRecipientSentOnceAndAtMostAWindowTwice()
      throws Exception {
    Process first = herald.launch();
    herald.awaitReady(first);
    String token = herald.login();
    WhatsAppSimConfig config = sim.config();
    String sender =
        call(
                "POST",
                "/api/v1/senders",
                token,
                new JsonObject()
                    .put("name", "crash whatsapp")
                    .put("provider", "whatsapp_cloud")
                    .put("rate_per_second", 200)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("phone_number_id", config.phoneNumbers().get(0).id())
                            .put("waba_id", config.wabaId())
                            .put("access_token", config.accessToken())
                            .put("app_secret", config.appSecret())
                            .put("verify_token", config.verifyToken())
                            .put("graph_url", sim.baseUrl())))
            .getString("id");
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < COUNT; i++) {
      recipients.add(
          new JsonObject()
              .put("number", String.format("+%s%06d", PREFIX, i))
              .put("name", "Guest" + i)
              .put("order", "A-" + i));
    }
    JsonArray parameters =
        new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "{{name}}"))
            .add(new JsonObject().put("type", "text").put("text", "{{order}}"));
    String campaign =
        call(
                "POST",
                "/api/v1/campaigns",
                token,
                new JsonObject()
                    .put("name", "whatsapp crash")
                    .put("channel", "whatsapp")
                    .put("sender_ids", new JsonArray().add(sender))
                    .put("rate_per_second", 200)
                    .put(
                        "content",
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
                                                    .put("parameters", parameters)))))
                    .put("recipients", recipients))
            .getString("id");
    call("POST", "/api/v1/campaigns/" + campaign + "/start", token, null);
    await(
        "a third of the campaign accepted by the Cloud API",
        Duration.ofSeconds(180),
        () -> accepted() >= COUNT / 3);
    first.destroyForcibly().waitFor();
    long atKill = accepted();
    assertThat(atKill).as("killed mid-way").isLessThan(COUNT);

    Process second = herald.launch(RESTART);
    herald.awaitReady(second);
    String token2 = herald.login();
    await(
        "the campaign completed after the restart",
        Duration.ofSeconds(300),
        () ->
            "completed"
                .equals(
                    call("GET", "/api/v1/campaigns/" + campaign + "/status", token2, null)
                        .getString("status")));
    JsonObject status = call("GET", "/api/v1/campaigns/" + campaign + "/status", token2, null);
    assertThat(status.getLong("total")).isEqualTo(COUNT);
    assertThat(status.getLong("sent")).as("no recipient lost: " + status).isEqualTo(COUNT);
    JsonObject messages =
        call("GET", "/api/v1/messages/stats?campaign_id=" + campaign, token2, null);
    assertThat(messages.getLong("total")).as("one message per recipient").isEqualTo(COUNT);

    Map<String, Long> byRecipient =
        sim.messages().stream()
            .map(m -> m.getString("to"))
            .filter(to -> to.startsWith(PREFIX))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(byRecipient).as("every recipient reached Meta").hasSize(COUNT);
    long repeats = byRecipient.values().stream().mapToLong(n -> n - 1).sum();
    assertThat(repeats).as("sent twice: at most the in-flight window").isLessThanOrEqualTo(WINDOW);
    second.destroy();
    assertThat(second.waitFor()).as(herald.log()).isZero();
  }
}
