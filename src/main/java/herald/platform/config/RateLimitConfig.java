package herald.platform.config;

import java.time.Duration;

/**
 * Request rate limits per route class. Login is counted per client IP; the others per API key, or
 * per user for JWT logins.
 */
public record RateLimitConfig(Limit login, Limit sends, Limit uploads, Limit other) {

  /**
   * @param limit requests allowed per period
   * @param period length of one window
   */
  public record Limit(int limit, Duration period) {}

  static RateLimitConfig from(ConfigNode node) {
    return new RateLimitConfig(
        limit(node.child("login"), 5, 60),
        limit(node.child("sends"), 100, 1),
        limit(node.child("uploads"), 10, 3600),
        limit(node.child("other"), 200, 60));
  }

  private static Limit limit(ConfigNode node, int limit, int periodSeconds) {
    return new Limit(
        node.integer("limit", limit, 1, 10_000_000),
        Duration.ofSeconds(node.integer("period_seconds", periodSeconds, 1, 86_400)));
  }
}
