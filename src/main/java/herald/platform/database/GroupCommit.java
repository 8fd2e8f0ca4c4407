package herald.platform.database;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

/**
 * Group commit: items submitted while a write is under way wait and go into the next one, grouped
 * by key (one {@link Writer#write} per key per flush, typically one transaction), so the busier the
 * writer, the fewer transactions per item, and an idle one adds no delay beyond {@code linger}. At
 * most {@code maxInFlight} flushes run at once; a flush takes at most {@code maxWeight} worth of
 * items. Each item's future completes with its group's result once the group is written (fan-out),
 * or fails with the group's failure. With {@code retryAlone}, a failed group of several items is
 * written again item by item, so one item's failure never fails the others.
 *
 * <p>{@link #submit} may be called from any thread; writes run and futures complete on {@code
 * context}.
 *
 * @param <K> what items are grouped by (a sender, an account)
 * @param <T> an item
 * @param <R> what writing a group answers
 */
public final class GroupCommit<K, T, R> {
  /** Writes one key's group; the future completes once it is durable. */
  @FunctionalInterface
  public interface Writer<K, T, R> {
    Future<R> write(K key, List<T> items);
  }

  /**
   * @param linger how long a flush waits after an item arrives, so that more items join it (zero:
   *     until the current event-loop task ends)
   * @param maxInFlight flushes under way at once, at least 1
   * @param maxWeight most weight one flush takes (an item heavier than this goes alone)
   * @param retryAlone whether a failed group of several items is retried item by item
   */
  public record Options(Duration linger, int maxInFlight, int maxWeight, boolean retryAlone) {
    public Options {
      if (maxInFlight < 1 || maxWeight < 1 || linger.isNegative()) {
        throw new IllegalArgumentException("bad group commit options");
      }
    }
  }

  private record Pending<K, T, R>(K key, T item, Promise<R> done) {}

  private final Context context;
  private final Options options;
  private final Writer<K, T, R> writer;
  private final ToIntFunction<T> weight;
  private final ConcurrentLinkedQueue<Pending<K, T, R>> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Flushes under way; touched on the context only. */
  private int inFlight;

  /** Items weigh one each. */
  public GroupCommit(Context context, Options options, Writer<K, T, R> writer) {
    this(context, options, writer, item -> 1);
  }

  public GroupCommit(
      Context context, Options options, Writer<K, T, R> writer, ToIntFunction<T> weight) {
    this.context = context;
    this.options = options;
    this.writer = writer;
    this.weight = weight;
  }

  /** Queues an item; the future completes on the context once its group is written. */
  public Future<R> submit(K key, T item) {
    Promise<R> done = Promise.promise();
    incoming.add(new Pending<>(key, item, done));
    schedule(true);
    return done.future();
  }

  private void schedule(boolean fresh) {
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    long linger = options.linger().toMillis();
    if (fresh && linger > 0) {
      context.runOnContext(v -> context.owner().setTimer(linger, id -> flush()));
    } else {
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    scheduled.set(false);
    if (inFlight >= options.maxInFlight() || incoming.isEmpty()) {
      return; // the next completion flushes again
    }
    Map<K, List<Pending<K, T, R>>> groups = new LinkedHashMap<>();
    int taken = 0;
    Pending<K, T, R> next;
    while ((next = incoming.peek()) != null) {
      int w = Math.max(1, weight.applyAsInt(next.item()));
      if (taken > 0 && taken + w > options.maxWeight()) {
        break;
      }
      incoming.poll();
      taken += w;
      groups.computeIfAbsent(next.key(), k -> new ArrayList<>()).add(next);
    }
    inFlight++;
    List<Future<R>> writes = new ArrayList<>(groups.size());
    groups.forEach((key, group) -> writes.add(write(key, group)));
    if (!incoming.isEmpty()) {
      schedule(false);
    }
    Future.join(writes)
        .onComplete(
            done -> {
              inFlight--;
              if (!incoming.isEmpty()) {
                schedule(false);
              }
            });
  }

  private Future<R> write(K key, List<Pending<K, T, R>> group) {
    return attempt(key, group.stream().map(Pending::item).toList())
        .andThen(
            result -> {
              if (result.succeeded()) {
                group.forEach(p -> p.done().complete(result.result()));
              } else if (options.retryAlone() && group.size() > 1) {
                group.forEach(p -> attempt(key, List.of(p.item())).onComplete(p.done()));
              } else {
                group.forEach(p -> p.done().fail(result.cause()));
              }
            });
  }

  /** Runs the writer; a writer that throws fails the group instead of escaping. */
  private Future<R> attempt(K key, List<T> items) {
    try {
      return writer.write(key, items);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
