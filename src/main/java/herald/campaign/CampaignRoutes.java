package herald.campaign;

import herald.account.Account;
import herald.account.AccountStore;
import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.database.Ids;
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
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/campaigns}: create, list, read, replace and delete campaigns, and their progress.
 * A campaign is created as a draft, or scheduled when it has a start time or a recurrence; it may
 * be edited while draft, scheduled or paused. Control actions are in {@link CampaignControl}.
 */
public final class CampaignRoutes {
  private final Vertx vertx;
  private final Pool pool;
  private final Platform platform;
  private final CampaignStore campaigns;
  private final AccountStore accounts;

  public CampaignRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.platform = platform;
    this.pool = platform.pool();
    this.campaigns = new CampaignStore(pool);
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
    new CampaignControl(vertx, platform, campaigns).mount(router);
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
        .compose(
            parsed -> {
              CampaignSpec spec = parsed.spec();
              boolean scheduled = spec.recurrence() != null || spec.startAt() != null;
              Instant now = platform.clock().instant();
              Instant nextRun = spec.recurrence() == null ? null : spec.recurrence().next(now);
              UUID id = Ids.newId();
              return CampaignChecks.references(pool, actor.accountId(), spec)
                  .compose(
                      v ->
                          pool.withTransaction(
                              tx ->
                                  CampaignStore.insert(
                                          tx,
                                          id,
                                          actor.accountId(),
                                          null,
                                          scheduled ? "scheduled" : "draft",
                                          spec,
                                          nextRun)
                                      .compose(
                                          c -> addRecipients(tx, c, parsed.recipients()).map(c))
                                      .compose(
                                          c ->
                                              scheduled
                                                  ? CampaignChecks.startable(tx, c).map(c)
                                                  : Future.succeededFuture(c))
                                      .compose(c -> reread(tx, c))
                                      .compose(
                                          c ->
                                              AuditStore.record(
                                                      tx,
                                                      actor,
                                                      "create",
                                                      "campaign",
                                                      id,
                                                      null,
                                                      c.toJson())
                                                  .map(c))))
                  .map(
                      c -> {
                        changed(c.id());
                        return c.toJson();
                      });
            });
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
        .compose(
            recipients -> {
              return pool.withTransaction(
                  tx ->
                      CampaignStore.getForUpdate(tx, actor.accountId(), id)
                          .compose(
                              c -> {
                                Responses.found(c, "Campaign");
                                if (!c.status().equals("draft")
                                    && !c.status().equals("scheduled")) {
                                  throw ApiException.conflict(
                                      "Recipients can be added only before a campaign starts");
                                }
                                return RecipientStore.add(tx, c.id(), recipients)
                                    .compose(
                                        added -> {
                                          int duplicates = recipients.size() - added;
                                          long invalid =
                                              recipients.stream()
                                                  .filter(r -> r.skipReason() != null)
                                                  .count();
                                          Future<Void> counted =
                                              duplicates == 0
                                                  ? Future.succeededFuture()
                                                  : CampaignStore.countSkipped(
                                                      tx,
                                                      c.id(),
                                                      new JsonObject()
                                                          .put("duplicate", duplicates));
                                          return counted.map(
                                              v ->
                                                  new JsonObject()
                                                      .put("received", recipients.size())
                                                      .put("added", added)
                                                      .put("duplicates", duplicates)
                                                      .put("invalid", invalid));
                                        });
                              }));
            });
  }

  /**
   * Reads a campaign on a worker thread: checking up to 100,000 phone numbers takes longer than an
   * event loop may be held.
   */
  private Future<CampaignInput.Parsed> read(JsonInput in, Account account) {
    return vertx.executeBlocking(
        () -> CampaignInput.read(in, region(account), zone(account)), false);
  }

  /** Adds inline recipients, counting the duplicates it dropped. */
  static Future<Void> addRecipients(
      SqlClient tx, Campaign campaign, List<RecipientStore.NewRecipient> recipients) {
    if (recipients == null || recipients.isEmpty()) {
      return Future.succeededFuture();
    }
    return RecipientStore.add(tx, campaign.id(), recipients)
        .compose(
            added ->
                added == recipients.size()
                    ? Future.succeededFuture()
                    : CampaignStore.countSkipped(
                        tx,
                        campaign.id(),
                        new JsonObject().put("duplicate", recipients.size() - added)));
  }

  private static Future<Campaign> reread(SqlClient tx, Campaign c) {
    return CampaignStore.getForUpdate(tx, c.accountId(), c.id());
  }

  void changed(UUID id) {
    vertx.eventBus().publish(Addresses.CAMPAIGNS_CHANGED, id.toString());
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
        .compose(c -> CampaignResults.status(pool, Responses.found(c, "Campaign")));
  }

  /** PUT: the whole spec again; inline recipients may be replaced only while draft or scheduled. */
  private Future<JsonObject> replace(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, CampaignInput.FIELDS);
    return accounts
        .getCached(actor.accountId())
        .compose(account -> read(in, account))
        .compose(
            parsed -> {
              CampaignSpec spec = parsed.spec();
              return CampaignChecks.references(pool, actor.accountId(), spec)
                  .compose(
                      v ->
                          pool.withTransaction(
                              tx ->
                                  CampaignStore.getForUpdate(tx, actor.accountId(), id)
                                      .compose(before -> replace(tx, actor, before, parsed))))
                  .map(
                      c -> {
                        changed(c.id());
                        return c.toJson();
                      });
            });
  }

  private Future<Campaign> replace(
      SqlClient tx, Actor actor, Campaign before, CampaignInput.Parsed parsed) {
    Responses.found(before, "Campaign");
    if (!Campaign.EDITABLE.contains(before.status())) {
      throw ApiException.conflict(
          "A " + before.status() + " campaign cannot be edited; pause it or clone it");
    }
    boolean paused = before.status().equals("paused");
    if (paused && parsed.recipients() != null) {
      throw ApiException.validation(
          "recipients", "not_editable", "recipients cannot be changed once a campaign has started");
    }
    CampaignSpec spec = parsed.spec();
    String status =
        paused
            ? "paused"
            : spec.recurrence() != null || spec.startAt() != null ? "scheduled" : "draft";
    Instant nextRun =
        spec.recurrence() == null ? null : spec.recurrence().next(platform.clock().instant());
    Future<Void> recipients =
        parsed.recipients() == null
            ? Future.succeededFuture()
            : tx.preparedQuery(
                    "DELETE FROM campaign_recipients WHERE campaign_id = $1 AND contact_id IS NULL")
                .execute(Tuple.of(before.id()))
                .compose(
                    x ->
                        tx.preparedQuery("UPDATE campaigns SET skipped = '{}' WHERE id = $1")
                            .execute(Tuple.of(before.id())))
                .compose(x -> addRecipients(tx, before, parsed.recipients()));
    return recipients
        .compose(v -> CampaignStore.update(tx, before.id(), status, spec, nextRun))
        .compose(
            after ->
                status.equals("scheduled")
                    ? CampaignChecks.startable(tx, after).map(after)
                    : Future.succeededFuture(after))
        .compose(
            after ->
                AuditStore.record(
                        tx,
                        actor,
                        "update",
                        "campaign",
                        after.id(),
                        before.toJson(),
                        after.toJson())
                    .map(after));
  }

  private Future<Void> delete(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
        tx ->
            CampaignStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Campaign");
                      if (before.status().equals("running") || before.status().equals("paused")) {
                        throw ApiException.conflict(
                            "A " + before.status() + " campaign cannot be deleted; stop it first");
                      }
                      return CampaignStore.delete(tx, id)
                          .compose(
                              v ->
                                  AuditStore.record(
                                      tx, actor, "delete", "campaign", id, before.toJson(), null));
                    }));
  }
}
