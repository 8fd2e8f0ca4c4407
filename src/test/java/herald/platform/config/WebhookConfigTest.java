package herald.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code webhooks} settings: defaults, retry schedules in seconds, environment lists, bad
 * values.
 */
class WebhookConfigTest {
  private static Vertx vertx;

  @TempDir Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  private HeraldConfig load(String yaml, Map<String, String> env) throws Exception {
    Path file = dir.resolve("herald.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(vertx, file, true, env).await();
  }

  @Test
  void defaultsAreTheDocumentedScheduleAndSafeTargets() throws Exception {
    WebhookConfig config = load("", Map.of()).webhooks();
    assertThat(config.retrySchedule().delays())
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4),
            Duration.ofHours(8));
    assertThat(config.disableAfter()).isEqualTo(Duration.ofDays(3));
    assertThat(config.allowPrivateTargets()).isFalse();
    assertThat(config.dispatcherInstances()).isEqualTo(1);
    assertThat(config.retrySchedule().delay(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retrySchedule().delay(40)).isEqualTo(Duration.ofHours(8));
    assertThat(config.fanOutSweep()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theEnvironmentSetsAScheduleAsACommaSeparatedList() throws Exception {
    WebhookConfig config =
        load(
                "webhooks:\n  dispatcher_instances: 3\n",
                Map.of(
                    "HERALD_WEBHOOKS_RETRY_SCHEDULE_SECONDS", "0, 1,120",
                    "HERALD_WEBHOOKS_DISABLE_AFTER_SECONDS", "90",
                    "HERALD_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"))
            .webhooks();
    assertThat(config.retrySchedule().delays())
        .containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(2));
    assertThat(config.disableAfter()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.allowPrivateTargets()).isTrue();
    assertThat(config.dispatcherInstances()).isEqualTo(3);
  }

  @Test
  void badValuesStopStartUpNamingTheKey() {
    assertThatThrownBy(() -> load("webhooks:\n  retry_schedule_seconds: [5, soon]\n", Map.of()))
        .hasMessageContaining("webhooks.retry_schedule_seconds");
    // the unit-suffixed dialect of the first wave is refused: one syntax for every retry setting
    assertThatThrownBy(() -> load("webhooks:\n  retry_schedule_seconds: [5s, 2m]\n", Map.of()))
        .hasMessageContaining("webhooks.retry_schedule_seconds")
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> load("engine:\n  retry_backoff_seconds: [5, -1]\n", Map.of()))
        .hasMessageContaining("engine.retry_backoff_seconds");
    assertThatThrownBy(() -> load("webhooks:\n  retry_schedule_seconds: []\n", Map.of()))
        .hasMessageContaining("webhooks.retry_schedule_seconds");
    assertThatThrownBy(() -> load("webhooks:\n  disable_after_seconds: -1\n", Map.of()))
        .hasMessageContaining("webhooks.disable_after_seconds");
    assertThatThrownBy(() -> load("webhooks:\n  dispatcher_instances: 0\n", Map.of()))
        .hasMessageContaining("webhooks.dispatcher_instances");
    assertThatThrownBy(() -> load("webhooks:\n  retry_scheduel: [1s]\n", Map.of()))
        .hasMessageContaining("webhooks.retry_scheduel");
  }
}
