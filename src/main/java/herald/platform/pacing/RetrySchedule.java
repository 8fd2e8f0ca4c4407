package herald.platform.pacing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A retry schedule: the delay before each retry, the last one repeating for as many retries as the
 * caller allows. Every retry setting in the configuration is one of these, written the same way (a
 * list of whole seconds, see {@code ConfigNode#retrySchedule}): the engine's send retries and the
 * webhook delivery retries. Immutable and safe to share.
 */
public final class RetrySchedule {
  private final List<Duration> delays;

  /**
   * @param delays at least one, none negative
   * @throws IllegalArgumentException otherwise
   */
  public RetrySchedule(List<Duration> delays) {
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("a retry schedule needs at least one delay");
    }
    if (delays.stream().anyMatch(Duration::isNegative)) {
      throw new IllegalArgumentException("retry delays cannot be negative: " + delays);
    }
    this.delays = List.copyOf(delays);
  }

  /** A schedule of whole seconds, for tests and defaults written in code. */
  public static RetrySchedule ofSeconds(long... seconds) {
    return new RetrySchedule(
        java.util.Arrays.stream(seconds).mapToObj(Duration::ofSeconds).toList());
  }

  public List<Duration> delays() {
    return delays;
  }

  /** How many delays the schedule lists (not how many retries it allows: the last repeats). */
  public int size() {
    return delays.size();
  }

  /** The delay before retry number {@code retry} (1-based; past the end, the last delay). */
  public Duration delay(int retry) {
    return delays.get(Math.min(delays.size(), Math.max(1, retry)) - 1);
  }

  /**
   * {@link #delay} spread at random by up to ±{@code jitterPercent} percent, at least 1 ms, so
   * retries of many failures at once do not arrive together.
   */
  public Duration jittered(int retry, int jitterPercent) {
    long base = delay(retry).toMillis();
    if (jitterPercent <= 0) {
      return Duration.ofMillis(Math.max(1, base));
    }
    double spread = jitterPercent / 100.0;
    double factor = 1 + ThreadLocalRandom.current().nextDouble(-spread, spread);
    return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RetrySchedule s && s.delays.equals(delays);
  }

  @Override
  public int hashCode() {
    return delays.hashCode();
  }

  @Override
  public String toString() {
    return delays.stream().map(d -> Long.toString(d.toSeconds())).toList().toString();
  }
}
