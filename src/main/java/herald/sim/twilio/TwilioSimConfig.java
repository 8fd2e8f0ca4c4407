package herald.sim.twilio;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of one {@link TwilioSimulator}. Validated on construction: an invalid value fails fast
 * with {@link IllegalArgumentException}.
 *
 * @param host interface to bind, normally {@code 127.0.0.1}
 * @param port TCP port; {@code 0} picks a free one (read it back with {@link
 *     TwilioSimulator#port()})
 * @param accountSid the one account the simulator serves: {@code AC} followed by 32 hex digits
 * @param authToken the account's auth token: the Basic-auth password and the key of every {@code
 *     X-Twilio-Signature}
 * @param latency added before every API answer; zero for none
 * @param failureRate fraction (0..1) of valid create requests answered 400 with Twilio error 21612
 *     (recipient not reachable) instead of creating a message
 * @param callbackDelay time from the 201 to the {@code sent} transition and from {@code sent} to
 *     the final status
 * @param undeliveredRate fraction (0..1) of created messages that end {@code undelivered} with
 *     error 30003 instead of {@code delivered}
 */
public record TwilioSimConfig(
    String host,
    int port,
    String accountSid,
    String authToken,
    Duration latency,
    double failureRate,
    Duration callbackDelay,
    double undeliveredRate) {

  private static final Pattern ACCOUNT_SID = Pattern.compile("^AC[0-9a-fA-F]{32}$");

  /** Validates every field; see the record's parameters. */
  public TwilioSimConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(accountSid, "accountSid");
    Objects.requireNonNull(authToken, "authToken");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(callbackDelay, "callbackDelay");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (!ACCOUNT_SID.matcher(accountSid).matches()) {
      throw new IllegalArgumentException("accountSid must be AC followed by 32 hex digits");
    }
    if (authToken.isBlank()) {
      throw new IllegalArgumentException("authToken must not be blank");
    }
    if (latency.isNegative() || callbackDelay.isNegative()) {
      throw new IllegalArgumentException("latency and callbackDelay must not be negative");
    }
    requireFraction("failureRate", failureRate);
    requireFraction("undeliveredRate", undeliveredRate);
  }

  /**
   * A simulator on a free loopback port that answers at once, never fails, and moves each message
   * to {@code sent} and then {@code delivered} 200 ms apart.
   */
  public static TwilioSimConfig loopback(String accountSid, String authToken) {
    return new TwilioSimConfig(
        "127.0.0.1", 0, accountSid, authToken, Duration.ZERO, 0.0, Duration.ofMillis(200), 0.0);
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be within 0..1, was " + value);
    }
  }
}
