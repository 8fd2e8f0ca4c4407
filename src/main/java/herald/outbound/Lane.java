package herald.outbound;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.SendOutcome;
import herald.platform.config.EngineConfig;
import herald.platform.pacing.Guard;
import herald.platform.pacing.TokenBucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sender's outbound lane: claims its due messages (or calls: see {@link LaneWork}) ({@code SKIP
 * LOCKED}) as fast as the token bucket at the sender's rate allows (at most a batch at a time, up
 * to four batches overlapping), sends each through its provider behind a {@link Guard} once a
 * capacity slot is free, and has the {@link OutcomeRecorder} write each outcome; the slot is held
 * until the outcome is committed. The item goes from claim to provider in memory: no event bus, no
 * JSON. Runs on its lane verticle's event loop only.
 */
final class Lane {
  private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
  private static final long IDLE_POLL_MS = 1000;
  private static final int MAX_IN_FLIGHT = 4;

  /**
   * How long a wake-up waits before claiming, so that messages queued by a burst of single sends
   * are claimed, sent and recorded together rather than one transaction each.
   */
  private static final long LINGER_MS = 5;

  private final Vertx vertx;
  private final ChannelSender sender;
  private final Provider provider;
  private final Guard<SendOutcome> guard;
  private final SendWindow window;
  private final LaneWork work;
  private final EngineConfig config;
  private final TokenBucket bucket;
  private int rate;

  /**
   * Claimed messages whose outcome is not recorded yet (refreshed so the stale sweep skips them).
   */
  private final Set<UUID> held = new HashSet<>();

  /** Batches claimed and not yet recorded; several overlap so the provider is never idle. */
  private int inFlight;

  private boolean stopped;

  /** Set by {@link #stop()} while batches are still out; completed when the last one is. */
  private Promise<Void> drained;

  private long timer = -1;
  private long timerDueNanos;

  Lane(
      Vertx vertx,
      ChannelSender sender,
      int ratePerSecond,
      Provider provider,
      LaneWork work,
      EngineConfig config) {
    this.vertx = vertx;
    this.sender = sender;
    this.provider = provider;
    this.work = work;
    this.config = config;
    this.rate = Math.min(ratePerSecond, provider.maxRatePerSecond());
    this.bucket = new TokenBucket(rate, burst(rate), System.nanoTime());
    this.window = new SendWindow(provider.capacity());
    this.guard =
        new Guard<>(
            vertx,
            "lane-" + sender.id(),
            config.guardMaxFailures(),
            config.guardReset(),
            provider::isProviderFailure,
            err -> null);
  }

  /** A tenth of a second's worth, so a paused sender cannot burst far above its rate. */
  private static double burst(int rate) {
    return Math.max(1, rate / 10.0);
  }

  /** Paces at {@code ratePerSecond} from now on, keeping the provider connection. */
  void setRate(int ratePerSecond) {
    rate = Math.min(ratePerSecond, provider.maxRatePerSecond());
    bucket.setRate(rate, burst(rate));
  }

  ChannelSender sender() {
    return sender;
  }

  SendWindow window() {
    return window;
  }

  String circuitState() {
    return guard.state();
  }

  /** Starts the provider connecting and the lane pumping. */
  Future<Void> start() {
    return provider.start().andThen(done -> wake());
  }

  /** The provider's status with the circuit state. */
  JsonObject status() {
    return provider.status().put("circuit", guard.state());
  }

  /** Messages held now (claimed, outcome not recorded). */
  List<UUID> held() {
    return new ArrayList<>(held);
  }

  /**
   * Messages were queued: pump within {@value #LINGER_MS} ms unless it is due sooner anyway;
   * harmless when it is already working.
   */
  void wake() {
    if (inFlight < MAX_IN_FLIGHT
        && !stopped
        && (timer < 0 || timerDueNanos - System.nanoTime() > LINGER_MS * 1_000_000)) {
      schedule(LINGER_MS);
    }
  }

  /**
   * Stops claiming, lets the batches under way finish (their sends answered and outcomes recorded,
   * at most {@code drainMs}), then closes the provider. A lane handed to another owner thus leaves
   * nothing in flight behind it; what a crash leaves, the stale sweep takes back.
   *
   * @param drainMs at most this long; kept under the time the ownership lease waits for a lane it
   *     releases, so the next owner does not bind while this one still is
   */
  Future<Void> stop(long drainMs) {
    stopped = true;
    cancelTimer();
    Promise<Void> idle = Promise.promise();
    if (inFlight == 0) {
      idle.complete();
    } else {
      drained = idle;
    }
    long limit = vertx.setTimer(Math.max(1, drainMs), t -> idle.tryComplete());
    return idle.future()
        .compose(
            v -> {
              vertx.cancelTimer(limit);
              guard.close();
              return provider.close();
            });
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      cancelTimer();
      timerDueNanos = System.nanoTime() + Math.max(1, delayMs) * 1_000_000;
      timer =
          vertx.setTimer(
              Math.max(1, delayMs),
              id -> {
                timer = -1;
                pump();
              });
    }
  }

  private void pump() {
    if (inFlight >= MAX_IN_FLIGHT || stopped) {
      return;
    }
    int free = Integer.MAX_VALUE;
    if (work.longSends()) {
      // Claim only what can start now: a claimed call is dialled at once, never left waiting for a
      // slot; a released slot wakes the lane.
      free = window.size() - window.inUse();
      if (inFlight > 0 || free <= 0) {
        return;
      }
    }
    long now = System.nanoTime();
    int allowed = Math.min(Math.min(bucket.available(now), config.batchSize()), free);
    // With a batch already out, wait for a worthwhile one (50 ms of the rate, at most a batch)
    // rather than claiming a token's worth each millisecond: fewer, larger transactions.
    int worthwhile = inFlight == 0 ? 1 : Math.max(1, Math.min(config.batchSize(), rate / 20));
    if (allowed < worthwhile) {
      schedule(bucket.millisUntil(worthwhile, now));
      return;
    }
    inFlight++;
    bucket.take(allowed);
    work.claim(sender.id(), allowed)
        .compose(
            claimed -> {
              bucket.refund(allowed - claimed.size());
              if (claimed.isEmpty()) {
                return Future.succeededFuture(false);
              }
              if (claimed.size() == allowed) {
                pump(); // more may be due: claim the next batch while this one is sent
              }
              return send(claimed).map(true);
            })
        .onComplete(
            result -> {
              inFlight--;
              if (stopped) {
                if (inFlight == 0 && drained != null) {
                  drained.tryComplete();
                }
                return;
              }
              if (result.failed()) {
                LOG.warn(
                    "Sender {}: batch failed, retrying shortly: {}",
                    sender.id(),
                    result.cause().getMessage());
                schedule(1000);
              } else if (result.result()) {
                pump();
              } else if (inFlight == 0) {
                schedule(IDLE_POLL_MS);
              }
            });
  }

  /**
   * Sends a claimed batch, each item once a capacity slot is free, and completes once every outcome
   * is recorded (so the in-flight count stays honest). An outcome that could not be recorded leaves
   * its message {@code sending}: the stale sweep takes it back.
   */
  private Future<Void> send(List<OutboundItem> claimed) {
    List<Future<Void>> results = new ArrayList<>(claimed.size());
    List<Future<Void>> slots = new ArrayList<>(claimed.size());
    claimed.forEach(m -> held.add(m.id()));
    for (OutboundItem m : claimed) {
      Future<Void> slot = window.acquire();
      slots.add(slot);
      results.add(
          slot.compose(
              acquired ->
                  guard
                      .call(() -> provider.send(m))
                      .map(outcome -> outcome == null ? circuitOpen(m) : outcome)
                      .compose(outcome -> work.record(sender.id(), m, outcome))
                      .andThen(
                          done -> {
                            window.release();
                            held.remove(m.id());
                            if (work.longSends()) {
                              wake();
                            }
                          })));
    }
    Future<Void> recorded =
        Future.join(results)
            .otherwise(
                err -> {
                  long unrecorded = results.stream().filter(Future::failed).count();
                  LOG.warn(
                      "Sender {}: {} outcomes could not be recorded ({}); they are requeued when stale",
                      sender.id(),
                      unrecorded,
                      err.getMessage());
                  return null;
                })
            .mapEmpty();
    return work.longSends() ? Future.join(slots).mapEmpty() : recorded;
  }

  /** What a send answers while the circuit is open, or when the provider's future failed. */
  private static SendOutcome circuitOpen(OutboundItem m) {
    return SendOutcome.of(
        m.id(),
        SendOutcome.Kind.PAUSED,
        "circuit_open",
        "provider circuit is open after repeated failures");
  }
}
