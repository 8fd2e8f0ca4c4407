package herald.channel.sms;

import herald.message.MessageQueueStore;
import herald.message.MessageQueueStore.Receipt;
import herald.platform.metrics.Metrics;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Collects delivery receipts from provider threads and applies them in batches on the channel's
 * event loop: one transaction per sender per flush, and at most {@value #MAX_IN_FLIGHT} flushes
 * under way, so receipts arriving meanwhile wait and make the next batch larger (the busier the
 * SMSC, the fewer transactions per receipt). Each receipt's future completes when it is committed.
 */
final class ReceiptBatcher {
  private static final int MAX_BATCH = 2000;
  private static final int MAX_IN_FLIGHT = 2;

  private record Pending(UUID senderId, Receipt receipt, CompletableFuture<Void> done) {}

  private final Context context;
  private final MessageQueueStore queue;
  private final Function<UUID, List<UUID>> siblings;
  private final Metrics metrics;
  private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Transactions under way; touched on the context only. */
  private int inFlight;

  /**
   * @param siblings the senders sharing a sender's provider account (receipts may arrive on any of
   *     their sessions), itself included
   */
  ReceiptBatcher(
      Context context,
      MessageQueueStore queue,
      Function<UUID, List<UUID>> siblings,
      Metrics metrics) {
    this.context = context;
    this.queue = queue;
    this.siblings = siblings;
    this.metrics = metrics;
  }

  /** Thread-safe; completes once the receipt is committed. */
  CompletableFuture<Void> add(UUID senderId, Receipt receipt) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new Pending(senderId, receipt, done));
    return done;
  }

  private void enqueue(Pending pending) {
    incoming.add(pending);
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    scheduled.set(false);
    if (inFlight >= MAX_IN_FLIGHT) {
      return; // the next completion flushes again
    }
    Map<UUID, List<Pending>> bySender = new HashMap<>();
    Pending next;
    int taken = 0;
    while (taken < MAX_BATCH && (next = incoming.poll()) != null) {
      bySender.computeIfAbsent(next.senderId(), k -> new ArrayList<>()).add(next);
      taken++;
    }
    if (!incoming.isEmpty() && scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> flush());
    }
    bySender.forEach(this::apply);
  }

  private void apply(UUID senderId, List<Pending> batch) {
    inFlight++;
    queue
        .applyReceipts(
            senderId, siblings.apply(senderId), batch.stream().map(Pending::receipt).toList())
        .onSuccess(
            settled -> {
              SmsMetrics.settled(metrics, settled);
              batch.forEach(p -> p.done().complete(null));
            })
        .onFailure(err -> batch.forEach(p -> p.done().completeExceptionally(err)))
        .onComplete(
            done -> {
              inFlight--;
              if (!incoming.isEmpty() && scheduled.compareAndSet(false, true)) {
                context.runOnContext(v -> flush());
              }
            });
  }
}
