package herald.platform.security;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Who a credential (an API key or a login token) was found to be, remembered for a short time so
 * that a client sending many requests with one credential costs one database lookup per {@code
 * ttl}, not one per request. A refusal of the credential itself (unknown key, revoked token: a 401)
 * is remembered the same way; a lookup that failed for another reason (the database is down) is
 * not.
 *
 * <p>Whatever can end or narrow a credential (an API key revoked, a user changed or deactivated, a
 * login token revoked, an account suspended) calls {@link #invalidate} once it has committed, which
 * forgets everything at once in this process. Another Herald node forgets within {@code ttl}: that
 * is the window in which a credential revoked elsewhere still works there, and why the default is
 * one second. An entry never outlives the credential's own expiry.
 *
 * <p>Entries are shared by every event loop, so only completed results are kept, never a future of
 * another context. Thread-safe.
 */
public final class AuthCache {
  /** More credentials than this in one {@code ttl} (an attack, or a huge fleet) empties the map. */
  static final int MAX_ENTRIES = 10_000;

  /**
   * A credential's principal and when the credential itself expires.
   *
   * @param expiresAt null when it does not expire
   */
  public record Found(Principal principal, Instant expiresAt) {}

  private record Entry(Principal principal, Throwable refusal, long expiresAtNanos) {}

  private final long ttlNanos;
  private final Predicate<Throwable> isRefusal;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** Bumped by {@link #invalidate}: a lookup that began before it must not store what it found. */
  private final AtomicLong generation = new AtomicLong();

  /**
   * @param ttl how long a result is reused; zero turns the cache off
   * @param isRefusal which failures are the credential's own refusal (remembered), as opposed to
   *     faults (not remembered)
   */
  public AuthCache(Duration ttl, Predicate<Throwable> isRefusal) {
    this.ttlNanos = ttl.toNanos();
    this.isRefusal = isRefusal;
  }

  /**
   * The principal of {@code credential}, from memory or, when unknown or stale, from {@code load}.
   */
  public Future<Principal> get(String credential, Supplier<Future<Found>> load) {
    if (ttlNanos <= 0) {
      return load.get().map(Found::principal);
    }
    long now = System.nanoTime();
    Entry known = entries.get(credential);
    if (known != null && now - known.expiresAtNanos() < 0) {
      return known.refusal() != null
          ? Future.failedFuture(known.refusal())
          : Future.succeededFuture(known.principal());
    }
    long seen = generation.get();
    return load.get()
        .andThen(
            result -> {
              boolean remember =
                  result.succeeded()
                      ? result.result().principal() != null
                      : isRefusal.test(result.cause());
              if (!remember || generation.get() != seen) {
                return;
              }
              if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
              }
              Entry entry =
                  result.succeeded()
                      ? new Entry(result.result().principal(), null, expiry(now, result.result()))
                      : new Entry(null, result.cause(), now + ttlNanos);
              entries.put(credential, entry);
              if (generation.get() != seen) {
                entries.remove(credential, entry); // invalidated between the check and the put
              }
            })
        .map(Found::principal);
  }

  /** Forgets every credential; call after committing a change that can end or narrow one. */
  public void invalidate() {
    generation.incrementAndGet();
    entries.clear();
  }

  /** {@code ttl} from {@code now}, but never past the credential's own expiry. */
  private long expiry(long now, Found found) {
    long expiry = now + ttlNanos;
    if (found.expiresAt() != null) {
      long left = Duration.between(Instant.now(), found.expiresAt()).toNanos();
      expiry = Math.min(expiry, now + Math.max(0, left));
    }
    return expiry;
  }
}
