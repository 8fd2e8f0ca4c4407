package herald.platform.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhook dispatch.
 *
 * @param dispatcherInstances dispatcher verticle instances; each endpoint is served by exactly one
 * @param retrySchedule delay before each retry of a failed delivery; with jitter, and the last one
 *     repeats when an endpoint's {@code retry_limit} is longer
 * @param jitterPercent random spread added to or taken from each delay, in percent
 * @param disableAfter an endpoint failing without a single success for this long is disabled and
 *     {@code webhook.disabled} is emitted
 * @param secretRotationOverlap how long the previous secret keeps signing after a rotation
 * @param allowPrivateTargets accept endpoints on private, loopback and link-local addresses
 *     (development and tests only)
 * @param maxInFlightPerEndpoint concurrent requests to one endpoint (ordered endpoints get one)
 * @param batchSize events fanned out, or deliveries claimed, per query
 * @param pollInterval how often dispatchers look for new events and due retries when idle
 * @param breakerFailures consecutive failures that open an endpoint's circuit
 * @param breakerReset how long an open circuit waits before one trial request
 * @param defaultTimeoutSeconds request timeout of endpoints created without one
 */
public record WebhookConfig(
    int dispatcherInstances,
    List<Duration> retrySchedule,
    int jitterPercent,
    Duration disableAfter,
    @ConfigKey("secret_rotation_overlap_seconds") Duration secretRotationOverlap,
    boolean allowPrivateTargets,
    int maxInFlightPerEndpoint,
    int batchSize,
    @ConfigKey("poll_interval_ms") Duration pollInterval,
    int breakerFailures,
    @ConfigKey("breaker_reset_seconds") Duration breakerReset,
    int defaultTimeoutSeconds) {

  static WebhookConfig from(ConfigNode node) {
    List<Duration> delays = new ArrayList<>();
    for (String part : node.list("retry_schedule")) {
      delays.add(duration(node, "retry_schedule", part));
    }
    if (delays.isEmpty()) {
      throw new ConfigException(node.key("retry_schedule"), "needs at least one delay");
    }
    return new WebhookConfig(
        node.integer("dispatcher_instances", 1, 64),
        List.copyOf(delays),
        node.integer("jitter_percent", 0, 50),
        duration(node, "disable_after", node.string("disable_after")),
        Duration.ofSeconds(node.integer("secret_rotation_overlap_seconds", 0, 2_592_000)),
        node.bool("allow_private_targets"),
        node.integer("max_in_flight_per_endpoint", 1, 1024),
        node.integer("batch_size", 1, 10_000),
        Duration.ofMillis(node.integer("poll_interval_ms", 5, 60_000)),
        node.integer("breaker_failures", 1, 1000),
        Duration.ofSeconds(node.integer("breaker_reset_seconds", 1, 3600)),
        node.integer("default_timeout_seconds", 1, 60));
  }

  /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 3d}; a bare number is seconds. */
  private static Duration duration(ConfigNode node, String key, String text) {
    try {
      String t = text.trim().toLowerCase();
      if (t.endsWith("ms")) {
        return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
      }
      char unit = t.charAt(t.length() - 1);
      String number = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1);
      long n = Long.parseLong(number);
      return positive(
          switch (unit) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 's' -> Duration.ofSeconds(n);
            default -> {
              if (!Character.isDigit(unit)) {
                throw new NumberFormatException();
              }
              yield Duration.ofSeconds(n);
            }
          });
    } catch (RuntimeException e) {
      throw new ConfigException(
          node.key(key),
          "must be a duration such as 5s, 2m, 1h, 3d (or whole seconds), got '" + text + "'");
    }
  }

  private static Duration positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("delay must be positive");
    }
    return d;
  }

  /** The delay before retry number {@code retry} (1-based), without jitter. */
  public Duration delay(int retry) {
    return retrySchedule.get(Math.min(retrySchedule.size(), Math.max(1, retry)) - 1);
  }
}
