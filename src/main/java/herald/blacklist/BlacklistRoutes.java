package herald.blacklist;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.phone.PhoneNumbers;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
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
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/blacklist}: numbers the account never sends to. Sends skip them ({@code
 * MessageIntake}); inbound STOP adds them too. Adding emits {@code blacklist.added} and removing
 * {@code blacklist.removed}, as the STOP and START keywords do, in the same transaction.
 */
public final class BlacklistRoutes {
  private static final Set<String> SOURCES = Set.of("api", "inbound_stop", "import");
  private static final Set<String> CSV_TYPES =
      Set.of("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel");

  private final Vertx vertx;
  private final BlacklistService service;
  private final BlacklistStore blacklist;
  private final AccountStore accounts;

  public BlacklistRoutes(Vertx vertx, Pool pool, BlacklistStore blacklist, AccountStore accounts) {
    this.vertx = vertx;
    this.service = new BlacklistService(pool);
    this.blacklist = blacklist;
    this.accounts = accounts;
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("blacklist:write"))
        .handler(Responses.status(201, this::add));
    router.get("/").handler(Scoped.require("blacklist:read")).respond(this::list);
    router.post("/import").handler(Scoped.require("blacklist:write")).respond(this::importCsv);
    router.post("/check").handler(Scoped.require("blacklist:read")).respond(this::check);
    router.get("/:id").handler(Scoped.require("blacklist:read")).respond(this::get);
    router
        .delete("/:id")
        .handler(Scoped.require("blacklist:write"))
        .handler(Responses.noContent(this::remove));
    return router;
  }

  private Future<String> e164(UUID accountId, String field, String text) {
    return accounts
        .getCached(accountId)
        .map(
            account -> {
              String region =
                  account == null ? null : account.settings().getString("default_region");
              PhoneNumbers.Parsed parsed = PhoneNumbers.parse(text, region);
              if (!parsed.ok()) {
                throw ApiException.validation(field, "invalid_phone_number", parsed.error());
              }
              return parsed.e164();
            });
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String phone = q.string("phone_number", 64);
    String source = q.string("source", 32);
    q.check();
    if (source != null && !SOURCES.contains(source)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "source", "invalid_value", "source must be api, inbound_stop or import")));
    }
    UUID accountId = Requests.principal(ctx).accountId();
    Future<String> number =
        phone == null
            ? Future.succeededFuture(null)
            : e164(accountId, "phone_number", phone)
                .recover(
                    err ->
                        !(err instanceof ApiException)
                            ? Future.failedFuture(err)
                            : Future.failedFuture(
                                ApiException.badRequest(
                                    "Invalid query parameters",
                                    List.of(
                                        new FieldError(
                                            "phone_number",
                                            "invalid_phone_number",
                                            err.getMessage())))));
    return number
        .compose(n -> blacklist.list(accountId, n, source, page))
        .map(rows -> page.page(rows, BlacklistEntry::id, BlacklistEntry::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Blacklist entry");
    return blacklist
        .get(Requests.principal(ctx).accountId(), id)
        .map(entry -> Responses.found(entry, "Blacklist entry").toJson());
  }

  private Future<JsonObject> add(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("phone_number", "reason"));
    String phone = in.requiredString("phone_number", 1, 64);
    String reason = in.optionalString("reason", 0, 500);
    in.check();
    Actor actor = Actor.of(ctx);
    return e164(actor.accountId(), "phone_number", phone)
        .compose(number -> service.add(actor, number, reason));
  }

  private Future<Void> remove(RoutingContext ctx) {
    return service.remove(Actor.of(ctx), Requests.pathId(ctx, "id", "Blacklist entry"));
  }

  /**
   * {@code POST /import}: a CSV body (header with a phone column, optional reason). With {@code
   * on_error=reject} (the default) any bad row answers 422 listing the rows and nothing is added;
   * with {@code on_error=skip} the good rows are added and the bad ones reported.
   */
  private Future<JsonObject> importCsv(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase();
    if (!CSV_TYPES.contains(base)) {
      throw ApiException.unsupportedMediaType("Expected Content-Type: text/csv");
    }
    String onError = ctx.queryParams().get("on_error");
    if (onError != null && !onError.equals("reject") && !onError.equals("skip")) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(new FieldError("on_error", "invalid_value", "on_error must be reject or skip")));
    }
    boolean skip = "skip".equals(onError);
    var body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("The file is empty; a header line and rows are expected");
    }
    Actor actor = Actor.of(ctx);
    return accounts
        .getCached(actor.accountId())
        .map(account -> account == null ? null : account.settings().getString("default_region"))
        .compose(region -> vertx.executeBlocking(() -> BlacklistImport.read(body, region), false))
        .compose(
            parsed -> {
              if (!parsed.errors().isEmpty() && !skip) {
                throw ApiException.validation(BlacklistImport.fieldErrors(parsed.errors()));
              }
              return service.importAll(actor, parsed);
            });
  }

  /** {@code {phone_number}} → {@code {phone_number, is_blacklisted, reason, since}}. */
  private Future<JsonObject> check(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("phone_number"));
    String phone = in.requiredString("phone_number", 1, 64);
    in.check();
    UUID accountId = Requests.principal(ctx).accountId();
    return e164(accountId, "phone_number", phone)
        .compose(
            number ->
                blacklist
                    .byNumber(accountId, number)
                    .map(
                        entry ->
                            new JsonObject()
                                .put("phone_number", number)
                                .put("is_blacklisted", entry != null)
                                .put("reason", entry == null ? null : entry.reason())
                                .put("since", entry == null ? null : entry.createdAt())));
  }
}
