package herald;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsSamplerTest {

  @Test
  void aSlowQueueDepthCountIsTakenAtMostOnceInFiftyTimesItsDuration() {
    long took = Duration.ofMillis(240).toNanos();
    assertEquals(Duration.ofSeconds(12).toNanos(), MetricsSampler.depthPause(took));
  }

  @Test
  void aFastCountIsLeftToTheSampleInterval() {
    assertEquals(Duration.ofMillis(50).toNanos(), MetricsSampler.depthPause(1_000_000));
    assertEquals(0, MetricsSampler.depthPause(-5));
  }
}
