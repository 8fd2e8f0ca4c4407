package herald.webhook;

import herald.platform.config.WebhookConfig;
import herald.platform.pacing.Guard;
import herald.platform.pacing.TokenBucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one endpoint's due deliveries: claims only as many as it may send now (free concurrency
 * slots, rate-limit tokens, circuit state), so a claimed delivery is always on the wire within its
 * lease. At most {@code max_in_flight_per_endpoint} requests at once (one for ordered endpoints),
 * so a hanging endpoint only ever holds its own slots. Used from its dispatcher's event loop only.
 */
final class EndpointPump {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointPump.class);
  private static final long TARGET_CHECK_TTL_MS = 60_000;

  /** How much longer than the request timeout a claimed delivery stays leased. */
  static final int LEASE_MARGIN_SECONDS = 10;

  private static final long READY_FOR_NANOS = (LEASE_MARGIN_SECONDS - 2) * 1_000_000_000L;

  /** A claimed delivery waiting for a free slot, and when it was claimed. */
  private record Ready(DeliveryStore.Claimed claimed, long claimedNanos) {}

  /** What the guard answers while the circuit is open: no request was made. */
  private static final Courier.Outcome NOT_SENT =
      new Courier.Outcome(null, 0, null, "circuit open", null);

  private static final String OPEN = "open";
  private static final String HALF_OPEN = "half_open";

  private final Vertx vertx;
  private final WebhookConfig config;
  private final DeliveryStore deliveries;
  private final EndpointStore endpoints;
  private final Courier courier;
  private final Targets targets;
  private final ResultWriter writer;
  private final Map<String, Integer> rooms;

  /** The endpoint's id as the rooms map keys it. */
  private final String key;

  private final Guard<Courier.Outcome> guard;
  private final Deque<Ready> ready = new ArrayDeque<>();
  private final Promise<Void> drained = Promise.promise();
  private final Set<Future<Void>> unrecorded = new HashSet<>();
  private Endpoint endpoint;
  private Instant failingSince;
  private int inFlight;
  private boolean claiming;
  private boolean wakeAgain;
  private boolean stopped;
  private long rateTimer = -1;

  /** The endpoint's rate limit (one second's worth of burst); null until it has one. */
  private TokenBucket bucket;

  private int bucketRate;
  private String targetProblem;
  private long targetCheckedAt;

  /** The circuit breaker's state: {@code closed}, {@code half_open} or {@code open}. */
  String circuitState() {
    return guard.state();
  }

  EndpointPump(
      Vertx vertx,
      WebhookConfig config,
      Endpoint endpoint,
      DeliveryStore deliveries,
      EndpointStore endpoints,
      Courier courier,
      Targets targets,
      ResultWriter writer,
      Map<String, Integer> rooms) {
    this.vertx = vertx;
    this.config = config;
    this.deliveries = deliveries;
    this.endpoints = endpoints;
    this.courier = courier;
    this.targets = targets;
    this.writer = writer;
    this.rooms = rooms;
    this.key = endpoint.id().toString();
    this.endpoint = endpoint;
    this.failingSince = endpoint.failingSince();
    // A success, or 410 Gone (which disables the endpoint), is an answer; anything else counts.
    this.guard =
        new Guard<Courier.Outcome>(
                vertx,
                "webhook-" + endpoint.id(),
                config.breakerFailures(),
                config.breakerReset(),
                o -> !o.success() && (o.status() == null || o.status() != 410),
                err -> NOT_SENT)
            .onHalfOpen(this::wake);
  }

  /** Takes changed settings (URL, rate, active flag, secrets) for the next claims. */
  void update(Endpoint changed) {
    boolean urlChanged = !changed.url().equals(endpoint.url());
    endpoint = changed;
    failingSince = changed.failingSince();
    if (urlChanged) {
      targetCheckedAt = 0;
    }
    if (changed.active() && OPEN.equals(guard.state()) && !urlChanged) {
      return;
    }
    if (urlChanged || !changed.active()) {
      guard.reset();
    }
    wake();
  }

  /**
   * Stops for good (the endpoint was handed to another owner, or the dispatcher stops): nothing
   * more is claimed or sent; deliveries claimed but not yet sent are made due again at once, so the
   * next owner claims them without waiting for their leases; the future completes once the requests
   * on the wire have ended and their attempts are recorded (or their write failed). Never fails.
   */
  Future<Void> stop() {
    if (!stopped) {
      stopped = true;
      rooms.remove(key);
      List<DeliveryStore.Claimed> back = new ArrayList<>();
      while (!ready.isEmpty()) {
        back.add(ready.poll().claimed());
      }
      release(back, Instant.now());
      if (inFlight == 0) {
        drained.tryComplete();
      }
    }
    return drained
        .future()
        .compose(v -> Future.join(new ArrayList<>(unrecorded)).<Void>mapEmpty())
        .eventually(
            () -> {
              guard.close();
              return Future.succeededFuture();
            });
  }

  /**
   * Takes deliveries the fan-out made already leased: they are sent like claimed ones, refused if
   * the target is not allowed, and given back if the endpoint is inactive or its circuit open.
   */
  void accept(List<DeliveryStore.Claimed> claimed) {
    if (stopped || !endpoint.active()) {
      release(claimed, Instant.now());
      return;
    }
    checkTarget()
        .onSuccess(
            problem -> {
              if (problem != null) {
                claimed.forEach(c -> refuse(c, problem));
                return;
              }
              // Keep what can go out soon; the rest is made due again and claimed as slots free up,
              // so a burst never piles up in memory. (The fan-out leases at most the room this pump
              // last advertised, so this happens only when the room shrank after it was read.)
              int room = room();
              long now = System.nanoTime();
              claimed.stream().limit(room).forEach(c -> ready.add(new Ready(c, now)));
              if (claimed.size() > room) {
                release(claimed.subList(room, claimed.size()), Instant.now());
              }
              wake();
            });
  }

  /**
   * How many more leased deliveries this pump keeps: none once stopped or inactive, else up to two
   * rounds of its prefetch buffered.
   */
  private int room() {
    if (stopped || !endpoint.active()) {
      return 0;
    }
    return Math.max(0, 2 * prefetch() - ready.size());
  }

  /**
   * Tells the fan-outs of this process how many leased deliveries this pump can take: its room, or
   * none while the circuit is open (they are made due and claimed once it half-opens).
   */
  private void advertise() {
    if (!stopped) {
      rooms.put(key, guard.open() ? 0 : room());
    }
  }

  /** How many deliveries to keep claimed ahead of the requests in flight. */
  private int prefetch() {
    int target = Math.min(config.batchSize(), config.maxInFlightPerEndpoint() * 8);
    Integer rate = endpoint.rateLimitPerSecond();
    return rate == null ? target : Math.max(1, Math.min(target, rate));
  }

  /** Called when results of this endpoint were recorded. */
  void recorded() {
    wake();
  }

  /** Sends what may be sent now and claims more when the local buffer runs low; cheap to call. */
  void wake() {
    if (stopped || !endpoint.active()) {
      ready.clear(); // their leases run out; whoever serves the endpoint next claims them again
      advertise();
      return;
    }
    String state = guard.state();
    if (OPEN.equals(state)) {
      releaseReady(); // the half-open handler wakes us; deliveries stay pending meanwhile
      advertise();
      return;
    }
    boolean trial = HALF_OPEN.equals(state);
    sendReady(trial ? 1 : endpoint.ordered() ? 1 : config.maxInFlightPerEndpoint());
    claimMore(trial);
    advertise();
  }

  private void sendReady(int maxInFlight) {
    Integer rate = endpoint.rateLimitPerSecond();
    while (inFlight < maxInFlight && !ready.isEmpty()) {
      if (rate != null) {
        long now = System.nanoTime();
        TokenBucket tokens = bucket(rate, now);
        if (tokens.available(now) < 1) {
          scheduleRateWake(tokens.millisUntilNext(now));
          return;
        }
        tokens.take(1);
      }
      Ready next = ready.poll();
      // A delivery that waited here too long could outlive its lease mid-request; leave it to be
      // claimed again when the lease ends rather than risk two requests at once.
      if (System.nanoTime() - next.claimedNanos() < READY_FOR_NANOS) {
        deliver(next.claimed());
      }
    }
  }

  /**
   * Claims due deliveries into the local buffer: up to a few rounds of in-flight requests ahead
   * (one second's worth when rate-limited), so the next requests never wait for a query. Ordered
   * endpoints and half-open circuits claim one at a time, and only when nothing else is pending
   * here.
   */
  private void claimMore(boolean trial) {
    if (claiming) {
      wakeAgain = true;
      return;
    }
    boolean single = trial || endpoint.ordered();
    int target = single ? 1 : prefetch();
    if (single ? inFlight > 0 || !ready.isEmpty() : ready.size() > target / 2) {
      return;
    }
    int limit = target - ready.size();
    claiming = true;
    checkTarget()
        .compose(
            problem -> {
              if (problem != null) {
                return deliveries
                    .claim(endpoint.id(), endpoint.ordered(), limit, lease())
                    .map(
                        claimed -> {
                          claimed.forEach(c -> refuse(c, problem));
                          return List.<DeliveryStore.Claimed>of();
                        });
              }
              return deliveries.claim(endpoint.id(), endpoint.ordered(), limit, lease());
            })
        .onComplete(
            ar -> {
              claiming = false;
              if (ar.failed()) {
                LOG.warn(
                    "Claiming deliveries of {} failed: {}", endpoint.id(), ar.cause().getMessage());
                return;
              }
              long now = System.nanoTime();
              ar.result().forEach(c -> ready.add(new Ready(c, now)));
              if (wakeAgain || !ar.result().isEmpty()) {
                wakeAgain = false;
                wake();
              }
            });
  }

  /** Gives buffered deliveries back untouched while the circuit is open. */
  private void releaseReady() {
    List<DeliveryStore.Claimed> back = new ArrayList<>();
    while (!ready.isEmpty()) {
      back.add(ready.poll().claimed());
    }
    release(back, Instant.now().plus(config.breakerReset()));
  }

  private int lease() {
    return endpoint.timeoutSeconds() + LEASE_MARGIN_SECONDS;
  }

  private TokenBucket bucket(int rate, long now) {
    if (bucket == null) {
      bucket = new TokenBucket(rate, rate, now);
    } else if (bucketRate != rate) {
      bucket.setRate(rate, rate);
    }
    bucketRate = rate;
    return bucket;
  }

  private void scheduleRateWake(long wait) {
    if (rateTimer >= 0) {
      return;
    }
    rateTimer =
        vertx.setTimer(
            wait,
            t -> {
              rateTimer = -1;
              wake();
            });
  }

  /** The SSRF check of the endpoint's host, re-resolved at most once a minute. */
  private Future<String> checkTarget() {
    long now = System.currentTimeMillis();
    if (now - targetCheckedAt < TARGET_CHECK_TTL_MS) {
      return Future.succeededFuture(targetProblem);
    }
    return targets
        .check(endpoint.url())
        .map(
            problem -> {
              targetProblem = problem;
              targetCheckedAt = System.currentTimeMillis();
              return problem;
            });
  }

  private void refuse(DeliveryStore.Claimed c, String problem) {
    finish(c, new Courier.Outcome(null, 0, null, "refused: " + problem, null));
  }

  private void deliver(DeliveryStore.Claimed c) {
    inFlight++;
    Endpoint target = endpoint;
    guard
        .call(() -> courier.send(target, c))
        .onComplete(
            ar -> {
              inFlight--;
              if (ar.result() == NOT_SENT) {
                release(c); // the circuit opened meanwhile: not an attempt
              } else {
                finish(c, ar.result());
              }
              if (stopped && inFlight == 0) {
                drained.tryComplete(); // its attempt is with the writer now
              }
              wake();
            });
  }

  /** Gives a claimed delivery back untouched, due when the circuit half-opens. */
  private void release(DeliveryStore.Claimed c) {
    release(List.of(c), Instant.now().plus(config.breakerReset()));
  }

  private void release(List<DeliveryStore.Claimed> claimed, Instant dueAt) {
    if (claimed.isEmpty()) {
      return;
    }
    deliveries
        .release(claimed.stream().map(DeliveryStore.Claimed::id).toList(), dueAt)
        .onFailure(
            err ->
                LOG.warn("Releasing {} deliveries failed: {}", claimed.size(), err.getMessage()));
  }

  private void finish(DeliveryStore.Claimed c, Courier.Outcome o) {
    Instant now = Instant.now();
    int attempt = c.attempts() + 1;
    String status;
    Instant next = null;
    int retriesLeft = c.retriesLeft();
    boolean gone = o.status() != null && o.status() == 410;
    if (o.success()) {
      status = "succeeded";
    } else if (gone || retriesLeft <= 0) {
      status = "failed";
    } else {
      status = "pending";
      int retry = endpoint.retryLimit() - retriesLeft + 1;
      next = now.plus(delay(retry, o.retryAfterSeconds()));
      retriesLeft--;
    }
    Future<Void> recorded =
        writer.add(
            new DeliveryStore.Result(
                c.id(),
                attempt,
                now,
                o.status(),
                o.latencyMs(),
                o.body(),
                o.error(),
                status,
                next,
                retriesLeft),
            this);
    unrecorded.add(recorded);
    recorded.onComplete(done -> unrecorded.remove(recorded));
    if (o.success()) {
      healthy();
    } else if (gone) {
      disable("gone", "the endpoint answered 410 Gone");
    } else {
      failing(now);
    }
  }

  /** The schedule's delay with jitter, or the endpoint's Retry-After if longer (at most 1 h). */
  private Duration delay(int retry, Long retryAfterSeconds) {
    long jittered = config.retrySchedule().jittered(retry, config.jitterPercent()).toMillis();
    long asked = retryAfterSeconds == null ? 0 : Math.min(3600, retryAfterSeconds) * 1000;
    return Duration.ofMillis(Math.max(jittered, asked));
  }

  private void healthy() {
    if (failingSince != null) {
      failingSince = null;
      endpoints
          .markHealthy(endpoint.id())
          .onFailure(err -> LOG.warn("Recording health of {} failed", endpoint.id(), err));
    }
  }

  private void failing(Instant now) {
    if (failingSince == null) {
      failingSince = now;
      endpoints
          .markFailing(endpoint.id())
          .onSuccess(since -> failingSince = since == null ? failingSince : since);
    } else if (Duration.between(failingSince, now).compareTo(config.disableAfter()) >= 0) {
      disable(
          "failing",
          "every attempt failed for "
              + config.disableAfter().toSeconds()
              + " s since "
              + failingSince);
    }
  }

  private void disable(String reason, String detail) {
    if (!endpoint.active()) {
      return;
    }
    endpoint = endpoint.withActive(false, reason);
    endpoints
        .disable(endpoint, reason, detail)
        .onSuccess(
            disabled -> {
              if (disabled) {
                LOG.warn("Disabled webhook endpoint {}: {}", endpoint.id(), detail);
              }
            })
        .onFailure(err -> LOG.warn("Disabling webhook endpoint {} failed", endpoint.id(), err));
  }
}
