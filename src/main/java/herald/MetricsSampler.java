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

  private final Platform platform;
  private final Sampled sampled;
  private boolean sampling;

  public MetricsSampler(Platform platform) {
    this.platform = platform;
    this.sampled = platform.metrics().sampled();
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
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
    Future<Void> senders =
        pool.query(SENDERS)
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
                  return null;
                });
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
}
