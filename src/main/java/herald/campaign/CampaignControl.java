package herald.campaign;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.JsonInput;
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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Campaign control: start (or seed 003's {@code send}), pause, resume, stop, retry, clone, and seed
 * 003's {@code schedule} and {@code variants}. Each is one transaction holding the campaign's row
 * lock: the status change, what it does to queued messages and recipients, its event and its audit
 * entry commit together, so a decision taken before a crash still holds after it. The engine is
 * told at once; pause takes effect within its next tick.
 */
final class CampaignControl {
  private final Vertx vertx;
  private final Platform platform;
  private final Pool pool;
  private final CampaignStore campaigns;
  private final AccountStore accounts;

  CampaignControl(Vertx vertx, Platform platform, CampaignStore campaigns) {
    this.vertx = vertx;
    this.platform = platform;
    this.pool = platform.pool();
    this.campaigns = campaigns;
    this.accounts = new AccountStore(pool);
  }

  void mount(Router router) {
    router.post("/:id/start").handler(Scoped.require("campaigns:write")).respond(this::start);
    router.post("/:id/send").handler(Scoped.require("campaigns:write")).respond(this::start);
    router
        .post("/:id/pause")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> act(ctx, "pause", this::pause));
    router
        .post("/:id/resume")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> act(ctx, "resume", this::resume));
    router
        .post("/:id/stop")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> act(ctx, "stop", this::stop));
    router
        .post("/:id/retry")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> act(ctx, "retry", this::retry));
    router
        .post("/:id/clone")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.status(201, this::cloneCampaign));
    router.post("/:id/schedule").handler(Scoped.require("campaigns:write")).respond(this::schedule);
    router.post("/:id/variants").handler(Scoped.require("campaigns:write")).respond(this::variants);
  }

  /** Runs {@code action} on the locked campaign, audits it and tells the engine. */
  private Future<JsonObject> act(
      RoutingContext ctx, String name, BiFunction<SqlClient, Campaign, Future<Campaign>> action) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
            tx ->
                CampaignStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Campaign");
                          return action
                              .apply(tx, before)
                              .compose(
                                  after ->
                                      AuditStore.record(
                                              tx,
                                              actor,
                                              name,
                                              "campaign",
                                              id,
                                              before.toJson(),
                                              after.toJson())
                                          .map(after));
                        }))
        .map(
            after -> {
              vertx.eventBus().publish(Addresses.CAMPAIGNS_CHANGED, id.toString());
              return after.toJson();
            });
  }

  private static void require(Campaign c, Set<String> statuses, String action) {
    if (!statuses.contains(c.status())) {
      throw ApiException.conflict("A " + c.status() + " campaign cannot be " + action);
    }
  }

  /**
   * Starts a draft: at once, at its {@code scheduled_at}, or on its recurrence. Seed 003's {@code
   * send} may carry {@code recipients} and {@code message} to use.
   */
  private Future<JsonObject> start(RoutingContext ctx) {
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
    JsonInput in = hasBody ? JsonInput.of(ctx, Set.of("recipients", "message")) : null;
    return accounts
        .getCached(Actor.of(ctx).accountId())
        .compose(
            account ->
                in == null
                    ? Future.succeededFuture(new Extra(null, null))
                    : vertx.executeBlocking(
                        () -> {
                          Extra extra =
                              new Extra(
                                  CampaignInput.recipients(in, CampaignRoutes.region(account)),
                                  CampaignInput.message(in));
                          in.check();
                          return extra;
                        },
                        false))
        .compose(
            extra -> {
              List<RecipientStore.NewRecipient> recipients = extra.recipients();
              String text = extra.message();
              return act(
                  ctx,
                  "start",
                  (tx, c) -> {
                    require(c, Set.of("draft", "scheduled"), "started");
                    Future<Campaign> prepared = Future.succeededFuture(c);
                    if (text != null) {
                      prepared =
                          CampaignStore.update(
                              tx, c.id(), c.status(), c.spec().withMessage(text), c.nextRunAt());
                    }
                    return prepared
                        .compose(p -> CampaignService.addRecipients(tx, p, recipients).map(p))
                        .compose(p -> CampaignChecks.startable(tx, p).map(p))
                        .compose(p -> begin(tx, p));
                  });
            });
  }

  /** What seed 003's send may add to a draft. */
  private record Extra(List<RecipientStore.NewRecipient> recipients, String message) {}

  /** Running now, or scheduled for its start time or its recurrence's next run. */
  private Future<Campaign> begin(SqlClient tx, Campaign c) {
    Instant now = platform.clock().instant();
    CampaignSpec spec = c.spec();
    if (spec.recurrence() != null) {
      return CampaignStore.update(tx, c.id(), "scheduled", spec, spec.recurrence().next(now));
    }
    if (spec.startAt() != null && spec.startAt().isAfter(now)) {
      return CampaignStore.transition(tx, c, "scheduled", null, null);
    }
    return CampaignStore.transition(tx, c, "running", "campaign.started", null);
  }

  private Future<Campaign> pause(SqlClient tx, Campaign c) {
    require(c, Set.of("running"), "paused");
    return RecipientStore.hold(tx, c.id())
        .compose(v -> CampaignStore.transition(tx, c, "paused", "campaign.paused", null));
  }

  private Future<Campaign> resume(SqlClient tx, Campaign c) {
    require(c, Set.of("paused"), "resumed");
    Double cap = c.spec().rateCap();
    return RecipientStore.release(tx, c.id(), 1000.0 / (cap == null ? 100 : cap))
        .compose(v -> CampaignStore.transition(tx, c, "running", "campaign.resumed", null));
  }

  private Future<Campaign> stop(SqlClient tx, Campaign c) {
    require(c, Set.of("running", "paused", "scheduled"), "stopped");
    return RecipientStore.cancelRemaining(tx, c.id())
        .compose(
            canceled ->
                CampaignStore.transition(
                    tx,
                    c,
                    "stopped",
                    "campaign.stopped",
                    new JsonObject().put("canceled_messages", canceled)));
  }

  /** Re-queues every recipient whose message failed, at once; restarts a finished campaign. */
  private Future<Campaign> retry(SqlClient tx, Campaign c) {
    require(c, Set.of("running", "paused", "completed", "stopped", "failed"), "retried");
    return RecipientStore.retryFailed(tx, c.id(), null, 0)
        .compose(
            n -> {
              if (n == 0) {
                throw ApiException.conflict("The campaign has no failed recipients to retry");
              }
              if (c.status().equals("running") || c.status().equals("paused")) {
                return Future.succeededFuture(c);
              }
              return CampaignStore.transition(
                  tx,
                  c,
                  "running",
                  "campaign.started",
                  new JsonObject().put("retry", true).put("requeued", n));
            });
  }

  /** A new draft with the same spec and inline recipients. */
  private Future<JsonObject> cloneCampaign(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    Actor actor = Actor.of(ctx);
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
    String name = null;
    if (hasBody) {
      JsonInput in = JsonInput.of(ctx, Set.of("name"));
      name = in.optionalString("name", 1, 200);
      in.check();
    }
    String newName = name;
    UUID cloneId = Ids.newId();
    return pool.withTransaction(
            tx ->
                CampaignStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        source -> {
                          Responses.found(source, "Campaign");
                          String n = newName != null ? newName : copyName(source.spec().name());
                          return CampaignStore.insert(
                                  tx,
                                  cloneId,
                                  actor.accountId(),
                                  null,
                                  "draft",
                                  source.spec().named(n),
                                  null)
                              .compose(
                                  clone -> RecipientStore.copy(tx, source.id(), cloneId).map(clone))
                              .compose(
                                  clone ->
                                      CampaignStore.getForUpdate(tx, actor.accountId(), cloneId))
                              .compose(
                                  clone ->
                                      AuditStore.record(
                                              tx,
                                              actor,
                                              "clone",
                                              "campaign",
                                              cloneId,
                                              null,
                                              clone.toJson().put("cloned_from", id.toString()))
                                          .map(clone));
                        }))
        .map(Campaign::toJson);
  }

  private static String copyName(String name) {
    String copy = name + " (copy)";
    return copy.length() > 200 ? copy.substring(0, 200) : copy;
  }

  /** Seed 003: makes a draft or scheduled campaign recurring (or changes its recurrence). */
  private Future<JsonObject> schedule(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Recurrence.FIELDS);
    JsonObject body = ctx.body().asJsonObject();
    return accounts
        .getCached(Actor.of(ctx).accountId())
        .compose(
            account -> {
              Recurrence recurrence = Recurrence.read(in, "", body, CampaignRoutes.zone(account));
              in.check();
              Instant next = recurrence.next(platform.clock().instant());
              return act(
                  ctx,
                  "schedule",
                  (tx, c) -> {
                    require(c, Set.of("draft", "scheduled"), "scheduled");
                    if (c.parentId() != null) {
                      throw ApiException.conflict("A run of a recurring campaign has no schedule");
                    }
                    return CampaignChecks.startable(tx, c)
                        .compose(
                            v ->
                                CampaignStore.update(
                                    tx,
                                    c.id(),
                                    "scheduled",
                                    c.spec().withRecurrence(recurrence),
                                    next));
                  });
            });
  }

  /** Seed 003: sets A/B variants on a campaign that can still be edited. */
  private Future<JsonObject> variants(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("variants"));
    List<Variant> variants = CampaignInput.variants(in);
    in.require("variants", "'variants' is required");
    in.check();
    return act(
        ctx,
        "variants",
        (tx, c) -> {
          if (!Campaign.EDITABLE.contains(c.status())) {
            throw ApiException.conflict("A " + c.status() + " campaign cannot be edited");
          }
          CampaignSpec spec = c.spec().withVariants(variants);
          return CampaignChecks.references(tx, c.accountId(), spec)
              .compose(v -> CampaignStore.update(tx, c.id(), c.status(), spec, c.nextRunAt()));
        });
  }
}
