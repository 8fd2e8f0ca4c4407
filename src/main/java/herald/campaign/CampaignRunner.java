package herald.campaign;

import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.config.CampaignConfig;
import herald.sender.Sender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one campaign on its engine verticle's event loop: snapshots the audience, then on every tick
 * turns due recipients into messages at the campaign's share of its senders' rate, each message
 * with its own slot time so the sender's pump sends them evenly. It queues at most {@code
 * campaigns.lookahead_ms} ahead and feeds nothing while its messages are backed up at the sender
 * (slow provider, open circuit). When nothing is pending or in flight it completes the campaign,
 * after re-queueing failed recipients that have attempts left.
 */
final class CampaignRunner implements Runner {
  private static final Logger LOG = LoggerFactory.getLogger(CampaignRunner.class);
  private static final long COMPLETION_CHECK_MS = 1000;
  private static final double BACKLOG_SECONDS = 2;

  /** Most messages a campaign keeps waiting at its senders, however fast they are. */
  private static final int MAX_BACKLOG = 5000;

  private final Vertx vertx;
  private final Pool pool;
  private final CampaignConfig config;
  private final Clock clock;
  private final herald.platform.metrics.Metrics metrics;
  private final UUID campaignId;
  private Campaign campaign;
  private Expansion expansion;
  private double rate;
  private boolean busy;
  private boolean stopped;
  private UUID snapshotCursor;
  private Future<Void> inFlight = Future.succeededFuture();

  /** Epoch milliseconds of the next free slot in the paced stream. */
  private double nextSlot;

  /** When the runner first found nothing left to do, or 0. */
  private long idleSince;

  CampaignRunner(
      Vertx vertx,
      Pool pool,
      CampaignConfig config,
      Clock clock,
      herald.platform.metrics.Metrics metrics,
      Campaign campaign) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.clock = clock;
    this.campaignId = campaign.id();
    this.campaign = campaign;
  }

  /** The latest campaign row, its share of its senders, and what its messages are made from. */
  void update(
      Campaign latest,
      double ratePerSecond,
      List<Sender> senders,
      Map<UUID, String> templates,
      ZoneId accountZone) {
    campaign = latest;
    rate = ratePerSecond;
    expansion =
        new Expansion(
            latest, senders, templates, accountZone, expansion == null ? 0 : expansion.turn());
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public Future<Void> halt() {
    stopped = true;
    return inFlight.transform(x -> Future.succeededFuture());
  }

  @Override
  public boolean stopped() {
    return stopped;
  }

  @Override
  public void tick() {
    if (busy || stopped || expansion == null) {
      return;
    }
    busy = true;
    inFlight =
        step()
            .onComplete(
                done -> {
                  busy = false;
                  if (done.failed()) {
                    LOG.warn("Campaign {}: step failed: {}", campaignId, done.cause().getMessage());
                  }
                });
  }

  private Future<Void> step() {
    if (!campaign.audienceReady()) {
      return snapshot();
    }
    Instant now = clock.instant();
    QuietHours quiet = campaign.spec().quietHours();
    if (quiet != null && quiet.zone() != null && quiet.resumeAt(now, quiet.zone()) != null) {
      return Future.succeededFuture(); // the whole campaign is in its quiet hours
    }
    if (rate <= 0) {
      return Future.succeededFuture();
    }
    double nowMs = now.toEpochMilli();
    if (nextSlot < nowMs - 1000) {
      nextSlot = nowMs; // after a stall or back-pressure: resume at pace, not with a burst
    }
    double spacing = 1000.0 / rate;
    int wanted = (int) Math.ceil((nowMs + config.lookaheadMs() - nextSlot) / spacing);
    if (wanted <= 0) {
      wake();
      return Future.succeededFuture();
    }
    int take = Math.min(wanted, config.batchSize());
    int backlog = (int) Math.min(MAX_BACKLOG, Math.max(rate * BACKLOG_SECONDS, 20));
    return RecipientStore.inFlight(pool, campaignId, backlog + 1)
        .compose(
            flight -> {
              if (flight.queued() > backlog) {
                wake();
                return Future.succeededFuture(); // the senders are behind: let them catch up
              }
              return feed(now, take, spacing)
                  .compose(
                      taken -> {
                        wake();
                        if (taken == 0 && flight.queued() == 0) {
                          return maybeComplete(flight);
                        }
                        idleSince = 0;
                        return Future.succeededFuture();
                      });
            });
  }

  /** One transaction: take due recipients, make their messages, record what became of each. */
  private Future<Integer> feed(Instant now, int take, double spacing) {
    Expansion exp = expansion;
    List<Expansion.Batch> committed = new java.util.ArrayList<>(1);
    return pool.<Integer>withTransaction(
            tx ->
                CampaignStore.lockShared(tx, campaignId)
                    .compose(
                        status -> {
                          if (!"running".equals(status)) {
                            return Future.succeededFuture(0);
                          }
                          return RecipientStore.takeDue(tx, campaign, now, take)
                              .compose(
                                  due -> windows(tx, exp, due).map(open -> Map.entry(due, open)))
                              .compose(
                                  taken -> {
                                    List<RecipientStore.Due> due = taken.getKey();
                                    Expansion.Batch batch =
                                        exp.expand(due, now, nextSlot, spacing, taken.getValue());
                                    if (due.isEmpty()) {
                                      return Future.succeededFuture(0);
                                    }
                                    return RecipientStore.record(
                                            tx, campaign, batch.outcomes(), batch.messages())
                                        .map(
                                            v -> {
                                              committed.add(batch);
                                              nextSlot += batch.messages().size() * spacing;
                                              return due.size();
                                            });
                                  });
                        }))
        .onSuccess(n -> committed.forEach(this::count));
  }

  /** The open customer-service windows of the due recipients, when the content needs them. */
  private static Future<Map<String, java.util.Set<UUID>>> windows(
      io.vertx.sqlclient.SqlClient tx, Expansion exp, List<RecipientStore.Due> due) {
    if (due.isEmpty() || !exp.needsWindows()) {
      return Future.succeededFuture(Map.of());
    }
    return herald.message.ServiceWindows.openAmong(
        tx,
        exp.senderIds(),
        due.stream().map(RecipientStore.Due::phone).distinct().toList(),
        exp.serviceWindow());
  }

  /** Reports a committed batch: messages queued per sender, recipients by outcome. */
  private void count(Expansion.Batch batch) {
    Map<UUID, Integer> bySender = new java.util.HashMap<>();
    batch.messages().forEach(m -> bySender.merge(m.senderId(), 1, Integer::sum));
    bySender.forEach(
        (sender, n) -> metrics.messages(campaign.spec().channel(), sender, "queued", n));
    Map<String, Integer> byOutcome = new java.util.HashMap<>();
    batch
        .outcomes()
        .forEach(
            o ->
                byOutcome.merge(
                    o.state().equals("pending") ? "deferred" : o.state(), 1, Integer::sum));
    byOutcome.forEach(metrics::campaignRecipients);
  }

  private void wake() {
    for (UUID sender : expansion.senderIds()) {
      vertx.eventBus().publish(Addresses.MESSAGES_QUEUED, sender.toString());
    }
  }

  /**
   * With nothing due and nothing queued: completes the campaign once nothing is pending or being
   * sent on two checks a second apart (so receipts that come soon after the last send are in),
   * after giving failed recipients with attempts left another try.
   */
  private Future<Void> maybeComplete(RecipientStore.InFlight flight) {
    long nowMs = System.currentTimeMillis();
    if (flight.sending() > 0) {
      idleSince = 0;
      return Future.succeededFuture();
    }
    if (idleSince == 0) {
      idleSince = nowMs;
      return Future.succeededFuture();
    }
    if (nowMs - idleSince < COMPLETION_CHECK_MS) {
      return Future.succeededFuture();
    }
    idleSince = 0;
    CampaignSpec spec = campaign.spec();
    return pool.withTransaction(
        tx ->
            CampaignStore.lock(tx, campaignId)
                .compose(
                    locked -> {
                      if (locked == null || !"running".equals(locked.status())) {
                        return Future.succeededFuture();
                      }
                      Future<Integer> retried =
                          spec.maxAttempts() > 1
                              ? RecipientStore.retryFailed(
                                  tx, campaignId, spec.maxAttempts(), spec.retryDelaySeconds())
                              : Future.succeededFuture(0);
                      return retried.compose(
                          n ->
                              n > 0
                                  ? Future.succeededFuture()
                                  : RecipientStore.nextDue(tx, campaignId)
                                      .compose(
                                          due ->
                                              due != null
                                                  ? Future.succeededFuture()
                                                  : RecipientStore.inFlight(tx, campaignId, 1)
                                                      .compose(
                                                          f ->
                                                              f.queued() + f.sending() > 0
                                                                  ? Future.succeededFuture()
                                                                  : complete(tx, locked))));
                    }));
  }

  private Future<Void> complete(io.vertx.sqlclient.SqlClient tx, Campaign locked) {
    return CampaignResults.summary(tx, locked)
        .compose(
            summary ->
                CampaignStore.transition(
                    tx, locked, "completed", EventType.CAMPAIGN_COMPLETED, summary))
        .map(
            done -> {
              LOG.info("Campaign {} completed", campaignId);
              return null; // the engine drops this runner at its next poll
            });
  }

  /** Copies the next chunk of groups and contacts into the recipients. */
  private Future<Void> snapshot() {
    return pool.withTransaction(
            tx ->
                RecipientStore.snapshot(tx, campaign, snapshotCursor, config.snapshotChunk())
                    .compose(
                        last ->
                            last == null
                                ? CampaignStore.markAudienceReady(tx, campaignId).map(last)
                                : Future.succeededFuture(last)))
        .map(
            last -> {
              snapshotCursor = last;
              if (last == null) {
                campaign = campaign.withAudienceReady();
                LOG.info("Campaign {}: audience ready", campaignId);
              }
              return null;
            });
  }
}
