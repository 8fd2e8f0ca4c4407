package herald.channel.sms.android;

import static org.assertj.core.api.Assertions.assertThat;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.SendOutcome;
import herald.channel.SendOutcome.Kind;
import herald.sim.android.AndroidDeviceSimulator;
import herald.sim.android.AndroidSimConfig;
import herald.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives {@link AndroidProvider} against the Android device simulator. */
@ExtendWith(VertxExtension.class)
class AndroidProviderTest {
  private static final String KEY = "device-api-key";
  private static final String TO = "+14155552671";

  private Vertx vertx;
  private Context context;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  private AndroidDeviceSimulator device(double failureRate) {
    AndroidSimConfig config =
        new AndroidSimConfig("127.0.0.1", 0, KEY, Duration.ZERO, failureRate, 85, "charging", -85);
    return AndroidDeviceSimulator.start(vertx, config).await();
  }

  private static ChannelSender sender(String deviceUrl, String key) {
    return new ChannelSender(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "android-test",
        "sms",
        "android",
        new JsonObject().put("device_url", deviceUrl).put("phone_number", "+15551230000"),
        new JsonObject().put("device_key", key));
  }

  private static OutboundItem sms(String to, String body) {
    return new OutboundItem(
        UUID.randomUUID(), UUID.randomUUID(), to, "+15551230000", body, "gsm7", 0);
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

  /** Polls {@code status()} until it matches, for up to five seconds. */
  private static JsonObject awaitStatus(AndroidProvider provider, Predicate<JsonObject> condition) {
    return Await.until(
        "the device status to match", Duration.ofSeconds(5), provider::status, condition);
  }

  private static Integer battery(JsonObject status) {
    JsonObject battery = status.getJsonObject("battery");
    return battery == null ? null : battery.getInteger("percentage");
  }

  @Test
  void sendsThroughTheDeviceWithHeraldsIdAsProviderId() throws Exception {
    AndroidDeviceSimulator device = device(0.0);
    AndroidProvider provider = new AndroidProvider(sender(device.baseUrl(), KEY), context);
    OutboundItem m = sms(TO, "Hello from Herald");

    SendOutcome outcome = onContext(() -> provider.send(m));

    assertThat(outcome.kind()).as(outcome.toString()).isEqualTo(Kind.SENT);
    assertThat(outcome.providerIds()).isEqualTo(List.of("android-" + m.id()));
    assertThat(device.sent()).hasSize(1);
    assertThat(device.sent().get(0).getString("phone")).isEqualTo(TO);
    assertThat(device.sent().get(0).getString("message")).isEqualTo("Hello from Herald");
  }

  @Test
  void pausesTheSenderWhenTheDeviceRejectsItsKey() throws Exception {
    AndroidDeviceSimulator device = device(0.0);
    AndroidProvider provider = new AndroidProvider(sender(device.baseUrl(), "wrong-key"), context);

    SendOutcome outcome = onContext(() -> provider.send(sms(TO, "Hi")));

    assertThat(outcome.kind()).isEqualTo(Kind.PAUSED);
    assertThat(outcome.errorCode()).isEqualTo("android_auth");
    assertThat(device.sent()).isEmpty();
  }

  @Test
  void retriesWhenTheModemIsBusy() throws Exception {
    AndroidDeviceSimulator device = device(1.0);
    AndroidProvider provider = new AndroidProvider(sender(device.baseUrl(), KEY), context);

    SendOutcome outcome = onContext(() -> provider.send(sms(TO, "Hi")));

    assertThat(outcome.kind()).isEqualTo(Kind.RETRY);
    assertThat(outcome.errorCode()).isEqualTo("android_unavailable");
    assertThat(outcome.errorMessage()).isEqualTo("modem busy");
    assertThat(device.sent()).isEmpty();
  }

  @Test
  void failsAMessageTheDeviceRejectsWithItsError() throws Exception {
    AndroidDeviceSimulator device = device(0.0);
    AndroidProvider provider = new AndroidProvider(sender(device.baseUrl(), KEY), context);

    SendOutcome outcome = onContext(() -> provider.send(sms("12345", "Hi")));

    assertThat(outcome.kind()).isEqualTo(Kind.FAILED);
    assertThat(outcome.errorCode()).isEqualTo("android_rejected");
    assertThat(outcome.errorMessage()).contains("E.164");
  }

  @Test
  void retriesAndShowsOfflineWhenTheDeviceIsUnreachable() throws Exception {
    AndroidDeviceSimulator device = device(0.0);
    String url = device.baseUrl();
    device.close().await();
    AndroidProvider provider = new AndroidProvider(sender(url, KEY), context);

    SendOutcome outcome = onContext(() -> provider.send(sms(TO, "Hi")));

    assertThat(outcome.kind()).isEqualTo(Kind.RETRY);
    assertThat(outcome.errorCode()).isEqualTo("android_unreachable");
    assertThat(provider.status().getString("connection")).isEqualTo("offline");
  }

  @Test
  void reportsBatteryAndSignalFromThePeriodicRefresh() throws Exception {
    AndroidDeviceSimulator device = device(0.0);
    AndroidProvider provider = new AndroidProvider(sender(device.baseUrl(), KEY), context, 100);

    assertThat(provider.status().getValue("battery")).isNull();
    onContext(provider::start);
    JsonObject first = awaitStatus(provider, s -> s.getString("last_checked") != null);

    assertThat(first.getString("connection")).isEqualTo("online");
    assertThat(first.getJsonObject("battery").getInteger("percentage")).isEqualTo(85);
    assertThat(first.getJsonObject("battery").getString("status")).isEqualTo("charging");
    assertThat(first.getJsonObject("signal").getInteger("strength_dbm")).isEqualTo(-85);
    assertThat(first.getString("phone_number")).isEqualTo("+15551230000");

    device.setBattery(20, "discharging");
    device.setSignal(-110);
    JsonObject next = awaitStatus(provider, s -> Integer.valueOf(20).equals(battery(s)));

    assertThat(next.getJsonObject("battery").getString("status")).isEqualTo("discharging");
    assertThat(next.getJsonObject("signal").getInteger("strength_dbm")).isEqualTo(-110);

    device.close().await();
    JsonObject offline = awaitStatus(provider, s -> "offline".equals(s.getString("connection")));

    assertThat(battery(offline)).as("last known battery is kept").isEqualTo(20);
  }

  @Test
  void stopsRefreshingOnceClosed() throws Exception {
    AndroidDeviceSimulator device = device(0.0);
    AndroidProvider provider = new AndroidProvider(sender(device.baseUrl(), KEY), context, 50);

    onContext(provider::start);
    awaitStatus(provider, s -> s.getString("last_checked") != null);
    onContext(provider::close);
    device.setBattery(5, "discharging");

    // A refresh in flight at the close may still end (failing with the closed client) and stamp
    // last_checked once; none starts afterwards, so the new battery level is never seen.
    Set<String> checks = new HashSet<>();
    Await.stillAfter(
        Duration.ofMillis(450),
        "no refresh after the close (last_checked stamped once at most, battery still 85)",
        () -> {
          JsonObject status = provider.status();
          checks.add(status.getString("last_checked"));
          return status;
        },
        status -> checks.size() <= 2 && Integer.valueOf(85).equals(battery(status)));
  }
}
