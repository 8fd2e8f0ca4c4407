package herald;

import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.metrics.EventLoopProbe;
import herald.platform.metrics.Sampled;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the gauges that need SQL every {@code metrics.sample_interval_ms}, with the async pool
 * and at most one sample under way (a slow database skips ticks rather than piling them up), and
 * probes every event loop once a second ({@link EventLoopProbe}). One instance per process.
 *
 * <p>The queue depth per sender counts each sender's queued messages, so its cost grows with the
 * backlog (about 240 ms of database time for 60,000 queued messages while they are being sent). It
 * is therefore taken at most once per {@link #DEPTH_COST_FACTOR} times its own last duration: the
 * count never takes more than 2 % of one database connection's time, and a large backlog's depth is
 * simply refreshed less often.
 */
public final class MetricsSampler extends VerticleBase {
  public static final String GROUP = "metrics";
  private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);

  /** Queued messages per active sender (an index-only count over the queue's partial index). */
  static final String SENDERS =
      "SELECT s.id, s.channel, s.rate_per_second,"
          + " (SELECT count(*) FROM messages m WHERE m.sender_id = s.id AND m.status = 'queued')"
          + " AS queued FROM senders s WHERE s.is_active";

  /**
   * Events waiting in the webhook consumer's queue ({@code herald.event.EventQueue#WEBHOOKS}) and
   * the age of the oldest, in milliseconds.
   */
  static final String OUTBOX =
      "SELECT count(*) AS events,"
          + " coalesce((extract(epoch FROM now() - min(e.created_at)) * 1000)::bigint, 0) AS age_ms"
          + " FROM event_queue q JOIN events e ON e.id = q.event_id WHERE q.consumer = 'webhooks'";

  /** Every campaign status, so each has a series (at zero) from the first sample. */
  static final List<String> CAMPAIGN_STATUSES =
      List.of("draft", "scheduled", "running", "paused", "completed", "stopped", "failed");

  static final String CAMPAIGNS = "SELECT status, count(*) AS n FROM campaigns GROUP BY status";

  /** The queue-depth count waits this many times its last duration before it runs again. */
  static final long DEPTH_COST_FACTOR = 50;

  private final Platform platform;
  private final Sampled sampled;
  private boolean sampling;
  private long depthDueAt;

  public MetricsSampler(Platform platform) {
    this.platform = platform;
    this.sampled = platform.metrics().sampled();
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    depthDueAt = System.nanoTime();
    EventLoopProbe probe = new EventLoopProbe(((VertxInternal) vertx).nettyEventLoopGroup());
    vertx.setPeriodic(EventLoopProbe.PERIOD_MS, id -> probe.probe(sampled));
    vertx.setPeriodic(0, platform.config().metrics().sampleInterval().toMillis(), id -> sample());
    return Future.succeededFuture();
  }

  private void sample() {
    if (sampling || !platform.started().get()) {
      return;
    }
    sampling = true;
    var pool = platform.pool();
    long now = System.nanoTime();
    Future<Void> senders = now - depthDueAt < 0 ? Future.succeededFuture() : sampleDepth(pool, now);
    Future<Void> outbox =
        pool.query(OUTBOX)
            .execute()
            .map(
                rows -> {
                  Row row = rows.iterator().next();
                  sampled.outbox(row.getLong("events"), row.getLong("age_ms"));
                  return null;
                });
    Future<Void> campaigns =
        pool.query(CAMPAIGNS)
            .execute()
            .map(
                rows -> {
                  Map<String, Long> byStatus = new LinkedHashMap<>();
                  CAMPAIGN_STATUSES.forEach(status -> byStatus.put(status, 0L));
                  rows.forEach(row -> byStatus.put(row.getString("status"), row.getLong("n")));
                  sampled.campaigns(byStatus);
                  return null;
                });
    Future.join(senders, outbox, campaigns)
        .onFailure(err -> LOG.warn("Sampling metrics failed: {}", err.getMessage()))
        .onComplete(done -> sampling = false);
  }

  /** Counts the queue of every active sender, and schedules the next count by this one's cost. */
  private Future<Void> sampleDepth(io.vertx.sqlclient.Pool pool, long started) {
    return pool.query(SENDERS)
        .execute()
        .map(
            rows -> {
              List<Sampled.SenderSample> out = new ArrayList<>();
              for (Row row : rows) {
                out.add(
                    new Sampled.SenderSample(
                        row.getString("channel"),
                        row.getUUID("id").toString(),
                        row.getLong("queued"),
                        row.getInteger("rate_per_second")));
              }
              sampled.senders(out);
              depthDueAt = started + depthPause(System.nanoTime() - started);
              return null;
            });
  }

  /**
   * How long after a depth count that took {@code tookNanos} the next may start: {@link
   * #DEPTH_COST_FACTOR} times as long, counted from its start, so counting takes at most 1 in 50 of
   * the time. A fast count is due again at once (the sample interval paces it).
   */
  static long depthPause(long tookNanos) {
    return Math.max(0, tookNanos) * DEPTH_COST_FACTOR;
  }
}
