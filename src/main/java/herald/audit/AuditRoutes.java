package herald.audit;

import herald.platform.http.Bodies;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/audit-logs}: the account's change history, filtered and paginated. */
public final class AuditRoutes {
  private final AuditStore store;

  public AuditRoutes(AuditStore store) {
    this.store = store;
  }

  public Router router(Vertx vertx, Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("audit:read")).respond(this::list);
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    AuditStore.Filter filter =
        new AuditStore.Filter(
            q.string("action", 64),
            q.string("resource_type", 64),
            q.string("resource_id", 128),
            q.uuid("user_id"),
            q.instant("from"),
            q.instant("to"));
    q.check();
    return store
        .list(Requests.principal(ctx).accountId(), filter, page)
        .map(rows -> page.page(rows, row -> row.getUUID("id"), AuditStore::toJson));
  }
}
