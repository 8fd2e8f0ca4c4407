package herald.channel.sms;

import herald.message.OutboundSms;
import herald.message.SendOutcome;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A provider behind a circuit breaker: a run of transient failures (timeouts, throttling, errors)
 * or of sends refused because the provider is unreachable (PAUSED, e.g. no SMPP bind) opens the
 * circuit, and while it is open sends are answered PAUSED at once, so the messages wait in the
 * queue, uncounted, instead of hammering a sick provider or being failed. After the reset timeout
 * one trial send decides whether it closes again.
 */
final class GuardedProvider implements SmsProvider {
  static final int MAX_FAILURES = 10;
  static final long RESET_TIMEOUT_MS = 5000;

  /** Transient errors about one recipient (unreachable handset), not about the provider. */
  static final java.util.Set<String> RECIPIENT_LEVEL =
      java.util.Set.of("twilio_21611", "twilio_21612");

  /** Carries a transient outcome through the breaker as a failure. */
  private static final class Transient extends RuntimeException {
    final SendOutcome outcome;

    Transient(SendOutcome outcome) {
      super(outcome.errorMessage(), null, false, false);
      this.outcome = outcome;
    }
  }

  private final SmsProvider provider;
  private final CircuitBreaker breaker;

  GuardedProvider(Vertx vertx, String name, SmsProvider provider) {
    this.provider = provider;
    this.breaker =
        CircuitBreaker.create(
            "sms-" + name,
            vertx,
            new CircuitBreakerOptions()
                .setMaxFailures(MAX_FAILURES)
                .setResetTimeout(RESET_TIMEOUT_MS)
                .setTimeout(-1) // providers time out on their own
                .setNotificationAddress(null));
  }

  @Override
  public Future<Void> start() {
    return provider.start();
  }

  @Override
  public Future<SendOutcome> send(OutboundSms m) {
    return breaker
        .<SendOutcome>execute(
            () ->
                provider
                    .send(m)
                    .compose(
                        o ->
                            o.kind() == SendOutcome.Kind.PAUSED
                                    || (o.kind() == SendOutcome.Kind.RETRY
                                        && !RECIPIENT_LEVEL.contains(o.errorCode()))
                                ? Future.failedFuture(new Transient(o))
                                : Future.succeededFuture(o)))
        .recover(
            err ->
                Future.succeededFuture(
                    err instanceof Transient t
                        ? t.outcome
                        : SendOutcome.of(
                            m.id(),
                            SendOutcome.Kind.PAUSED,
                            "circuit_open",
                            "provider circuit is open after repeated failures")));
  }

  @Override
  public int window() {
    return provider.window();
  }

  /** The breaker's state: {@code closed}, {@code half_open} or {@code open}. */
  String circuitState() {
    return breaker.state().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public JsonObject status() {
    CircuitBreakerState state = breaker.state();
    return provider.status().put("circuit", state.name().toLowerCase());
  }

  @Override
  public Future<Void> close() {
    breaker.close();
    return provider.close();
  }
}
