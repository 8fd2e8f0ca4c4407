package herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test helper that waits: it returns as soon as it can and fails saying what and why. */
class AwaitTest {

  @Test
  void untilReturnsTheFirstAcceptedValue() {
    AtomicInteger calls = new AtomicInteger();
    int value =
        Await.until("three calls", Duration.ofSeconds(5), calls::incrementAndGet, n -> n >= 3);
    assertThat(value).isEqualTo(3);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void untilFailsNamingWhatWasAwaitedAndTheLastValueSeen() {
    assertThatThrownBy(
            () ->
                Await.until("the answer", Duration.ofMillis(100), () -> "forty-one", "42"::equals))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waiting for the answer")
        .hasMessageContaining("last seen: forty-one")
        .hasMessageContaining("limit 100 ms");
  }

  @Test
  void aProbeThatThrowsEndsTheWaitAtOnce() {
    long begin = System.nanoTime();
    assertThatThrownBy(
            () ->
                Await.until(
                    "a connection",
                    Duration.ofSeconds(30),
                    () -> {
                      throw new IOException("refused");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a connection")
        .hasRootCauseInstanceOf(IOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void stillAfterFailsAsSoonAsTheConditionStopsHolding() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Await.stillAfter(
                    Duration.ofSeconds(30),
                    "fewer than three calls",
                    calls::incrementAndGet,
                    n -> n < 3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected fewer than three calls for 30000 ms")
        .hasMessageContaining("saw: 3");
  }

  @Test
  void stillAfterChecksThroughoutThePeriodAndAtItsEnd() {
    AtomicInteger calls = new AtomicInteger();
    long begin = System.nanoTime();
    int last =
        Await.stillAfter(Duration.ofMillis(200), "a counter", calls::incrementAndGet, n -> n > 0);
    assertThat(Duration.ofNanos(System.nanoTime() - begin))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(last).isEqualTo(calls.get()).isGreaterThanOrEqualTo(2);
  }
}
