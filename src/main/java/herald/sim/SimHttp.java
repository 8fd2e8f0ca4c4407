package herald.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Route handlers the HTTP simulators share: a DEBUG line per request and the configured latency.
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
}
