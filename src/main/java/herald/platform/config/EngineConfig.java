package herald.platform.config;

import herald.platform.pacing.RetrySchedule;
import java.time.Duration;

/**
 * The campaign/send engine.
 *
 * @param instances engine verticle instances; each sender is paced by exactly one of them
 * @param batchSize most messages claimed and handed to a channel at once
 * @param maxAttempts attempts before a transiently failing message is marked failed
 * @param retryBackoff delay before each retry (the last one repeats), in whole seconds like every
 *     retry setting
 * @param staleSending how long a claimed message may stay in flight before it is assumed lost
 *     (crash) and queued again
 * @param guardMaxFailures transient failures in a row (or sends refused because the provider is
 *     unreachable) that open a sender's circuit
 * @param guardReset how long an open circuit waits before one trial send
 */
public record EngineConfig(
    int instances,
    int batchSize,
    int maxAttempts,
    @ConfigKey("retry_backoff_seconds") RetrySchedule retryBackoff,
    @ConfigKey("stale_sending_seconds") Duration staleSending,
    int guardMaxFailures,
    @ConfigKey("guard_reset_seconds") Duration guardReset) {

  static EngineConfig from(ConfigNode node) {
    return new EngineConfig(
        node.integer("instances", 1, 64),
        node.integer("batch_size", 1, 10_000),
        node.integer("max_attempts", 1, 100),
        node.retrySchedule("retry_backoff_seconds"),
        Duration.ofSeconds(node.integer("stale_sending_seconds", 5, 86_400)),
        node.integer("guard_max_failures", 1, 10_000),
        Duration.ofSeconds(node.integer("guard_reset_seconds", 1, 3600)));
  }

  /** The delay before retry number {@code attempt} (1-based). */
  public Duration backoff(int attempt) {
    return retryBackoff.delay(attempt);
  }
}
