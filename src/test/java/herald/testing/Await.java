package herald.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waiting in tests for something that happens asynchronously, and checking that something does not
 * happen for a while. Every wait is bounded and named: a failure says what was awaited (or expected
 * to hold), for how long, and the last value seen.
 *
 * <p>Probes run on the calling thread every {@link #INTERVAL}. An exception a probe throws ends the
 * wait at once (checked ones wrapped in {@link IllegalStateException}); a probe that must tolerate
 * "not yet" (a refused connection, say) catches it and returns a value saying so.
 */
public final class Await {
  /** How often a probe is called. */
  public static final Duration INTERVAL = Duration.ofMillis(25);

  /** Reads the value a wait looks at; may throw. */
  @FunctionalInterface
  public interface Probe<T> {
    T get() throws Exception;
  }

  /** A yes/no question a wait asks again and again; may throw. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  /**
   * Calls {@code probe} until {@code done} accepts its value, for up to {@code timeout}.
   *
   * @return the accepted value
   * @throws AssertionError on timeout, naming {@code what} and the last value seen
   */
  public static <T> T until(
      String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) {
    long begin = System.nanoTime();
    long deadline = begin + timeout.toNanos();
    while (true) {
      T value = call(what, probe);
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "Timed out after "
                + millis(System.nanoTime() - begin)
                + " ms (limit "
                + timeout.toMillis()
                + " ms) waiting for "
                + what
                + "; last seen: "
                + value);
      }
      pause(what);
    }
  }

  /** {@link #until(String, Duration, Probe, Predicate)} for a condition without a value. */
  public static void until(String what, Duration timeout, Condition condition) {
    until(what, timeout, condition::holds, Boolean::booleanValue);
  }

  /**
   * Checks that {@code holds} accepts the value of {@code probe} now and throughout {@code period},
   * checking every {@link #INTERVAL} and once more at the end: for asserting that something does
   * not happen.
   *
   * @return the last value seen
   * @throws AssertionError as soon as a value is refused, naming {@code what}, when, and the value
   */
  public static <T> T stillAfter(
      Duration period, String what, Probe<T> probe, Predicate<? super T> holds) {
    long begin = System.nanoTime();
    long end = begin + period.toNanos();
    while (true) {
      boolean last = System.nanoTime() - end >= 0;
      T value = call(what, probe);
      if (!holds.test(value)) {
        throw new AssertionError(
            "Expected "
                + what
                + " for "
                + period.toMillis()
                + " ms, but after "
                + millis(System.nanoTime() - begin)
                + " ms saw: "
                + value);
      }
      if (last) {
        return value;
      }
      long left = end - System.nanoTime();
      if (left > 0) {
        pause(what, Math.min(left, INTERVAL.toNanos()));
      }
    }
  }

  /** {@link #stillAfter(Duration, String, Probe, Predicate)} for a condition without a value. */
  public static void stillAfter(Duration period, String what, Condition condition) {
    stillAfter(period, what, condition::holds, Boolean::booleanValue);
  }

  private static <T> T call(String what, Probe<T> probe) {
    try {
      return probe.get();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking " + what, e);
    } catch (Exception e) {
      throw new IllegalStateException("Checking " + what + " failed", e);
    }
  }

  private static void pause(String what) {
    pause(what, INTERVAL.toNanos());
  }

  private static void pause(String what, long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + what, e);
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
