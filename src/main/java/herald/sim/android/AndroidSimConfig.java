package herald.sim.android;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one {@link AndroidDeviceSimulator}. Validated on construction: an invalid value fails
 * fast with {@link IllegalArgumentException}.
 *
 * @param host interface to bind, normally {@code 127.0.0.1}
 * @param port TCP port; {@code 0} picks a free one (the real device app uses 5001)
 * @param apiKey the Termux API key expected in {@code X-API-Key}
 * @param latency added before every {@code /api} answer; zero for none
 * @param failureRate fraction (0..1) of valid sends answered 503 {@code modem busy}
 * @param batteryPercent initial battery level, 0..100
 * @param batteryStatus initial battery status: one of {@link #BATTERY_STATUSES}
 * @param signalDbm initial signal strength in dBm, -140..-44 (the LTE RSRP range)
 */
public record AndroidSimConfig(
    String host,
    int port,
    String apiKey,
    Duration latency,
    double failureRate,
    int batteryPercent,
    String batteryStatus,
    int signalDbm) {

  /** Battery statuses the device reports (Android's BatteryManager states, lower case). */
  public static final Set<String> BATTERY_STATUSES =
      Set.of("charging", "discharging", "full", "not_charging", "unknown");

  /** Validates every field; see the record's parameters. */
  public AndroidSimConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(latency, "latency");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
      throw new IllegalArgumentException("failureRate must be within 0..1, was " + failureRate);
    }
    checkBattery(batteryPercent, batteryStatus);
    checkSignal(signalDbm);
  }

  /**
   * A healthy phone on a free loopback port: answers at once, never fails, battery 85 % charging,
   * signal -85 dBm.
   */
  public static AndroidSimConfig loopback(String apiKey) {
    return new AndroidSimConfig("127.0.0.1", 0, apiKey, Duration.ZERO, 0.0, 85, "charging", -85);
  }

  static void checkBattery(int percent, String status) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("battery percent must be 0..100, was " + percent);
    }
    if (status == null || !BATTERY_STATUSES.contains(status)) {
      throw new IllegalArgumentException(
          "battery status must be one of " + BATTERY_STATUSES + ", was " + status);
    }
  }

  static void checkSignal(int dbm) {
    if (dbm < -140 || dbm > -44) {
      throw new IllegalArgumentException("signal must be -140..-44 dBm, was " + dbm);
    }
  }
}
