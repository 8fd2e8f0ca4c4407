package herald.sim.android;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives the Android device simulator over HTTP as Herald's Android provider will. */
@ExtendWith(VertxExtension.class)
class AndroidDeviceSimulatorTest {
  private static final String KEY = "termux-test-key";

  private Vertx vertx;
  private WebClient client;
  private AndroidDeviceSimulator phone;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.phone = AndroidDeviceSimulator.start(vertx, AndroidSimConfig.loopback(KEY)).await();
  }

  private HttpResponse<Buffer> send(AndroidDeviceSimulator device, String key, JsonObject body) {
    return client
        .postAbs(device.baseUrl() + "/api/sms/send")
        .putHeader("X-API-Key", key)
        .sendJsonObject(body)
        .await();
  }

  private HttpResponse<Buffer> get(String path, String key) {
    var request = client.getAbs(phone.baseUrl() + path);
    if (key != null) {
      request.putHeader("X-API-Key", key);
    }
    return request.send().await();
  }

  private static JsonObject sms(String phone, String message) {
    return new JsonObject().put("phone", phone).put("message", message);
  }

  @Test
  void sendsAnSmsAndRecordsIt() {
    HttpResponse<Buffer> response = send(phone, KEY, sms("+1234567890", "Hello!"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getBoolean("success")).isTrue();
    assertThat(body.getString("message")).isEqualTo("SMS sent successfully");
    assertThat(body.getString("timestamp")).matches("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$");
    assertThat(phone.sent()).hasSize(1);
    assertThat(phone.sent().get(0).getString("phone")).isEqualTo("+1234567890");
    assertThat(phone.sent().get(0).getString("message")).isEqualTo("Hello!");
    assertThat(phone.sent().get(0).getString("at")).isNotBlank();
  }

  @Test
  void healthAnswersWithoutAKey() {
    HttpResponse<Buffer> health = get("/health", null);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("healthy");
    assertThat(health.bodyAsJsonObject().getString("version")).isEqualTo("1.0");
    assertThat(health.bodyAsJsonObject().getLong("uptime_seconds")).isGreaterThanOrEqualTo(0);
  }

  @Test
  void rejectsAMissingOrWrongKeyWith401() {
    HttpResponse<Buffer> wrong = send(phone, "wrong-key", sms("+1234567890", "Hello!"));
    HttpResponse<Buffer> missing = get("/api/device/battery", null);

    for (HttpResponse<Buffer> response : List.of(wrong, missing)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getBoolean("success")).isFalse();
      assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
    }
    assertThat(phone.sent()).isEmpty();
  }

  @Test
  void rejectsABadPhoneAnEmptyOrLongMessageAndNonJsonWith400() {
    JsonObject[] bad = {
      sms("1234567890", "Hello!"),
      sms("+0234567890", "Hello!"),
      sms("+12345", "Hello!"),
      sms("+1234567890", ""),
      sms("+1234567890", "a".repeat(1601)),
      new JsonObject().put("phone", "+1234567890"),
      new JsonObject().put("phone", 1234567890).put("message", "Hello!"),
    };
    for (JsonObject body : bad) {
      HttpResponse<Buffer> response = send(phone, KEY, body);
      assertThat(response.statusCode()).as(body.encode()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getBoolean("success")).isFalse();
      assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
    }
    HttpResponse<Buffer> form =
        client
            .postAbs(phone.baseUrl() + "/api/sms/send")
            .putHeader("X-API-Key", KEY)
            .putHeader("Content-Type", "text/plain")
            .sendBuffer(Buffer.buffer(sms("+1234567890", "Hello!").encode()))
            .await();
    assertThat(form.statusCode()).isEqualTo(400);
    assertThat(form.bodyAsJsonObject().getString("error")).contains("application/json");
    HttpResponse<Buffer> broken =
        client
            .postAbs(phone.baseUrl() + "/api/sms/send")
            .putHeader("X-API-Key", KEY)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{\"phone\":"))
            .await();
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(send(phone, KEY, sms("+1234567890", "a".repeat(1600))).statusCode()).isEqualTo(200);
    assertThat(phone.sent()).hasSize(1);
  }

  @Test
  void batteryAndSignalReflectTheDeviceState() {
    JsonObject battery = get("/api/device/battery", KEY).bodyAsJsonObject();
    assertThat(battery.getInteger("percentage")).isEqualTo(85);
    assertThat(battery.getString("status")).isEqualTo("charging");
    assertThat(battery.getDouble("temperature")).isEqualTo(32.5);
    assertThat(battery.getString("health")).isEqualTo("good");
    JsonObject signal = get("/api/device/signal", KEY).bodyAsJsonObject();
    assertThat(signal.getInteger("strength_dbm")).isEqualTo(-85);
    assertThat(signal.getInteger("level")).isEqualTo(3);
    assertThat(signal.getString("network_type")).isEqualTo("LTE");
    assertThat(signal.getString("operator")).isEqualTo("Sim Mobile");

    phone.setBattery(12, "discharging");
    phone.setSignal(-112);

    battery = get("/api/device/battery", KEY).bodyAsJsonObject();
    assertThat(battery.getInteger("percentage")).isEqualTo(12);
    assertThat(battery.getString("status")).isEqualTo("discharging");
    signal = get("/api/device/signal", KEY).bodyAsJsonObject();
    assertThat(signal.getInteger("strength_dbm")).isEqualTo(-112);
    assertThat(signal.getInteger("level")).isEqualTo(1);
    assertThatThrownBy(() -> phone.setBattery(101, "charging"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> phone.setSignal(-20)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failureRateOfOneAnswers503ModemBusy() {
    AndroidDeviceSimulator busy =
        AndroidDeviceSimulator.start(
                vertx,
                new AndroidSimConfig("127.0.0.1", 0, KEY, Duration.ZERO, 1.0, 85, "charging", -85))
            .await();

    HttpResponse<Buffer> response = send(busy, KEY, sms("+1234567890", "Hello!"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("success", false).put("error", "modem busy"));
    assertThat(busy.sent()).isEmpty();
    busy.close().await();
  }

  @Test
  void latencyDelaysApiAnswers() {
    AndroidDeviceSimulator slow =
        AndroidDeviceSimulator.start(
                vertx,
                new AndroidSimConfig(
                    "127.0.0.1", 0, KEY, Duration.ofMillis(300), 0.0, 85, "charging", -85))
            .await();
    long started = System.nanoTime();

    HttpResponse<Buffer> response = send(slow, KEY, sms("+1234567890", "Hello!"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
