package herald.campaign;

import herald.account.Account;
import herald.account.AccountStore;
import herald.audit.Actor;
import herald.platform.Platform;
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
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/campaigns}: create, list, read, replace and delete campaigns, and their progress.
 * A campaign is created as a draft, or scheduled when it has a start time or a recurrence; it may
 * be edited while draft, scheduled or paused. Control actions are in {@link ControlRoutes} and
 * {@link CampaignControl}.
 */
public final class CampaignRoutes {
  private final Vertx vertx;
  private final Pool pool;
  private final Platform platform;
  private final CampaignStore campaigns;
  private final AccountStore accounts;
  private final CampaignService service;

  public CampaignRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.platform = platform;
    this.pool = platform.pool();
    this.campaigns = new CampaignStore(pool);
    this.service = new CampaignService(vertx, pool, platform.clock());
    this.accounts = new AccountStore(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    // before any body handler (uploads stream the paused request), and before "/:id",
    // which would take "csv-template" for an id
    new UploadRoutes(vertx, platform).mount(router);
    router.post("/").handler(bodies.bulk());
    router.post("/:id/recipients").handler(bodies.bulk());
    router.route().handler(bodies.standard());
    new ResultsRoutes(platform, campaigns).mount(router);
    router
        .post("/")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("campaigns:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("campaigns:read")).respond(this::get);
    router.put("/:id").handler(Scoped.require("campaigns:write")).respond(this::replace);
    router
        .delete("/:id")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.noContent(this::delete));
    router.get("/:id/status").handler(Scoped.require("campaigns:read")).respond(this::status);
    router
        .post("/:id/recipients")
        .handler(Scoped.require("campaigns:write"))
        .respond(this::addRecipients);
    router
        .delete("/:id/recipients/:seq")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.noContent(this::removeRecipient));
    new ControlRoutes(vertx, platform).mount(router);
    return router;
  }

  static String region(Account account) {
    return account == null ? null : account.settings().getString("default_region");
  }

  static ZoneId zone(Account account) {
    String name = account == null ? null : account.settings().getString("timezone");
    try {
      return name == null ? ZoneOffset.UTC : ZoneId.of(name);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, CampaignInput.FIELDS);
    return accounts
        .getCached(actor.accountId())
        .compose(account -> read(in, account))
        .compose(parsed -> service.create(actor, parsed))
        .map(Campaign::toJson);
  }

  /**
   * Adds up to {@value CampaignInput#MAX_INLINE_RECIPIENTS} recipients to a draft or scheduled
   * campaign (call again for more): numbers, or objects with a number and variables.
   */
  private Future<JsonObject> addRecipients(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, java.util.Set.of("recipients"));
    return accounts
        .getCached(actor.accountId())
        .compose(
            account ->
                vertx.executeBlocking(
                    () -> {
                      List<RecipientStore.NewRecipient> parsed =
                          CampaignInput.recipients(in, region(account));
                      if (parsed == null && in.errorCount() == 0) {
                        in.error("recipients", "required", "'recipients' is required");
                      }
                      in.check();
                      return parsed;
                    },
                    false))
        .compose(recipients -> service.addRecipients(actor, id, recipients));
  }

  /**
   * Reads a campaign on a worker thread: checking up to 100,000 phone numbers takes longer than an
   * event loop may be held.
   */
  private Future<CampaignInput.Parsed> read(JsonInput in, Account account) {
    return vertx.executeBlocking(
        () -> CampaignInput.read(in, region(account), zone(account)), false);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String status = q.string("status", 16);
    UUID parent = q.uuid("parent_id");
    q.check();
    if (status != null && !Campaign.STATUSES.contains(status)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "status",
                  "invalid_value",
                  "status must be one of " + String.join(", ", Campaign.STATUSES))));
    }
    return campaigns
        .list(Requests.principal(ctx).accountId(), new CampaignStore.Filter(status, parent), page)
        .map(rows -> page.page(rows, Campaign::id, Campaign::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    return campaigns
        .get(Requests.principal(ctx).accountId(), id)
        .map(c -> Responses.found(c, "Campaign").toJson());
  }

  private Future<JsonObject> status(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    return campaigns
        .get(Requests.principal(ctx).accountId(), id)
        .map(c -> Responses.found(c, "Campaign"))
        .compose(
            c ->
                c.spec().voice()
                    ? VoiceStore.stats(pool, c).map(VoiceResults::status)
                    : CampaignResults.status(pool, c));
  }

  /** PUT: the whole spec again; inline recipients may be replaced only while draft or scheduled. */
  private Future<JsonObject> replace(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, CampaignInput.FIELDS);
    return accounts
        .getCached(actor.accountId())
        .compose(account -> read(in, account))
        .compose(parsed -> service.replace(actor, id, parsed))
        .map(Campaign::toJson);
  }

  private Future<Void> removeRecipient(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    String seq = ctx.pathParam("seq");
    if (!seq.matches("[0-9]{1,18}")) {
      throw ApiException.notFound("Recipient not found");
    }
    return service.removeRecipient(Actor.of(ctx), id, Long.parseLong(seq));
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.delete(Actor.of(ctx), Requests.pathId(ctx, "id", "Campaign"));
  }
}
