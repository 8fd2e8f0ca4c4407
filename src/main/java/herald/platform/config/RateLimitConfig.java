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
  public record Limit(int limit, @ConfigKey("period_seconds") Duration period) {}

  static RateLimitConfig from(ConfigNode node) {
    return new RateLimitConfig(
        limit(node.child("login")),
        limit(node.child("sends")),
        limit(node.child("uploads")),
        limit(node.child("other")));
  }

  private static Limit limit(ConfigNode node) {
    return new Limit(
        node.integer("limit", 1, 10_000_000),
        Duration.ofSeconds(node.integer("period_seconds", 1, 86_400)));
  }
}
