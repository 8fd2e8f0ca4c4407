package herald.platform.http;

import herald.platform.config.HttpConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * How routes read their bodies. The API router pauses every request before authenticating it, and
 * each domain's router then reads the bodies of its own routes: {@link #bulk()} first on the routes
 * that take batches, {@link #standard()} for the rest of the router (a body already read is not
 * read again). Upload routes read nothing here: they stream the paused request with {@link
 * Uploads}.
 */
public final class Bodies {
  private final BodyHandler standard;
  private final BodyHandler bulk;

  public Bodies(HttpConfig http) {
    standard = BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes());
    bulk = BodyHandler.create(false).setBodyLimit(http.sendBodyLimitBytes());
  }

  /** A body of at most {@code http.body_limit_bytes}; larger answers 413. */
  public Handler<RoutingContext> standard() {
    return standard;
  }

  /**
   * A body of at most {@code http.send_body_limit_bytes}: batches of up to 10,000 messages, 100,000
   * group members, inline campaign recipients.
   */
  public Handler<RoutingContext> bulk() {
    return bulk;
  }
}
