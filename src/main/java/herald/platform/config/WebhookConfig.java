package herald.platform.config;

import herald.platform.pacing.RetrySchedule;
import java.time.Duration;

/**
 * Webhook dispatch.
 *
 * @param dispatcherInstances dispatcher verticle instances; each endpoint is served by exactly one
 * @param retrySchedule delay before each retry of a failed delivery, in whole seconds like every
 *     retry setting; with jitter, and the last one repeats when an endpoint's {@code retry_limit}
 *     is longer
 * @param jitterPercent random spread added to or taken from each delay, in percent
 * @param disableAfter an endpoint failing without a single success for this long is disabled and
 *     {@code webhook.disabled} is emitted
 * @param secretRotationOverlap how long the previous secret keeps signing after a rotation
 * @param allowPrivateTargets accept endpoints on private, loopback and link-local addresses
 *     (development and tests only)
 * @param maxInFlightPerEndpoint concurrent requests to one endpoint (ordered endpoints get one)
 * @param batchSize events fanned out, or deliveries claimed, per query
 * @param fanOutSweep how often dispatchers look for queued events without being woken: a safety net
 *     for wake-ups ({@code events.appended}) lost in a crash or published on another node
 * @param breakerFailures consecutive failures that open an endpoint's circuit
 * @param breakerReset how long an open circuit waits before one trial request
 * @param defaultTimeoutSeconds request timeout of endpoints created without one
 */
public record WebhookConfig(
    int dispatcherInstances,
    @ConfigKey("retry_schedule_seconds") RetrySchedule retrySchedule,
    int jitterPercent,
    @ConfigKey("disable_after_seconds") Duration disableAfter,
    @ConfigKey("secret_rotation_overlap_seconds") Duration secretRotationOverlap,
    boolean allowPrivateTargets,
    int maxInFlightPerEndpoint,
    int batchSize,
    @ConfigKey("fan_out_sweep_ms") Duration fanOutSweep,
    int breakerFailures,
    @ConfigKey("breaker_reset_seconds") Duration breakerReset,
    int defaultTimeoutSeconds) {

  static WebhookConfig from(ConfigNode node) {
    return new WebhookConfig(
        node.integer("dispatcher_instances", 1, 64),
        node.retrySchedule("retry_schedule_seconds"),
        node.integer("jitter_percent", 0, 50),
        Duration.ofSeconds(node.integer("disable_after_seconds", 1, 31_536_000)),
        Duration.ofSeconds(node.integer("secret_rotation_overlap_seconds", 0, 2_592_000)),
        node.bool("allow_private_targets"),
        node.integer("max_in_flight_per_endpoint", 1, 1024),
        node.integer("batch_size", 1, 10_000),
        Duration.ofMillis(node.integer("fan_out_sweep_ms", 10, 600_000)),
        node.integer("breaker_failures", 1, 1000),
        Duration.ofSeconds(node.integer("breaker_reset_seconds", 1, 3600)),
        node.integer("default_timeout_seconds", 1, 60));
  }
}
