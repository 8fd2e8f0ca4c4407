package herald.call;

import herald.audit.Actor;
import herald.platform.http.Bodies;
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
import java.util.UUID;

/**
 * {@code /api/v1/recordings}: the account's call recordings (list with filters and cursor paging,
 * read), their audio ({@code /{id}/file}, streamed from Asterisk) and deletion (in Asterisk and in
 * Herald).
 */
public final class RecordingRoutes {
  private final Vertx vertx;
  private final RecordingStore recordings;
  private final RecordingService service;

  public RecordingRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.recordings = new RecordingStore(pool);
    this.service = new RecordingService(vertx, pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("calls:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("calls:read")).respond(this::get);
    router.get("/:id/file").handler(Scoped.require("calls:read")).handler(this::file);
    router
        .delete("/:id")
        .handler(Scoped.require("calls:write"))
        .handler(Responses.noContent(this::delete));
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    UUID callId = q.uuid("call_id");
    var from = q.instant("from");
    var to = q.instant("to");
    q.check();
    return recordings
        .list(
            Requests.principal(ctx).accountId(), new RecordingStore.Filter(callId, from, to), page)
        .map(rows -> page.page(rows, Recording::id, Recording::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Recording");
    return recordings
        .get(Requests.principal(ctx).accountId(), id)
        .map(r -> Responses.found(r, "Recording").toJson());
  }

  private void file(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Recording");
    service
        .download(Requests.principal(ctx).accountId(), id, ctx.response())
        .onFailure(
            err -> {
              if (ctx.response().headWritten()) {
                ctx.request().connection().close(); // cut off mid-file: never a truncated 200
              } else {
                ctx.fail(err);
              }
            });
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.delete(Actor.of(ctx), Requests.pathId(ctx, "id", "Recording"));
  }
}
