package herald.campaign;

import herald.event.EventType;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.cluster.Ownership;
import herald.platform.database.Ids;
import herald.sender.Sender;
import herald.sender.SenderStore;
import herald.template.TemplateStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign engine: starts scheduled campaigns when due, starts each run of a recurring campaign
 * as a child campaign, and runs every running campaign it owns with a {@link CampaignRunner} at its
 * fair share of its senders ({@link RateShares}). Each live (scheduled or running) campaign belongs
 * to one instance in the whole cluster, through an {@link Ownership} lease of kind {@value #KIND}:
 * instances and nodes share the campaigns evenly, and when a node dies its campaigns move to the
 * others within {@code cluster.lease_ms}. Everything it acts on is read from PostgreSQL on every
 * poll, so a campaign taken over (or picked up after a crash) continues where the database says it
 * was; pause and stop, committed by the API, take effect at the next poll (within a second) and at
 * once through the event bus.
 */
public final class CampaignVerticle extends VerticleBase {
  public static final String GROUP = "campaigns";

  /** The {@link Ownership} kind of campaigns; keys are campaign ids. */
  public static final String KIND = "campaign";

  private static final Logger LOG = LoggerFactory.getLogger(CampaignVerticle.class);
  private static final long POLL_MS = 1000;
  private static final long TICK_MS = 100;

  private final Platform platform;
  private final Map<UUID, Runner> runners = new HashMap<>();
  private Pool pool;
  private CampaignStore campaigns;
  private SenderStore senders;
  private TemplateStore templates;
  private boolean refreshing;
  private boolean again;
  private Ownership ownership;

  public CampaignVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    pool = platform.pool();
    campaigns = new CampaignStore(pool);
    senders = new SenderStore(pool);
    templates = new TemplateStore(pool);
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    ownership =
        Ownership.start(
            vertx,
            pool,
            platform.config().cluster(),
            KIND,
            GROUP,
            new Ownership.Listener() {
              @Override
              public Future<Set<String>> candidates() {
                return campaigns.live().map(CampaignVerticle::ids);
              }

              @Override
              public void gained(String key) {
                refresh();
              }

              @Override
              public Future<Void> lost(String key) {
                Runner runner = runners.remove(UUID.fromString(key));
                return runner == null ? Future.succeededFuture() : runner.halt();
              }
            });
    vertx
        .eventBus()
        .<String>consumer(
            Addresses.CAMPAIGNS_CHANGED,
            message -> {
              ownership.refresh(); // a new live campaign needs an owner
              refresh();
            });
    vertx.setPeriodic(POLL_MS, id -> refresh());
    vertx.setPeriodic(TICK_MS, id -> runners.values().forEach(Runner::tick));
    refresh();
    return Future.succeededFuture();
  }

  /** Stops every runner and hands the campaigns back, so another node takes them at once. */
  @Override
  public Future<?> stop() {
    return ownership.close();
  }

  private static Set<String> ids(List<Campaign> live) {
    Set<String> ids = new HashSet<>();
    live.forEach(c -> ids.add(c.id().toString()));
    return ids;
  }

  /** One refresh at a time; a request during one runs another right after. */
  private void refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    again = false;
    poll()
        .onComplete(
            done -> {
              refreshing = false;
              if (done.failed()) {
                LOG.warn("Campaign poll failed: {}", done.cause().getMessage());
              }
              if (again) {
                refresh();
              }
            });
  }

  private Future<Void> poll() {
    Instant now = platform.clock().instant();
    return campaigns
        .live()
        .compose(
            live -> {
              List<Future<?>> work = new ArrayList<>();
              List<Campaign> running = new ArrayList<>();
              for (Campaign c : live) {
                if (!ownership.owns(c.id().toString())) {
                  continue;
                }
                if ("running".equals(c.status())) {
                  running.add(c);
                } else if (c.spec().recurrence() != null) {
                  if (c.nextRunAt() != null && !c.nextRunAt().isAfter(now)) {
                    work.add(spawnRun(c, now));
                  }
                } else if (c.spec().startAt() == null || !c.spec().startAt().isAfter(now)) {
                  work.add(startScheduled(c));
                }
              }
              Set<UUID> ids = new HashSet<>();
              running.forEach(c -> ids.add(c.id()));
              runners
                  .entrySet()
                  .removeIf(
                      e -> {
                        if (!ids.contains(e.getKey())) {
                          e.getValue().stop();
                          return true;
                        }
                        return false;
                      });
              return Future.join(work).transform(x -> run(running));
            });
  }

  /** Resolves each running campaign's senders and templates, shares the rates, feeds runners. */
  private Future<Void> run(List<Campaign> running) {
    List<Future<Prepared>> prepared = new ArrayList<>();
    for (Campaign c : running) {
      prepared.add(prepare(c));
    }
    return Future.join(prepared)
        .transform(
            x -> {
              List<RateShares.Demand> demands = new ArrayList<>();
              Map<UUID, Integer> senderRates = new HashMap<>();
              List<Prepared> ready = new ArrayList<>();
              for (Future<Prepared> f : prepared) {
                Prepared p = f.succeeded() ? f.result() : null;
                if (p == null) {
                  continue;
                }
                ready.add(p);
                if (p.campaign().spec().voice()) {
                  continue; // a voice campaign's pace is its calls per second and its cap
                }
                p.senders().forEach(s -> senderRates.put(s.id(), s.ratePerSecond()));
                demands.add(
                    new RateShares.Demand(
                        p.campaign().id(),
                        p.senders().stream().map(Sender::id).toList(),
                        p.campaign().spec().rateCap(),
                        p.campaign().spec().weight()));
              }
              Map<UUID, Double> rates = RateShares.allocate(demands, senderRates);
              for (Prepared p : ready) {
                if (!ownership.owns(p.campaign().id().toString())) {
                  continue; // handed over while this poll ran
                }
                runners.computeIfPresent(p.campaign().id(), (id, r) -> r.stopped() ? null : r);
                if (p.campaign().spec().voice()) {
                  Runner voice =
                      runners.computeIfAbsent(
                          p.campaign().id(),
                          id -> new VoiceRunner(vertx, pool, platform.clock(), p.campaign()));
                  ((VoiceRunner) voice).update(p.campaign(), p.senders(), p.zone());
                  continue;
                }
                CampaignRunner runner =
                    (CampaignRunner)
                        runners.computeIfAbsent(
                            p.campaign().id(),
                            id ->
                                new CampaignRunner(
                                    vertx,
                                    pool,
                                    platform.config().campaigns(),
                                    platform.clock(),
                                    platform.metrics(),
                                    p.campaign()));
                runner.update(
                    p.campaign(),
                    rates.getOrDefault(p.campaign().id(), 0.0),
                    p.senders(),
                    p.templates(),
                    p.zone());
              }
              return Future.<Void>succeededFuture();
            });
  }

  /** What a runner needs besides the campaign row. */
  private record Prepared(
      Campaign campaign, List<Sender> senders, Map<UUID, String> templates, ZoneId zone) {}

  /** Null when the campaign cannot run (and has been failed with the reason). */
  private Future<Prepared> prepare(Campaign c) {
    CampaignSpec spec = c.spec();
    List<Future<Sender>> lookups = new ArrayList<>();
    if (spec.senderIds().isEmpty()) {
      lookups.add(senders.defaultForCached(c.accountId(), spec.channel()));
    } else {
      spec.senderIds().forEach(id -> lookups.add(senders.getCached(c.accountId(), id)));
    }
    Set<UUID> templateIds = new HashSet<>();
    if (spec.templateId() != null) {
      templateIds.add(spec.templateId());
    }
    spec.variants().stream()
        .filter(v -> v.templateId() != null)
        .forEach(v -> templateIds.add(v.templateId()));
    Map<UUID, Future<herald.template.Template>> found = new HashMap<>();
    templateIds.forEach(id -> found.put(id, templates.get(c.accountId(), id)));
    Future<String> zone = CampaignStore.accountZone(pool, c.accountId());
    List<Future<?>> all = new ArrayList<>(lookups);
    all.addAll(found.values());
    all.add(zone);
    return Future.all(all)
        .compose(
            x -> {
              List<Sender> usable = new ArrayList<>();
              for (Future<Sender> f : lookups) {
                Sender s = f.result();
                if (s != null && s.active() && s.channel().equals(spec.channel())) {
                  usable.add(s);
                }
              }
              if (usable.isEmpty()) {
                return fail(c, "no active " + spec.channel() + " sender for this campaign");
              }
              Map<UUID, String> contents = new HashMap<>();
              for (var e : found.entrySet()) {
                if (e.getValue().result() == null) {
                  return fail(c, "template " + e.getKey() + " no longer exists");
                }
                contents.put(e.getKey(), e.getValue().result().content());
              }
              return Future.succeededFuture(
                  new Prepared(c, usable, contents, zoneOf(zone.result())));
            });
  }

  private static ZoneId zoneOf(String name) {
    try {
      return name == null ? ZoneOffset.UTC : ZoneId.of(name);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }

  private Future<Prepared> fail(Campaign c, String reason) {
    LOG.warn("Campaign {} failed: {}", c.id(), reason);
    return pool.withTransaction(
            tx ->
                CampaignStore.lock(tx, c.id())
                    .compose(
                        locked ->
                            locked == null || !"running".equals(locked.status())
                                ? Future.succeededFuture()
                                : CampaignStore.setError(tx, c.id(), reason)
                                    .compose(
                                        v ->
                                            CampaignStore.transition(
                                                tx,
                                                locked,
                                                "failed",
                                                EventType.CAMPAIGN_FAILED,
                                                new JsonObject().put("error", reason)))))
        .map((Prepared) null);
  }

  private Future<Void> startScheduled(Campaign c) {
    return pool.withTransaction(
        tx ->
            CampaignStore.lock(tx, c.id())
                .compose(
                    locked ->
                        locked == null || !"scheduled".equals(locked.status())
                            ? Future.succeededFuture()
                            : CampaignStore.transition(
                                    tx, locked, "running", EventType.CAMPAIGN_STARTED, null)
                                .mapEmpty()));
  }

  /**
   * Starts a recurring campaign's due run: a child campaign with the same spec (no schedule of its
   * own) and the parent's own recipients, started at once; then sets the parent's next run.
   */
  private Future<Void> spawnRun(Campaign parent, Instant now) {
    return pool.withTransaction(
        tx ->
            CampaignStore.lock(tx, parent.id())
                .compose(
                    locked -> {
                      if (locked == null
                          || !"scheduled".equals(locked.status())
                          || locked.nextRunAt() == null
                          || locked.nextRunAt().isAfter(now)) {
                        return Future.succeededFuture();
                      }
                      Instant due = locked.nextRunAt();
                      Instant next = locked.spec().recurrence().next(now.isAfter(due) ? now : due);
                      CampaignSpec runSpec = locked.spec().asRun(due);
                      UUID childId = Ids.newId();
                      LOG.info("Campaign {}: run due {} starts as {}", parent.id(), due, childId);
                      return CampaignStore.insert(
                              tx,
                              childId,
                              locked.accountId(),
                              locked.id(),
                              "scheduled",
                              runSpec,
                              null)
                          .compose(
                              child -> RecipientStore.copy(tx, locked.id(), childId).map(child))
                          .compose(
                              child ->
                                  CampaignStore.transition(
                                      tx,
                                      child,
                                      "running",
                                      EventType.CAMPAIGN_STARTED,
                                      new JsonObject().put("scheduled_for", due.toString())))
                          .compose(v -> CampaignStore.setNextRun(tx, locked.id(), next))
                          .compose(
                              v ->
                                  next == null
                                      ? CampaignStore.transition(
                                              tx, locked, "completed", null, null)
                                          .mapEmpty()
                                      : Future.<Void>succeededFuture());
                    }));
  }
}
