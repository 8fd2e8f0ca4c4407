package herald.platform;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A short-lived, process-wide cache of reads on a hot path (the send path reads the account's
 * settings and its senders on every request). Entries live at most {@code ttlMillis}; the store
 * that owns a cache clears it on every write it makes, so a change made through Herald is seen by
 * the next request, and one made behind its back (plain SQL) within the TTL. Absent rows (null) are
 * cached too. Thread-safe.
 */
public final class ReadCache<K, V> {
  private record Entry<V>(V value, long expiresNanos) {}

  private final long ttlNanos;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  public ReadCache(long ttlMillis) {
    this.ttlNanos = ttlMillis * 1_000_000;
  }

  /** The cached value for {@code key}, or {@code load}'s, which is then cached. */
  public Future<V> get(K key, Supplier<Future<V>> load) {
    long now = System.nanoTime();
    Entry<V> entry = entries.get(key);
    if (entry != null && entry.expiresNanos() - now > 0) {
      return Future.succeededFuture(entry.value());
    }
    return load.get().onSuccess(value -> entries.put(key, new Entry<>(value, now + ttlNanos)));
  }

  /** Drops every entry. */
  public void clear() {
    entries.clear();
  }
}
