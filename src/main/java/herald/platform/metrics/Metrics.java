package herald.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Herald's metrics, in one place: the registry {@code GET /metrics} renders in Prometheus text, and
 * one method per thing components report (a message changing status, a receipt's lag, a webhook
 * attempt, ...). Components receive this facade and never look meters up themselves. Thread-safe.
 *
 * <p>When Vert.x was built by {@link #newVertx} its own metrics (HTTP server requests by route
 * template, the SQL pool, the event bus) land in the same registry.
 */
public final class Metrics implements AutoCloseable {
  /** Buckets of the latency histograms: HTTP requests, webhook attempts. */
  private static final Duration[] LATENCY_BUCKETS =
      millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000);

  /** Buckets of the receipt lag (sent to delivery receipt): SMSCs take seconds to hours. */
  private static final Duration[] RECEIPT_BUCKETS =
      millis(50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 1_800_000);

  /** What a webhook attempt can end in. */
  public static final List<String> WEBHOOK_OUTCOMES = List.of("succeeded", "retrying", "failed");

  /** What the campaign engine does with a due recipient. */
  public static final List<String> CAMPAIGN_OUTCOMES = List.of("queued", "skipped", "deferred");

  /** The circuit states a sender's breaker can be in, each a series of its own. */
  public static final List<String> CIRCUIT_STATES = List.of("closed", "half_open", "open");

  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> binders = new ArrayList<>();
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
  private final Sampled sampled;
  private final Map<Integer, Map<String, Integer>> webhookCircuits = new ConcurrentHashMap<>();

  private Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.sampled = new Sampled(registry);
    for (String state : CIRCUIT_STATES) {
      Gauge.builder(
              "herald.webhook.circuits",
              webhookCircuits,
              all -> all.values().stream().mapToInt(m -> m.getOrDefault(state, 0)).sum())
          .description("Webhook endpoints whose circuit breaker is in this state")
          .tag("state", state)
          .register(registry);
    }
    // Registered up front, so their series exist (at zero) before the first event: rate() and the
    // dashboard work from the first scrape.
    for (String outcome : WEBHOOK_OUTCOMES) {
      webhookCounter(outcome);
      webhookTimer(outcome);
    }
    for (String outcome : CAMPAIGN_OUTCOMES) {
      campaignCounter(outcome);
    }
  }

  /** A fresh registry with the JVM meters (memory, GC, threads, class loading, CPU, uptime). */
  public static Metrics create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        // An HTTP client pool is named after its remote host:port, one per webhook host: a label
        // the traffic's targets would grow without bound.
        .meterFilter(
            MeterFilter.deny(
                id ->
                    id.getName().startsWith("vertx.pool.")
                        && "http".equals(id.getTag("pool_type"))))
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                // Vert.x's HTTP server timer: a bounded set of buckets instead of none.
                if (id.getName().equals("vertx.http.server.response.time")) {
                  return DistributionStatisticConfig.builder()
                      .serviceLevelObjectives(nanos(LATENCY_BUCKETS))
                      .build()
                      .merge(config);
                }
                return config;
              }
            });
    Metrics metrics = new Metrics(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    metrics.binders.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return metrics;
  }

  /**
   * A Vert.x whose own metrics go to this registry: HTTP server requests labelled with their route
   * template (never the raw path), method and status code; pools; the event bus. Metrics options
   * can only be given when Vert.x is built, so {@code Main} and the tests build it here.
   */
  public Vertx newVertx() {
    MicrometerMetricsOptions options =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setLabels(
                Set.of(
                    Label.HTTP_ROUTE,
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.POOL_TYPE,
                    Label.POOL_NAME,
                    Label.EB_SIDE));
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The registry in Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  // ---- messages ----

  /**
   * {@code n} messages of {@code channel} and {@code sender} entered {@code status} (a committed
   * transition: queued, sent, requeued, failed, delivered, undelivered).
   */
  public void messages(String channel, UUID sender, String status, int n) {
    if (n <= 0) {
      return;
    }
    String senderId = sender == null ? "none" : sender.toString();
    counters
        .computeIfAbsent(
            List.of("messages", channel, senderId, status),
            k ->
                Counter.builder("herald.messages")
                    .description("Messages entering a status, by channel and sender")
                    .tags("channel", channel, "sender", senderId, "status", status)
                    .register(registry))
        .increment(n);
  }

  /** A delivery receipt settled a message {@code seconds} after it was recorded as sent. */
  public void receiptLag(String channel, UUID sender, double seconds) {
    String senderId = sender == null ? "none" : sender.toString();
    timers
        .computeIfAbsent(
            List.of("receipt", channel, senderId),
            k ->
                Timer.builder("herald.receipt.lag")
                    .description("Time from a message's sent record to its delivery receipt")
                    .tags("channel", channel, "sender", senderId)
                    .serviceLevelObjectives(RECEIPT_BUCKETS)
                    .register(registry))
        .record((long) (Math.max(0, seconds) * 1e9), TimeUnit.NANOSECONDS);
  }

  /**
   * Gauges of one sender's lane: its capacity (send window) in use and size, and its circuit state.
   * Close the returned registration when the lane is replaced or stopped. (The meter names keep
   * their first, SMS-era spelling so dashboards keep working; the {@code channel} tag tells the
   * channel.)
   *
   * @param inUse read on the scraping thread: a possibly stale count is fine
   * @param circuit the breaker's state, one of {@link #CIRCUIT_STATES}
   */
  public AutoCloseable senderGauges(
      String channel, UUID sender, IntSupplier inUse, int size, Supplier<String> circuit) {
    Tags tags = Tags.of("channel", channel, "sender", sender.toString());
    List<Meter> meters = new ArrayList<>();
    meters.add(
        Gauge.builder("herald.sms.window.in.use", inUse, s -> s.getAsInt())
            .description("Messages handed to the provider whose outcome is not recorded yet")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    meters.add(
        Gauge.builder("herald.sms.window.size", () -> size)
            .description("The sender's send window (SMPP: outstanding submit_sm)")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    for (String state : CIRCUIT_STATES) {
      meters.add(
          Gauge.builder("herald.circuit.state", circuit, c -> state.equals(c.get()) ? 1 : 0)
              .description("1 for the state the provider's circuit breaker is in, else 0")
              .tags(tags.and("state", state))
              .strongReference(true)
              .register(registry));
    }
    return () -> meters.forEach(registry::remove);
  }

  // ---- webhooks ----

  /**
   * One webhook attempt ended: {@code succeeded}, {@code retrying} (a retry is scheduled), or
   * {@code failed} (no retries left, or 410 Gone); {@code latencyMs} is the HTTP exchange's time.
   */
  public void webhookAttempt(String outcome, long latencyMs) {
    webhookTimer(outcome).record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
    webhookCounter(outcome).increment();
  }

  private Counter webhookCounter(String outcome) {
    return counters.computeIfAbsent(
        List.of("webhook", outcome),
        k ->
            Counter.builder("herald.webhook.deliveries")
                .description("Webhook delivery attempts by outcome")
                .tag("outcome", outcome)
                .register(registry));
  }

  private Timer webhookTimer(String outcome) {
    return timers.computeIfAbsent(
        List.of("webhook", outcome),
        k ->
            Timer.builder("herald.webhook.delivery")
                .description("Webhook delivery attempt latency by outcome")
                .tag("outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry));
  }

  /**
   * The webhook endpoint circuits one dispatcher instance holds, by state (closed, half_open,
   * open); the gauge sums over instances.
   */
  public void webhookCircuits(int dispatcher, Map<String, Integer> byState) {
    webhookCircuits.put(dispatcher, Map.copyOf(byState));
  }

  // ---- campaigns ----

  /**
   * {@code n} campaign recipients were {@code outcome} (queued, skipped, deferred) by the engine.
   */
  public void campaignRecipients(String outcome, int n) {
    if (n > 0) {
      campaignCounter(outcome).increment(n);
    }
  }

  private Counter campaignCounter(String outcome) {
    return counters.computeIfAbsent(
        List.of("campaign", outcome),
        k ->
            Counter.builder("herald.campaign.recipients")
                .description("Campaign recipients processed by the campaign engine, by outcome")
                .tag("outcome", outcome)
                .register(registry));
  }

  // ---- sampled and event-loop gauges ----

  /** The gauges set by the periodic SQL sampler and the event-loop probe. */
  public Sampled sampled() {
    return sampled;
  }

  /** Unbinds the JVM meters that hold JVM-wide listeners. */
  @Override
  public void close() {
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        // nothing to keep
      }
    }
    registry.close();
  }

  private static Duration[] millis(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofMillis(values[i]);
    }
    return out;
  }

  private static double[] nanos(Duration[] buckets) {
    double[] out = new double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      out[i] = buckets[i].toNanos();
    }
    return out;
  }
}
