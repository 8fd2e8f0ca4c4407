package herald.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * What the HTTP simulators share: a DEBUG line per request, the configured latency, and the base
 * URL of a bound server.
 */
public final class SimHttp {
  private SimHttp() {}

  /** Logs method, path and status when the response ends; never bodies or headers (secrets). */
  public static Handler<RoutingContext> requestLog(Logger log) {
    return ctx -> {
      String method = ctx.request().method().name();
      String path = ctx.request().path();
      ctx.addEndHandler(
          v -> log.debug("{} {} -> {}", method, path, ctx.response().getStatusCode()));
      ctx.next();
    };
  }

  /** Holds each request for {@code latency} on a timer (never blocking the event loop). */
  public static Handler<RoutingContext> latency(Vertx vertx, Duration latency) {
    long millis = latency.toMillis();
    return ctx -> {
      if (millis <= 0) {
        ctx.next();
      } else {
        vertx.timer(millis, TimeUnit.MILLISECONDS).onComplete(v -> ctx.next());
      }
    };
  }

  /**
   * {@code http://host:port} of a simulator bound to {@code host}, without a trailing slash; a
   * wildcard address (0.0.0.0, ::) is reached through 127.0.0.1, an IPv6 literal in brackets.
   */
  public static String baseUrl(String host, int port) {
    String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (reachable.contains(":") ? "[" + reachable + "]" : reachable) + ":" + port;
  }
}
