package herald.campaign;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.call.CampaignCalls;
import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Campaign control: start, pause, resume, stop, retry, clone, and seed 003's {@code schedule} and
 * {@code variants}. Each is one transaction holding the campaign's row lock: the status change,
 * what it does to queued messages and recipients, its event and its audit entry commit together, so
 * a decision taken before a crash still holds after it. The engine is told at once ({@link
 * Addresses#CAMPAIGNS_CHANGED} after commit); pause takes effect within its next tick. Mounted by
 * {@link ControlRoutes}.
 */
final class CampaignControl {
  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;

  CampaignControl(Vertx vertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
  }

  /** Runs {@code action} on the locked campaign, audits it and tells the engine. */
  private Future<Campaign> act(
      Actor actor, UUID id, String name, BiFunction<SqlClient, Campaign, Future<Campaign>> action) {
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
              return after;
            });
  }

  private static void require(Campaign c, Set<String> statuses, String action) {
    if (!statuses.contains(c.status())) {
      throw ApiException.conflict("A " + c.status() + " campaign cannot be " + action);
    }
  }

  /**
   * Starts a draft or scheduled campaign: at once, at its {@code scheduled_at}, or on its
   * recurrence. Seed 003's {@code send} may bring {@code recipients} to add and a {@code message}
   * to use (either may be null).
   */
  Future<Campaign> start(
      Actor actor, UUID id, List<RecipientStore.NewRecipient> recipients, String text) {
    return act(
        actor,
        id,
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
  }

  Future<Campaign> pause(Actor actor, UUID id) {
    return act(actor, id, "pause", this::pause);
  }

  Future<Campaign> resume(Actor actor, UUID id) {
    return act(actor, id, "resume", this::resume);
  }

  Future<Campaign> stop(Actor actor, UUID id) {
    return act(actor, id, "stop", this::stop);
  }

  Future<Campaign> retry(Actor actor, UUID id) {
    return act(actor, id, "retry", this::retry);
  }

  /** Running now, or scheduled for its start time or its recurrence's next run. */
  private Future<Campaign> begin(SqlClient tx, Campaign c) {
    Instant now = clock.instant();
    CampaignSpec spec = c.spec();
    if (spec.recurrence() != null) {
      return CampaignStore.update(tx, c.id(), "scheduled", spec, spec.recurrence().next(now));
    }
    if (spec.startAt() != null && spec.startAt().isAfter(now)) {
      return CampaignStore.transition(tx, c, "scheduled", null, null);
    }
    return CampaignStore.transition(tx, c, "running", EventType.CAMPAIGN_STARTED, null);
  }

  private Future<Campaign> pause(SqlClient tx, Campaign c) {
    require(c, Set.of("running"), "paused");
    return (c.spec().voice() ? CampaignCalls.hold(tx, c.id()) : RecipientStore.hold(tx, c.id()))
        .compose(v -> CampaignStore.transition(tx, c, "paused", EventType.CAMPAIGN_PAUSED, null));
  }

  private Future<Campaign> resume(SqlClient tx, Campaign c) {
    require(c, Set.of("paused"), "resumed");
    Double cap = c.spec().rateCap();
    return (c.spec().voice()
            ? CampaignCalls.release(tx, c.id())
            : RecipientStore.release(tx, c.id(), 1000.0 / (cap == null ? 100 : cap)))
        .compose(v -> CampaignStore.transition(tx, c, "running", EventType.CAMPAIGN_RESUMED, null));
  }

  private Future<Campaign> stop(SqlClient tx, Campaign c) {
    require(c, Set.of("running", "paused", "scheduled"), "stopped");
    if (c.spec().voice()) {
      return CampaignCalls.cancelQueued(tx, c.id())
          .compose(canceled -> VoiceStore.cancelPending(tx, c.id()).map(canceled.size()))
          .compose(
              canceled ->
                  CampaignStore.transition(
                      tx,
                      c,
                      "stopped",
                      EventType.CAMPAIGN_STOPPED,
                      new JsonObject().put("canceled_calls", canceled)));
    }
    return RecipientStore.cancelRemaining(tx, c.id())
        .compose(
            canceled ->
                CampaignStore.transition(
                    tx,
                    c,
                    "stopped",
                    EventType.CAMPAIGN_STOPPED,
                    new JsonObject().put("canceled_messages", canceled)));
  }

  /** Re-queues every recipient whose message failed, at once; restarts a finished campaign. */
  private Future<Campaign> retry(SqlClient tx, Campaign c) {
    require(c, Set.of("running", "paused", "completed", "stopped", "failed"), "retried");
    if (c.spec().voice()) {
      throw ApiException.conflict(
          "A voice campaign retries busy and unanswered numbers itself (max_attempts,"
              + " voice.retry_delays); there is no manual retry");
    }
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
                  EventType.CAMPAIGN_STARTED,
                  new JsonObject().put("retry", true).put("requeued", n));
            });
  }

  /** A new draft with the same spec and inline recipients, named {@code name} or "... (copy)". */
  Future<Campaign> cloneCampaign(Actor actor, UUID id, String name) {
    UUID cloneId = Ids.newId();
    return pool.withTransaction(
        tx ->
            CampaignStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    source -> {
                      Responses.found(source, "Campaign");
                      String n = name != null ? name : copyName(source.spec().name());
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
                              clone -> CampaignStore.getForUpdate(tx, actor.accountId(), cloneId))
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
                    }));
  }

  private static String copyName(String name) {
    String copy = name + " (copy)";
    return copy.length() > 200 ? copy.substring(0, 200) : copy;
  }

  /** Seed 003: makes a draft or scheduled campaign recurring (or changes its recurrence). */
  Future<Campaign> schedule(Actor actor, UUID id, Recurrence recurrence) {
    Instant next = recurrence.next(clock.instant());
    return act(
        actor,
        id,
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
                          tx, c.id(), "scheduled", c.spec().withRecurrence(recurrence), next));
        });
  }

  /** Seed 003: sets A/B variants on a campaign that can still be edited. */
  Future<Campaign> variants(Actor actor, UUID id, List<Variant> variants) {
    return act(
        actor,
        id,
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
