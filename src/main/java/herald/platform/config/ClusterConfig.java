package herald.platform.config;

import java.time.Duration;

/**
 * Cluster ownership: the leases in PostgreSQL through which exactly one verticle instance of one
 * node runs each campaign (and, as they adopt it, each sender's lane and each webhook endpoint's
 * pump).
 *
 * @param lease how long a lease and an owner's heartbeat hold without renewal: the longest a dead
 *     node's work waits before another node takes it over
 * @param renewInterval how often an owner renews its leases, heartbeats, rebalances and takes free
 *     work; less than half of {@code lease}, so one late renewal loses nothing
 */
public record ClusterConfig(
    @ConfigKey("lease_ms") Duration lease, @ConfigKey("renew_interval_ms") Duration renewInterval) {

  static ClusterConfig from(ConfigNode node) {
    Duration lease = Duration.ofMillis(node.integer("lease_ms", 1000, 600_000));
    Duration renew = Duration.ofMillis(node.integer("renew_interval_ms", 100, 300_000));
    if (renew.multipliedBy(2).compareTo(lease) >= 0) {
      throw new ConfigException(
          node.key("renew_interval_ms"),
          "must be less than half of cluster.lease_ms ("
              + lease.toMillis()
              + "), got "
              + renew.toMillis());
    }
    return new ClusterConfig(lease, renew);
  }
}
