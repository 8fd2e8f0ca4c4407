package herald.call;

import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/cdrs}: the call detail records, one per dialled attempt, with filters
 * (disposition, sender, start time range), cursor paging and {@code /stats}.
 */
public final class CdrRoutes {
  private final Vertx vertx;
  private final CdrStore cdrs;
  private final CdrExport export;

  public CdrRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.cdrs = new CdrStore(pool);
    this.export = new CdrExport(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("calls:read")).respond(this::list);
    router.get("/stats").handler(Scoped.require("calls:read")).respond(this::stats);
    router.get("/export").handler(Scoped.require("calls:read")).handler(export::handle);
    router.get("/:id").handler(Scoped.require("calls:read")).respond(this::get);
    return router;
  }

  static CdrStore.Filter filter(RoutingContext ctx) {
    QueryParams q = new QueryParams(ctx);
    String disposition = q.string("disposition", 16);
    UUID senderId = q.uuid("sender_id");
    UUID campaignId = q.uuid("campaign_id");
    Instant from = q.instant("from");
    Instant to = q.instant("to");
    q.check();
    if (disposition != null && !Call.FINAL.contains(disposition)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "disposition",
                  "invalid_value",
                  "disposition must be one of completed, busy, no_answer, failed, canceled,"
                      + " machine")));
    }
    return new CdrStore.Filter(disposition, senderId, from, to, campaignId);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    CdrStore.Filter filter = filter(ctx);
    return cdrs.list(Requests.principal(ctx).accountId(), filter, page)
        .map(rows -> page.page(rows, Cdr::id, Cdr::toJson));
  }

  private Future<JsonObject> stats(RoutingContext ctx) {
    return cdrs.stats(Requests.principal(ctx).accountId(), filter(ctx));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "CDR");
    return cdrs.get(Requests.principal(ctx).accountId(), id)
        .map(cdr -> Responses.found(cdr, "CDR").toJson());
  }
}
