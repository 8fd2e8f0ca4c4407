package herald.platform;

import herald.platform.config.HeraldConfig;
import herald.platform.http.RateLimits;
import herald.platform.metrics.Metrics;
import herald.platform.security.AuthCache;
import herald.platform.security.Passwords;
import herald.platform.security.Tokens;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide services shared by every verticle instance: the configuration, the one database
 * pool, token and password services, the rate limiter, and the lifecycle state health reports on.
 * All members are thread-safe.
 *
 * @param groups verticle groups deployed, by name, with their instance counts (for readiness)
 * @param started set once the database is ready and the first admin exists; until then the API
 *     answers 503
 * @param draining set when shutdown begins; readiness then answers 503
 * @param clock the time campaign schedules are judged by (the system clock; tests move their own)
 * @param metrics where components report what they do; rendered at {@code /metrics}
 * @param authCache who recently presented credentials were, shared by every HTTP verticle
 */
public record Platform(
    HeraldConfig config,
    Pool pool,
    Tokens tokens,
    Passwords passwords,
    RateLimits rateLimits,
    String version,
    Map<String, Integer> groups,
    AtomicBoolean started,
    AtomicBoolean draining,
    AtomicInteger httpPort,
    Clock clock,
    Metrics metrics,
    AuthCache authCache) {

  public static Platform create(
      HeraldConfig config,
      Pool pool,
      Tokens tokens,
      Passwords passwords,
      Clock clock,
      Metrics metrics) {
    return new Platform(
        config,
        pool,
        tokens,
        passwords,
        new RateLimits(config.rateLimits()),
        currentVersion(),
        new ConcurrentHashMap<>(),
        new AtomicBoolean(),
        new AtomicBoolean(),
        new AtomicInteger(),
        clock,
        metrics,
        new AuthCache(
            java.time.Duration.ofMillis(config.http().authCacheMs()),
            e -> e instanceof herald.platform.http.ApiException api && api.status() == 401));
  }

  /** The base URL providers use to call Herald back: {@code http.public_url}, or loopback. */
  public String publicUrl() {
    String configured = config.http().publicUrl();
    return configured != null ? configured : "http://127.0.0.1:" + httpPort.get();
  }

  /** Herald's version from the jar manifest, or {@code dev} when run from classes. */
  public static String currentVersion() {
    String version = Platform.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
