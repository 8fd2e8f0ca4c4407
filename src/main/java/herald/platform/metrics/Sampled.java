package herald.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges whose values come from periodic samples ({@link MetricsSampler} for those that need SQL,
 * {@link EventLoopProbe} for event-loop lag): a scrape reads the last sample and never waits on the
 * database. Thread-safe.
 */
public final class Sampled {
  /** One sender's row of the queue sample. */
  public record SenderSample(String channel, String sender, long queued, int ratePerSecond) {}

  private final MeterRegistry registry;
  private final MultiGauge queueDepth;
  private final MultiGauge rateLimit;
  private final MultiGauge campaigns;
  private final AtomicLong outboxLagMillis = new AtomicLong();
  private final AtomicLong outboxEvents = new AtomicLong();
  private final AtomicLong sampledAtMillis = new AtomicLong();
  private final Map<Integer, AtomicLong> loopLagNanos = new ConcurrentHashMap<>();

  Sampled(MeterRegistry registry) {
    this.registry = registry;
    queueDepth =
        MultiGauge.builder("herald.queue.depth")
            .description("Messages queued (waiting to be sent) per sender, as last sampled")
            .register(registry);
    rateLimit =
        MultiGauge.builder("herald.sender.rate.limit")
            .description("A sender's configured rate in messages per second")
            .register(registry);
    campaigns =
        MultiGauge.builder("herald.campaigns")
            .description("Campaigns by status, as last sampled")
            .register(registry);
    Gauge.builder("herald.outbox.lag", outboxLagMillis, v -> v.get() / 1000.0)
        .description("Age of the oldest event not yet fanned out to webhook deliveries")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("herald.outbox.events", outboxEvents, AtomicLong::get)
        .description("Events waiting to be fanned out to webhook deliveries")
        .register(registry);
    Gauge.builder(
            "herald.metrics.sample.age",
            sampledAtMillis,
            v -> v.get() == 0 ? 0 : (System.currentTimeMillis() - v.get()) / 1000.0)
        .description("Time since the SQL-sampled gauges were last refreshed")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Replaces the per-sender queue sample; senders absent from it drop out of the scrape. */
  public void senders(List<SenderSample> samples) {
    List<MultiGauge.Row<?>> depth = new ArrayList<>();
    List<MultiGauge.Row<?>> rates = new ArrayList<>();
    for (SenderSample s : samples) {
      Tags tags = Tags.of("channel", s.channel(), "sender", s.sender());
      depth.add(MultiGauge.Row.of(tags, s.queued()));
      rates.add(MultiGauge.Row.of(tags, s.ratePerSecond()));
    }
    queueDepth.register(depth, true);
    rateLimit.register(rates, true);
  }

  /** Replaces the campaign count by status. */
  public void campaigns(Map<String, Long> byStatus) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byStatus.forEach((status, n) -> rows.add(MultiGauge.Row.of(Tags.of("status", status), n)));
    campaigns.register(rows, true);
  }

  /** The outbox sample: events waiting for fan-out and the age of the oldest (0 when none). */
  public void outbox(long events, long oldestAgeMillis) {
    outboxEvents.set(events);
    outboxLagMillis.set(Math.max(0, oldestAgeMillis));
    sampledAtMillis.set(System.currentTimeMillis());
  }

  /** The latest delay, in nanoseconds, a task waited on event loop {@code loop}. */
  public void eventLoopLag(int loop, long nanos) {
    loopLagNanos
        .computeIfAbsent(
            loop,
            k -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder("herald.event.loop.lag", holder, v -> v.get() / 1e9)
                  .description("How long a task last waited to run on the event loop")
                  .baseUnit("seconds")
                  .tag("loop", Integer.toString(k))
                  .register(registry);
              return holder;
            })
        .set(nanos);
  }
}
