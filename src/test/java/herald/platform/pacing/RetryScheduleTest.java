package herald.platform.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one retry schedule: delays by retry number, the last repeating, jitter within bounds. */
class RetryScheduleTest {
  @Test
  void eachRetryGetsItsDelayAndTheLastRepeats() {
    RetrySchedule schedule = RetrySchedule.ofSeconds(5, 30, 120);
    assertThat(schedule.delay(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(schedule.delay(2)).isEqualTo(Duration.ofSeconds(30));
    assertThat(schedule.delay(3)).isEqualTo(Duration.ofSeconds(120));
    assertThat(schedule.delay(50)).isEqualTo(Duration.ofSeconds(120));
    assertThat(schedule.delay(0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(schedule.size()).isEqualTo(3);
  }

  @Test
  void jitterStaysWithinItsPercentAndZeroJitterIsTheDelay() {
    RetrySchedule schedule = RetrySchedule.ofSeconds(10);
    for (int i = 0; i < 1000; i++) {
      assertThat(schedule.jittered(1, 10).toMillis()).isBetween(9_000L, 11_000L);
    }
    assertThat(schedule.jittered(1, 0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RetrySchedule.ofSeconds(0).jittered(1, 10)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void anEmptyOrNegativeScheduleIsRefused() {
    assertThatThrownBy(() -> new RetrySchedule(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RetrySchedule.ofSeconds(1, 2))
        .isEqualTo(new RetrySchedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))));
  }
}
