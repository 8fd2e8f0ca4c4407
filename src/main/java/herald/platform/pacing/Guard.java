package herald.platform.pacing;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A circuit breaker around calls that answer a result rather than fail: a run of {@code
 * maxFailures} answers the caller calls failures (or calls that fail) opens the circuit; while it
 * is open, calls are not made and answer {@code whenOpen} at once; after {@code resetTimeout} one
 * trial call decides whether it closes again. Calls never time out here: the work bounds itself.
 *
 * <p>Use from one event loop; {@link #state()} may be read from any thread.
 *
 * @param <T> what a call answers
 */
public final class Guard<T> {
  private final Vertx vertx;
  private final String name;
  private final CircuitBreakerOptions options;
  private volatile CircuitBreaker breaker;
  private Runnable onHalfOpen;
  private final Predicate<T> isFailure;
  private final Function<Throwable, T> whenOpen;

  /** Carries a failure answer through the breaker. */
  private static final class FailedAnswer extends RuntimeException {
    final transient Object answer;

    FailedAnswer(Object answer) {
      super("failure answer", null, false, false);
      this.answer = answer;
    }
  }

  /**
   * @param isFailure which answers count as failures (they are still returned to the caller)
   * @param whenOpen the answer while the circuit is open, or for work that failed outright (its
   *     cause is passed)
   */
  public Guard(
      Vertx vertx,
      String name,
      int maxFailures,
      Duration resetTimeout,
      Predicate<T> isFailure,
      Function<Throwable, T> whenOpen) {
    this.isFailure = isFailure;
    this.whenOpen = whenOpen;
    this.vertx = vertx;
    this.name = name;
    this.options =
        new CircuitBreakerOptions()
            .setMaxFailures(maxFailures)
            .setResetTimeout(resetTimeout.toMillis())
            .setTimeout(-1)
            .setNotificationAddress(null);
    this.breaker = CircuitBreaker.create(name, vertx, options);
  }

  /** Runs {@code work} unless the circuit is open; never fails. */
  @SuppressWarnings("unchecked")
  public Future<T> call(Supplier<Future<T>> work) {
    return breaker
        .<T>execute(
            () ->
                Future.<Void>succeededFuture()
                    .compose(v -> work.get())
                    .compose(
                        answer ->
                            isFailure.test(answer)
                                ? Future.failedFuture(new FailedAnswer(answer))
                                : Future.succeededFuture(answer)))
        .recover(
            err ->
                Future.succeededFuture(
                    err instanceof FailedAnswer failed ? (T) failed.answer : whenOpen.apply(err)));
  }

  /**
   * Runs {@code action} on the event loop each time the circuit half-opens, i.e. when the next call
   * is the trial (a caller that stopped calling while it was open resumes here).
   *
   * @return this guard
   */
  public Guard<T> onHalfOpen(Runnable action) {
    onHalfOpen = action;
    breaker.halfOpenHandler(v -> action.run());
    return this;
  }

  /**
   * Closes the circuit, even an open one, and forgets the failures counted so far: for when the
   * target changed. (The vert.x breaker's own {@code reset()} leaves an open circuit open, so this
   * starts a fresh one; calls under way finish on the old one and do not count.)
   */
  public void reset() {
    CircuitBreaker old = breaker;
    breaker = CircuitBreaker.create(name, vertx, options);
    if (onHalfOpen != null) {
      Runnable action = onHalfOpen;
      breaker.halfOpenHandler(v -> action.run());
    }
    old.close();
  }

  /** True while the circuit is open (calls are refused); cheaper than {@link #state()}. */
  public boolean open() {
    return breaker.state() == io.vertx.circuitbreaker.CircuitBreakerState.OPEN;
  }

  /** {@code closed}, {@code half_open} or {@code open}. */
  public String state() {
    return breaker.state().name().toLowerCase(Locale.ROOT);
  }

  public void close() {
    breaker.close();
  }
}
