package herald.platform.http;

import herald.platform.config.RateLimitConfig;
import herald.platform.security.Principal;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed-window request limits per caller and route class, backed by resilience4j rate limiters. One
 * instance is shared by every ingress verticle of the process, so the limits hold whatever the
 * instance count. Every limited response carries {@code X-RateLimit-Limit}, {@code
 * X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (epoch seconds); a refusal is 429 with
 * {@code Retry-After}.
 */
public final class RateLimits {
  /** The classes of routes that have their own budget. */
  public enum RouteClass {
    LOGIN,
    SENDS,
    UPLOADS,
    OTHER
  }

  private record Window(
      RateLimiter limiter,
      long createdNanos,
      long periodNanos,
      int limit,
      AtomicLong lastUsedMillis) {}

  private final RateLimitConfig config;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimits(RateLimitConfig config) {
    this.config = config;
  }

  /** Which budget a request draws from; {@code path} is the {@link Requests#canonicalPath}. */
  public static RouteClass classify(HttpMethod method, String path) {
    if (method == HttpMethod.POST
        && (path.equals("/api/v1/auth/login")
            || path.equals("/compat/sms-ai-agent/api/auth/token"))) {
      return RouteClass.LOGIN;
    }
    if (method == HttpMethod.POST
        && (path.equals("/api/v1/messages") || path.startsWith("/api/v1/messages/send"))) {
      return RouteClass.SENDS;
    }
    if (method == HttpMethod.POST
        && (path.endsWith("/import")
            || path.endsWith("/upload")
            || path.equals("/api/v1/campaigns/preview-csv")
            || path.startsWith("/api/v1/media"))) {
      return RouteClass.UPLOADS;
    }
    return RouteClass.OTHER;
  }

  /** Counts the request against the caller (the principal, or the client IP before login). */
  public Handler<RoutingContext> handler() {
    return ctx -> {
      RouteClass routeClass = classify(ctx.request().method(), Requests.canonicalPath(ctx));
      Principal principal = Requests.principalOrNull(ctx);
      String who = principal != null ? principal.rateLimitKey() : "ip:" + Requests.clientIp(ctx);
      Window window =
          windows.computeIfAbsent(routeClass + "|" + who, key -> open(limit(routeClass)));
      window.lastUsedMillis().set(System.currentTimeMillis());
      boolean allowed = window.limiter().acquirePermission();
      long now = System.nanoTime();
      long elapsed = now - window.createdNanos();
      long untilReset = window.periodNanos() - (elapsed % window.periodNanos());
      long resetEpoch = (System.currentTimeMillis() + untilReset / 1_000_000 + 999) / 1000;
      int remaining = Math.max(0, window.limiter().getMetrics().getAvailablePermissions());
      ctx.response()
          .putHeader("X-RateLimit-Limit", Integer.toString(window.limit()))
          .putHeader("X-RateLimit-Remaining", Integer.toString(remaining))
          .putHeader("X-RateLimit-Reset", Long.toString(resetEpoch));
      if (!allowed) {
        ctx.fail(
            ApiException.tooManyRequests(Math.max(1, (untilReset + 999_999_999) / 1_000_000_000)));
        return;
      }
      ctx.next();
    };
  }

  /** Forgets callers idle for longer than two of their windows (or a minute); run periodically. */
  public int sweep() {
    long now = System.currentTimeMillis();
    int before = windows.size();
    windows
        .values()
        .removeIf(
            w ->
                now - w.lastUsedMillis().get() > Math.max(60_000, 2 * w.periodNanos() / 1_000_000));
    return before - windows.size();
  }

  private RateLimitConfig.Limit limit(RouteClass routeClass) {
    return switch (routeClass) {
      case LOGIN -> config.login();
      case SENDS -> config.sends();
      case UPLOADS -> config.uploads();
      case OTHER -> config.other();
    };
  }

  private static Window open(RateLimitConfig.Limit limit) {
    Duration period = limit.period();
    RateLimiter limiter =
        RateLimiter.of(
            "herald",
            RateLimiterConfig.custom()
                .limitForPeriod(limit.limit())
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build());
    // resilience4j counts its windows from its own creation, so this marks the window boundaries.
    return new Window(
        limiter,
        System.nanoTime(),
        period.toNanos(),
        limit.limit(),
        new AtomicLong(System.currentTimeMillis()));
  }
}
