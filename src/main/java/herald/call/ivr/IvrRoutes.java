package herald.call.ivr;

import herald.audit.Actor;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code /api/v1/ivr}: the account's IVR menus, created, read, replaced and deleted as data. */
public final class IvrRoutes {
  private static final Set<String> FIELDS = Set.of("name", "start", "menus");

  private final Vertx vertx;
  private final IvrStore ivrs;
  private final IvrService service;

  public IvrRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.ivrs = new IvrStore(pool);
    this.service = new IvrService(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("calls:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("calls:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("calls:read")).respond(this::get);
    router.put("/:id").handler(Scoped.require("calls:write")).respond(this::replace);
    router
        .delete("/:id")
        .handler(Scoped.require("calls:write"))
        .handler(Responses.noContent(this::delete));
    return router;
  }

  private static Ivr read(RoutingContext ctx, UUID id, UUID accountId) {
    JsonInput in = JsonInput.of(ctx, FIELDS);
    String name = in.requiredString("name", 1, 100);
    List<FieldError> errors = new ArrayList<>();
    JsonObject definition = IvrDefinition.read(in.value("start"), in.value("menus"), errors);
    errors.forEach(e -> in.error(e.field(), e.code(), e.detail()));
    in.check();
    return new Ivr(id, accountId, name, definition, null, null);
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    return service.create(actor, read(ctx, Ids.newId(), actor.accountId()));
  }

  private Future<JsonObject> replace(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "IVR");
    Actor actor = Actor.of(ctx);
    return service.replace(actor, read(ctx, id, actor.accountId()));
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.delete(Actor.of(ctx), Requests.pathId(ctx, "id", "IVR"));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "IVR");
    return ivrs.get(Requests.principal(ctx).accountId(), id)
        .map(ivr -> Responses.found(ivr, "IVR").toJson());
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    if (ctx.queryParams().names().stream().anyMatch(n -> !Set.of("limit", "cursor").contains(n))) {
      throw ApiException.badRequest("Only limit and cursor filter IVRs");
    }
    return ivrs.list(Requests.principal(ctx).accountId(), page)
        .map(rows -> page.page(rows, Ivr::id, Ivr::toJson));
  }
}
