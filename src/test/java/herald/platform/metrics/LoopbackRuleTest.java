package herald.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which peers count as loopback for a tokenless {@code /metrics} (tests can only connect from
 * loopback, so the refusal of other peers is checked on the rule itself).
 */
class LoopbackRuleTest {
  @Test
  void acceptsIpv4AndIpv6LoopbackPeers() {
    assertThat(MetricsRoutes.isLoopback("127.0.0.1")).isTrue();
    assertThat(MetricsRoutes.isLoopback("127.1.2.3")).isTrue();
    assertThat(MetricsRoutes.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(MetricsRoutes.isLoopback("::1")).isTrue();
  }

  @Test
  void refusesOtherPeersNamesAndUnknownPeers() {
    assertThat(MetricsRoutes.isLoopback("10.0.0.5")).isFalse();
    assertThat(MetricsRoutes.isLoopback("192.168.1.20")).isFalse();
    assertThat(MetricsRoutes.isLoopback("fe80::1")).isFalse();
    assertThat(MetricsRoutes.isLoopback("::ffff:10.0.0.5")).isFalse();
    assertThat(MetricsRoutes.isLoopback("localhost")).isFalse();
    assertThat(MetricsRoutes.isLoopback(null)).isFalse();
    assertThat(MetricsRoutes.isLoopback("")).isFalse();
  }
}
