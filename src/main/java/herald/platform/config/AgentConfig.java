package herald.platform.config;

import herald.platform.pacing.RetrySchedule;
import java.time.Duration;

/**
 * The AI agent workers: how they claim durable agent tasks and call the model endpoints.
 *
 * @param workerInstances agent worker verticle instances per node
 * @param batchSize most tasks one worker claims (and has in flight) at once
 * @param poll how often an idle worker looks for tasks (new tasks also wake it at once)
 * @param lease how long a claimed task stays with its worker; a task still running after this (its
 *     worker died) is claimed again
 * @param maxClaims claims of one task in all: 2 lets a crash re-run a task once more; a task whose
 *     lease runs out again is failed without a reply
 * @param maxRetries retries of one model call after a 429, a 5xx or a connection error
 * @param retrySchedule delay before each retry (whole seconds, the last repeats); a {@code
 *     Retry-After} from the model server replaces it, bounded by {@code maxRetryAfter}
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one ends the retries
 * @param breakerFailures failed calls in a row to one agent's endpoint that open its circuit
 * @param breakerReset how long an open circuit waits before one trial call
 */
public record AgentConfig(
    int workerInstances,
    int batchSize,
    @ConfigKey("poll_ms") Duration poll,
    @ConfigKey("lease_seconds") Duration lease,
    int maxClaims,
    int maxRetries,
    @ConfigKey("retry_schedule_seconds") RetrySchedule retrySchedule,
    @ConfigKey("max_retry_after_seconds") Duration maxRetryAfter,
    int breakerFailures,
    @ConfigKey("breaker_reset_seconds") Duration breakerReset) {

  static AgentConfig from(ConfigNode node) {
    return new AgentConfig(
        node.integer("worker_instances", 1, 64),
        node.integer("batch_size", 1, 1000),
        Duration.ofMillis(node.integer("poll_ms", 10, 60_000)),
        Duration.ofSeconds(node.integer("lease_seconds", 1, 86_400)),
        node.integer("max_claims", 1, 10),
        node.integer("max_retries", 0, 10),
        node.retrySchedule("retry_schedule_seconds"),
        Duration.ofSeconds(node.integer("max_retry_after_seconds", 0, 3600)),
        node.integer("breaker_failures", 1, 10_000),
        Duration.ofSeconds(node.integer("breaker_reset_seconds", 1, 3600)));
  }
}
