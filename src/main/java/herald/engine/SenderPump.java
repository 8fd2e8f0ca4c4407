package herald.engine;

import herald.message.MessageQueueStore;
import herald.message.OutboundSms;
import herald.message.SendOutcome;
import herald.platform.bus.Addresses;
import herald.platform.config.EngineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one sender's queued messages to its channel at the sender's rate: claims as many as the
 * token bucket allows (at most a batch) and hands them to the channel over the event bus, which
 * records the outcomes. Up to four batches overlap; tokens are taken before each claim, so the rate
 * holds. Runs on its engine verticle's event loop only.
 */
final class SenderPump {
  private static final Logger LOG = LoggerFactory.getLogger(SenderPump.class);
  private static final long IDLE_POLL_MS = 1000;
  private static final int MAX_IN_FLIGHT = 4;
  private static final long SEND_TIMEOUT_MS = 120_000;

  /**
   * How long a wake-up waits before claiming, so that messages queued by a burst of single sends
   * are claimed, sent and recorded together rather than one transaction each.
   */
  private static final long LINGER_MS = 5;

  private final Vertx vertx;
  private final UUID senderId;
  private final MessageQueueStore queue;
  private final EngineConfig config;
  private final TokenBucket bucket;
  private int rate;

  /** Batches claimed and not yet recorded; several overlap so the channel is never idle. */
  private int inFlight;

  private boolean stopped;
  private long timer = -1;
  private long timerDueNanos;

  SenderPump(
      Vertx vertx, UUID senderId, int ratePerSecond, MessageQueueStore queue, EngineConfig config) {
    this.vertx = vertx;
    this.senderId = senderId;
    this.queue = queue;
    this.config = config;
    this.rate = ratePerSecond;
    this.bucket = new TokenBucket(ratePerSecond, burst(ratePerSecond), System.nanoTime());
  }

  /** A tenth of a second's worth, so a paused sender cannot burst far above its rate. */
  private static double burst(int rate) {
    return Math.max(1, rate / 10.0);
  }

  void setRate(int ratePerSecond) {
    rate = ratePerSecond;
    bucket.setRate(ratePerSecond, burst(ratePerSecond));
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

  void stop() {
    stopped = true;
    cancelTimer();
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
    long now = System.nanoTime();
    int allowed = Math.min(bucket.available(now), config.batchSize());
    // With a batch already out, wait for a worthwhile one (50 ms of the rate, at most a batch)
    // rather than claiming a token's worth each millisecond: fewer, larger transactions.
    int worthwhile = inFlight == 0 ? 1 : Math.max(1, Math.min(config.batchSize(), rate / 20));
    if (allowed < worthwhile) {
      schedule(bucket.millisUntil(worthwhile, now));
      return;
    }
    inFlight++;
    bucket.take(allowed);
    queue
        .claim(senderId, allowed)
        .compose(
            claimed -> {
              bucket.refund(allowed - claimed.size());
              if (claimed.isEmpty()) {
                return io.vertx.core.Future.succeededFuture(false);
              }
              if (claimed.size() == allowed) {
                pump(); // more may be due: claim the next batch while this one is sent
              }
              return send(claimed).map(true);
            })
        .onComplete(
            result -> {
              inFlight--;
              if (result.failed()) {
                LOG.warn(
                    "Sender {}: batch failed, retrying shortly: {}",
                    senderId,
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
   * Hands a claimed batch to the channel, which records each outcome as its provider answers and
   * replies once all are recorded. If no channel answers, nothing was sent by us: the batch is
   * requeued without counting an attempt (outcomes the channel did record are left alone, since
   * recording only touches messages still in {@code sending}).
   */
  private io.vertx.core.Future<Void> send(List<OutboundSms> claimed) {
    JsonArray items = new JsonArray();
    claimed.forEach(m -> items.add(m.toJson()));
    JsonObject request =
        new JsonObject().put("sender_id", senderId.toString()).put("messages", items);
    return vertx
        .eventBus()
        .<JsonArray>request(
            Addresses.SMS_SEND, request, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
        .<Void>mapEmpty()
        .recover(
            err -> {
              LOG.warn(
                  "Sender {}: channel did not answer ({}); requeueing {}",
                  senderId,
                  err.getMessage(),
                  claimed.size());
              List<SendOutcome> paused =
                  claimed.stream()
                      .map(
                          m ->
                              SendOutcome.of(
                                  m.id(),
                                  SendOutcome.Kind.PAUSED,
                                  "channel_unavailable",
                                  err.getMessage()))
                      .toList();
              return queue
                  .record(senderId, paused, claimed, config.maxAttempts(), config::backoff)
                  .<Void>mapEmpty();
            });
  }
}
