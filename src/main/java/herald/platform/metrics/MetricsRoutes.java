package herald.platform.metrics;

import herald.platform.config.MetricsConfig;
import herald.platform.http.ApiException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the registry in Prometheus text format. With {@code metrics.token} set a
 * scraper must send {@code Authorization: Bearer <token>} (401 otherwise); without one only
 * loopback clients are answered (403 otherwise) unless {@code metrics.allow_remote}.
 */
public final class MetricsRoutes {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Metrics metrics;
  private final MetricsConfig config;
  private final byte[] token;

  public MetricsRoutes(Metrics metrics, MetricsConfig config) {
    this.metrics = metrics;
    this.config = config;
    this.token =
        config.token() == null
            ? null
            : ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
  }

  public void mount(Router root) {
    root.get("/metrics").handler(this::scrape);
  }

  private void scrape(RoutingContext ctx) {
    if (token != null) {
      String given = ctx.request().getHeader("Authorization");
      if (given == null
          || !MessageDigest.isEqual(token, given.trim().getBytes(StandardCharsets.UTF_8))) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"herald-metrics\"");
        ctx.fail(ApiException.unauthorized("send the metrics token as Authorization: Bearer"));
        return;
      }
    } else if (!config.allowRemote() && !loopback(ctx)) {
      ctx.fail(
          ApiException.forbidden(
              "metrics are served to loopback clients only; configure metrics.token"));
      return;
    }
    ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(metrics.scrape());
  }

  private static boolean loopback(RoutingContext ctx) {
    var remote = ctx.request().connection().remoteAddress();
    return remote != null && isLoopback(remote.hostAddress());
  }

  /**
   * Whether a peer's literal IP address is a loopback address (127.0.0.0/8, ::1); false for
   * anything else, including null (a domain socket or unknown peer is not provably local).
   */
  static boolean isLoopback(String hostAddress) {
    if (hostAddress == null || hostAddress.isEmpty() || !hostAddress.matches("[0-9a-fA-F.:%]+")) {
      return false; // only literal addresses: never a name lookup
    }
    try {
      return InetAddress.getByName(hostAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
