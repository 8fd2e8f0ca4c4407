package herald.platform.http;

import herald.platform.security.Principal;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler on every request: adopts a sane {@code X-Request-Id} from the client or makes one,
 * echoes it on the response, and writes one access-log line when the response ends.
 */
public final class RequestIds implements Handler<RoutingContext> {
  private static final Logger ACCESS = LoggerFactory.getLogger("herald.access");
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    String id =
        given != null && SAFE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(Requests.REQUEST_ID, id);
    ctx.response().putHeader("X-Request-Id", id);
    long started = System.nanoTime();
    ctx.addEndHandler(
        done -> {
          if (ACCESS.isInfoEnabled()) {
            Principal principal = Requests.principalOrNull(ctx);
            ACCESS.info(
                "{} {} {} {} {}us id={} who={}",
                Requests.clientIp(ctx),
                ctx.request().method(),
                ctx.request().path(),
                ctx.response().getStatusCode(),
                (System.nanoTime() - started) / 1000,
                id,
                principal == null ? "-" : principal.describe());
          }
        });
    ctx.next();
  }
}
