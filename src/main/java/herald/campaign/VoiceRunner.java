package herald.campaign;

import herald.call.Call;
import herald.call.CampaignCalls;
import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.database.Ids;
import herald.sender.Sender;
import herald.template.Renderer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one voice campaign: on every tick it settles the recipients whose call has ended (retrying
 * busy and unanswered ones after their delay while attempts are left), then queues calls for due
 * recipients while the campaign has fewer calls under way than its cap and its calls-per-second
 * bucket allows. Each call is an ordinary call ({@link CampaignCalls#queue}) that the sender's lane
 * dials, follows and ends with its CDR; the campaign counts a recipient as calling from the moment
 * its call is queued until the engine has seen it end, so the campaign never has more calls up than
 * its cap, and the sender's lane keeps every campaign on it under the sender's cap. When no
 * recipient is pending or calling on two checks a second apart, the campaign completes.
 */
final class VoiceRunner implements Runner {
  private static final Logger LOG = LoggerFactory.getLogger(VoiceRunner.class);
  private static final long COMPLETION_CHECK_MS = 1000;
  private static final int MAX_BATCH = 200;

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final UUID campaignId;
  private Campaign campaign;
  private Sender sender;
  private ZoneId accountZone;
  private boolean busy;
  private boolean stopped;
  private Future<Void> inFlight = Future.succeededFuture();
  private UUID snapshotCursor;
  private double tokens;
  private long lastRefill;
  private long idleSince;

  VoiceRunner(Vertx vertx, Pool pool, Clock clock, Campaign campaign) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.campaignId = campaign.id();
    this.campaign = campaign;
  }

  /** The latest campaign row, its sender (the first usable one) and the account's zone. */
  void update(Campaign latest, List<Sender> senders, ZoneId zone) {
    boolean ready = campaign.audienceReady();
    campaign = ready && !latest.audienceReady() ? latest.withAudienceReady() : latest;
    sender = senders.get(0);
    accountZone = zone;
  }

  /** The campaign's cap: its own, never above its sender's. */
  int cap() {
    int senderCap = sender.settings().getInteger("max_concurrent_calls", 10);
    Integer own = campaign.spec().voiceSpec().maxConcurrentCalls();
    return own == null ? senderCap : Math.min(own, senderCap);
  }

  /** Calls a second: the campaign's own, never above its sender's. */
  double rate() {
    Number senderCps = sender.settings().getNumber("calls_per_second", 5);
    double rate = Math.min(senderCps.doubleValue(), Math.max(1, sender.ratePerSecond()));
    Double own = campaign.spec().voiceSpec().callsPerSecond();
    Double legacy = campaign.spec().ratePerSecond();
    if (own != null) {
      rate = Math.min(rate, own);
    } else if (legacy != null) {
      rate = Math.min(rate, legacy);
    }
    return rate;
  }

  @Override
  public void tick() {
    if (busy || stopped || sender == null) {
      return;
    }
    busy = true;
    inFlight =
        step()
            .onComplete(
                done -> {
                  busy = false;
                  if (done.failed()) {
                    LOG.warn(
                        "Voice campaign {}: step failed: {}",
                        campaignId,
                        done.cause().getMessage());
                  }
                });
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

  private Future<Void> step() {
    if (!campaign.audienceReady()) {
      return snapshot();
    }
    VoiceSpec voice = campaign.spec().voiceSpec();
    int cap = cap();
    return VoiceStore.settle(pool, campaignId, voice, campaign.spec().maxAttempts())
        .compose(settled -> VoiceStore.calling(pool, campaignId, cap + 1))
        .compose(calling -> feed(voice, cap, calling));
  }

  private Future<Void> feed(VoiceSpec voice, int cap, int calling) {
    Instant now = clock.instant();
    long nowMs = System.nanoTime() / 1_000_000;
    double rate = rate();
    if (lastRefill == 0) {
      tokens = 1;
    } else {
      tokens = Math.min(Math.max(1, rate), tokens + (nowMs - lastRefill) * rate / 1000.0);
    }
    lastRefill = nowMs;
    QuietHours quiet = campaign.spec().quietHours();
    if (quiet != null && quiet.zone() != null && quiet.resumeAt(now, quiet.zone()) != null) {
      return Future.succeededFuture(); // the whole campaign is in its quiet hours
    }
    int take = Math.min(Math.min((int) Math.floor(tokens), cap - calling), MAX_BATCH);
    if (take <= 0) {
      if (calling == 0) {
        return maybeComplete();
      }
      idleSince = 0;
      return Future.succeededFuture();
    }
    List<Integer> queued = new ArrayList<>(1);
    return pool.<Integer>withTransaction(
            tx ->
                CampaignStore.lockShared(tx, campaignId)
                    .compose(
                        status -> {
                          if (!"running".equals(status)) {
                            return Future.succeededFuture(0);
                          }
                          return RecipientStore.takeDue(tx, campaign, now, take)
                              .compose(due -> queue(tx, voice, due, now, queued));
                        }))
        .compose(
            taken -> {
              if (!queued.isEmpty() && queued.get(0) > 0) {
                tokens -= queued.get(0);
                vertx.eventBus().publish(Addresses.MESSAGES_QUEUED, sender.id().toString());
              }
              if (taken == 0 && calling == 0) {
                return maybeComplete();
              }
              idleSince = 0;
              return Future.succeededFuture();
            });
  }

  /** Calls (or skips, or defers) the taken recipients, in {@code tx}. */
  private Future<Integer> queue(
      SqlClient tx, VoiceSpec voice, List<RecipientStore.Due> due, Instant now, List<Integer> out) {
    List<VoiceStore.Outcome> outcomes = new ArrayList<>(due.size());
    List<Call> calls = new ArrayList<>();
    for (RecipientStore.Due r : due) {
      if (r.blacklisted()) {
        outcomes.add(new VoiceStore.Outcome(r.seq(), "skipped", "blacklisted", null, null));
        continue;
      }
      Instant resume = quietUntil(r, now);
      if (resume != null) {
        outcomes.add(new VoiceStore.Outcome(r.seq(), "pending", null, null, resume));
        continue;
      }
      UUID id = Ids.newId();
      calls.add(call(id, voice, r));
      outcomes.add(new VoiceStore.Outcome(r.seq(), "queued", null, id, null));
    }
    out.add(calls.size());
    Future<Void> chain = Future.succeededFuture();
    for (Call call : calls) {
      chain = chain.compose(v -> CampaignCalls.queue(tx, call).mapEmpty());
    }
    return chain
        .compose(
            v ->
                outcomes.isEmpty()
                    ? Future.succeededFuture()
                    : VoiceStore.record(tx, campaignId, outcomes))
        .map(due.size());
  }

  /** The attempt's call: the campaign's call options, placeholders filled from the recipient. */
  private Call call(UUID id, VoiceSpec voice, RecipientStore.Due r) {
    Renderer.Variables vars = Expansion.variables(r);
    JsonObject options = voice.call().copy();
    String play = options.getString("play");
    if (play != null && play.contains("{{")) {
      options.put("play", Renderer.render(play, vars).text().strip());
    }
    JsonObject variables = new JsonObject();
    options
        .getJsonObject("variables", new JsonObject())
        .forEach(
            e -> variables.put(e.getKey(), Renderer.render(e.getValue().toString(), vars).text()));
    options.put("variables", variables);
    return Call.queued(
        id,
        campaign.accountId(),
        sender.id(),
        r.phone(),
        options.getString("caller_id", sender.settings().getString("caller_id")),
        options,
        campaignId,
        r.seq());
  }

  /** When quiet hours judged by the recipient's own zone end, or null when it may be called. */
  private Instant quietUntil(RecipientStore.Due r, Instant now) {
    QuietHours quiet = campaign.spec().quietHours();
    if (quiet == null || quiet.zone() != null) {
      return null; // none, or campaign-wide (checked before taking anyone)
    }
    String zone = r.timezone();
    if (zone == null && r.contact() != null) {
      zone = r.contact().getString("timezone");
    }
    ZoneId judged = accountZone;
    if (zone != null) {
      try {
        judged = ZoneId.of(zone);
      } catch (DateTimeException e) {
        // an unknown zone in the data: judge by the account's
      }
    }
    return quiet.resumeAt(now, judged);
  }

  /**
   * With nothing calling and nothing taken: completes the campaign once, on two checks a second
   * apart, no recipient is pending (due or waiting for a retry) or calling.
   */
  private Future<Void> maybeComplete() {
    long nowMs = System.currentTimeMillis();
    if (idleSince == 0) {
      idleSince = nowMs;
      return Future.succeededFuture();
    }
    if (nowMs - idleSince < COMPLETION_CHECK_MS) {
      return Future.succeededFuture();
    }
    idleSince = 0;
    VoiceSpec voice = campaign.spec().voiceSpec();
    return pool.withTransaction(
        tx ->
            CampaignStore.lock(tx, campaignId)
                .compose(
                    locked -> {
                      if (locked == null || !"running".equals(locked.status())) {
                        return Future.succeededFuture();
                      }
                      return VoiceStore.settle(tx, campaignId, voice, locked.spec().maxAttempts())
                          .compose(n -> VoiceStore.anyPending(tx, campaignId))
                          .compose(
                              pending ->
                                  pending
                                      ? Future.succeededFuture(1)
                                      : VoiceStore.calling(tx, campaignId, 1))
                          .compose(
                              left ->
                                  left > 0 ? Future.<Void>succeededFuture() : complete(tx, locked));
                    }));
  }

  private Future<Void> complete(SqlClient tx, Campaign locked) {
    return VoiceStore.stats(tx, locked)
        .compose(
            stats ->
                CampaignStore.transition(
                    tx, locked, "completed", EventType.CAMPAIGN_COMPLETED, summary(stats)))
        .map(
            done -> {
              LOG.info("Voice campaign {} completed", campaignId);
              return null;
            });
  }

  private static JsonObject summary(JsonObject stats) {
    JsonObject out = new JsonObject();
    for (String k :
        List.of(
            "recipients",
            "answered",
            "busy",
            "no_answer",
            "failed",
            "canceled",
            "machine",
            "attempts",
            "average_talk_seconds")) {
      out.put(k, stats.getValue(k));
    }
    return out;
  }

  /** Copies the next chunk of groups and contacts into the recipients. */
  private Future<Void> snapshot() {
    return pool.withTransaction(
            tx ->
                RecipientStore.snapshot(tx, campaign, snapshotCursor, 1000)
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
              }
              return null;
            });
  }
}
