package herald.sim.smpp;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link SmscSimulator}. The compact constructor validates every field and throws
 * {@link IllegalArgumentException} naming the first bad one.
 *
 * @param host interface to listen on; keep {@code 127.0.0.1} unless something off the machine must
 *     reach the simulator
 * @param port TCP port; 0 picks a free one, which is then kept across {@link SmscSimulator#pause()}
 *     and {@link SmscSimulator#resume()}
 * @param systemId the only system_id accepted in a bind (1–15 characters, the SMPP 3.4 limit);
 *     others are refused with ESME_RINVSYSID
 * @param password the only password accepted (0–8 characters, the SMPP 3.4 limit); others are
 *     refused with ESME_RINVPASWD
 * @param submitLatency delay between reading a submit_sm and writing its submit_sm_resp; zero
 *     answers at once
 * @param rejectRate fraction (0..1) of valid submit_sm answered with a transient error,
 *     ESME_RTHROTTLED (0x58) or ESME_RSYSERR (0x08), chosen at random
 * @param receiptDelay delay between the submit_sm_resp and the delivery receipt
 * @param undeliveredRate fraction (0..1) of receipts that say {@code stat:UNDELIV err:001} instead
 *     of {@code stat:DELIVRD err:000}
 * @param maxBinds bound sessions allowed at once; a further bind is refused with ESME_RBINDFAIL
 */
public record SmscConfig(
    String host,
    int port,
    String systemId,
    String password,
    Duration submitLatency,
    double rejectRate,
    Duration receiptDelay,
    double undeliveredRate,
    int maxBinds) {

  public SmscConfig {
    require(host != null && !host.isBlank(), "host must be set");
    require(port >= 0 && port <= 65535, "port must be 0..65535");
    require(systemId != null && !systemId.isEmpty(), "systemId must be set");
    // SMPP 3.4 bind fields are C-octet strings of at most 16 and 9 octets including the NUL.
    require(systemId.length() <= 15 && isAscii(systemId), "systemId must be 1-15 ASCII chars");
    require(password != null, "password must not be null");
    require(password.length() <= 8 && isAscii(password), "password must be 0-8 ASCII chars");
    require(isNonNegative(submitLatency), "submitLatency must be zero or positive");
    require(isRate(rejectRate), "rejectRate must be within 0..1");
    require(isNonNegative(receiptDelay), "receiptDelay must be zero or positive");
    require(isRate(undeliveredRate), "undeliveredRate must be within 0..1");
    require(maxBinds >= 1, "maxBinds must be at least 1");
  }

  /**
   * A loopback simulator on a free port for system_id {@code herald}, password {@code herald}: 5 ms
   * to answer a submit_sm, no rejections, receipts after 200 ms, every message delivered, up to 4
   * binds.
   */
  public static SmscConfig localDefaults() {
    return new SmscConfig(
        "127.0.0.1",
        0,
        "herald",
        "herald",
        Duration.ofMillis(5),
        0.0,
        Duration.ofMillis(200),
        0.0,
        4);
  }

  /** This configuration with another port. */
  public SmscConfig withPort(int newPort) {
    return new SmscConfig(
        host,
        newPort,
        systemId,
        password,
        submitLatency,
        rejectRate,
        receiptDelay,
        undeliveredRate,
        maxBinds);
  }

  /** This configuration with other latency, reject rate, receipt delay and undelivered rate. */
  public SmscConfig withBehaviour(
      Duration newSubmitLatency,
      double newRejectRate,
      Duration newReceiptDelay,
      double newUndeliveredRate) {
    return new SmscConfig(
        host,
        port,
        systemId,
        password,
        newSubmitLatency,
        newRejectRate,
        newReceiptDelay,
        newUndeliveredRate,
        maxBinds);
  }

  /** This configuration with another bind limit. */
  public SmscConfig withMaxBinds(int newMaxBinds) {
    return new SmscConfig(
        host,
        port,
        systemId,
        password,
        submitLatency,
        rejectRate,
        receiptDelay,
        undeliveredRate,
        newMaxBinds);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("SMSC simulator: " + message);
    }
  }

  private static boolean isNonNegative(Duration duration) {
    return Objects.nonNull(duration) && !duration.isNegative();
  }

  private static boolean isRate(double rate) {
    return rate >= 0.0 && rate <= 1.0; // false for NaN too
  }

  private static boolean isAscii(String value) {
    return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }
}
