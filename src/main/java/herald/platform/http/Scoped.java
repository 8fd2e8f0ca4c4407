package herald.platform.http;

import herald.platform.security.Principal;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Route guards that check the caller's scopes before the handler runs; a miss answers 403. */
public final class Scoped {
  private Scoped() {}

  public static Handler<RoutingContext> require(String scope) {
    return ctx -> {
      if (!Requests.principal(ctx).can(scope)) {
        ctx.fail(ApiException.forbidden("This needs the '" + scope + "' scope"));
        return;
      }
      ctx.next();
    };
  }

  /** Only administrators of the platform (operator) account manage tenants. */
  public static Handler<RoutingContext> platformAdmin() {
    return ctx -> {
      Principal principal = Requests.principal(ctx);
      if (!principal.platformAdmin()) {
        ctx.fail(ApiException.forbidden("Only platform administrators may manage accounts"));
        return;
      }
      ctx.next();
    };
  }
}
