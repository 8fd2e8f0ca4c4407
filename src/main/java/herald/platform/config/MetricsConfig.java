package herald.platform.config;

import java.time.Duration;

/**
 * The Prometheus endpoint {@code GET /metrics}.
 *
 * @param token the bearer token a scraper must send ({@code Authorization: Bearer <token>}); null
 *     means no token, and then only loopback clients are answered unless {@code allowRemote}
 * @param allowRemote with no token configured, answer scrapers on any address, not just loopback
 *     (for a scraper on a private network in front of which the operator filters access)
 * @param sampleInterval how often the gauges that need SQL (queue depth per sender, outbox lag,
 *     campaigns by status) are sampled; a scrape shows the last sample
 */
public record MetricsConfig(
    String token, boolean allowRemote, @ConfigKey("sample_interval_ms") Duration sampleInterval) {

  public MetricsConfig {
    if (token != null && token.length() < 16) {
      throw new ConfigException("metrics.token", "must be at least 16 characters");
    }
  }

  static MetricsConfig from(ConfigNode node) {
    return new MetricsConfig(
        node.optionalString("token"),
        node.bool("allow_remote"),
        Duration.ofMillis(node.integer("sample_interval_ms", 200, 600_000)));
  }
}
