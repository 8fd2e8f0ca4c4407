package herald.sim.whatsapp;

import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhooks as Meta does: {@code POST} of the JSON body to the configured URL with {@code
 * X-Hub-Signature-256}, sent again (up to the configured number of retries, each delay twice the
 * last) while the receiver does not answer 2xx, sometimes twice when a duplicate rate is set, and
 * again on demand ({@link #redeliver}) with the very same bytes and signature.
 */
final class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  /** How long Meta waits for a webhook answer. */
  static final long TIMEOUT_MS = 20_000;

  static final String USER_AGENT = "facebookexternalua";

  /** How many sent webhooks are kept for redelivery. */
  private static final int HISTORY = 1_000;

  /** One webhook as first sent: its body and signature never change on retries or duplicates. */
  record Delivery(String id, Buffer body, String signature) {
    JsonObject payload() {
      return body.toJsonObject();
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final WhatsAppSimConfig config;
  private final Supplier<String> url;
  private final Deque<Delivery> history = new ArrayDeque<>();
  private final Set<Timer> timers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  Webhooks(Vertx vertx, WebClient client, WhatsAppSimConfig config, Supplier<String> url) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.url = url;
  }

  /**
   * Signs and sends one webhook, retrying while it is not answered 2xx.
   *
   * @return the last HTTP status the receiver answered, or 0 when no URL is set or it could not be
   *     reached; never fails
   */
  Future<Integer> send(JsonObject payload) {
    Buffer body = payload.toBuffer();
    Delivery delivery =
        new Delivery(
            UUID.randomUUID().toString(),
            body,
            HubSignature.header(config.appSecret(), body.getBytes()));
    synchronized (history) {
      history.addLast(delivery);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
    return attempt(delivery, 0)
        .compose(
            status ->
                is2xx(status) && ThreadLocalRandom.current().nextDouble() < config.duplicateRate()
                    ? post(delivery).map(duplicate -> status)
                    : Future.succeededFuture(status));
  }

  /** Every webhook sent so far (the last thousand), oldest first. */
  List<Delivery> sent() {
    synchronized (history) {
      return new ArrayList<>(history);
    }
  }

  /**
   * Sends the last {@code count} webhooks again, oldest first, with their original bytes and
   * signatures, once each and without retries.
   *
   * @return the statuses the receiver answered, in order
   */
  Future<List<Integer>> redeliver(int count) {
    List<Delivery> all = sent();
    List<Delivery> again = all.subList(Math.max(0, all.size() - count), all.size());
    Future<List<Integer>> chain = Future.succeededFuture(new ArrayList<>());
    for (Delivery delivery : again) {
      chain = chain.compose(list -> post(delivery).map(status -> add(list, status)));
    }
    return chain;
  }

  /**
   * The verification handshake Meta does when a webhook URL is configured: {@code GET
   * url?hub.mode=subscribe&hub.challenge=<random>&hub.verify_token=<token>}; the receiver must
   * answer 200 with the challenge as its body.
   *
   * @return whether the receiver echoed the challenge
   */
  Future<Boolean> verify() {
    String target = url.get();
    if (target == null) {
      return Future.succeededFuture(false);
    }
    String challenge = Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    return client
        .getAbs(target)
        .timeout(TIMEOUT_MS)
        .addQueryParam("hub.mode", "subscribe")
        .addQueryParam("hub.challenge", challenge)
        .addQueryParam("hub.verify_token", config.verifyToken())
        .putHeader("User-Agent", USER_AGENT)
        .send()
        .map(r -> r.statusCode() == 200 && challenge.equals(r.bodyAsString()))
        .otherwise(false);
  }

  void close() {
    closed = true;
    timers.forEach(Timer::cancel);
    timers.clear();
  }

  private Future<Integer> attempt(Delivery delivery, int retry) {
    return post(delivery)
        .compose(
            status -> {
              if (is2xx(status) || retry >= config.webhookRetries() || closed) {
                return Future.succeededFuture(status);
              }
              Duration delay = config.webhookRetryDelay().multipliedBy(1L << retry);
              Timer timer = vertx.timer(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
              timers.add(timer);
              return timer
                  .eventually(() -> Future.succeededFuture(timers.remove(timer)))
                  .compose(v -> attempt(delivery, retry + 1))
                  .otherwise(status);
            });
  }

  /** One POST; answers the status, or 0 when there is no URL or the receiver is unreachable. */
  private Future<Integer> post(Delivery delivery) {
    String target = url.get();
    if (target == null || closed) {
      return Future.succeededFuture(0);
    }
    return client
        .postAbs(target)
        .timeout(TIMEOUT_MS)
        .putHeader("Content-Type", "application/json")
        .putHeader(HubSignature.HEADER, delivery.signature())
        .putHeader("User-Agent", USER_AGENT)
        .sendBuffer(delivery.body())
        .map(r -> r.statusCode())
        .otherwise(
            e -> {
              LOG.debug("Webhook {} to {} failed: {}", delivery.id(), target, e.toString());
              return 0;
            });
  }

  private static boolean is2xx(int status) {
    return status >= 200 && status < 300;
  }

  private static List<Integer> add(List<Integer> list, int value) {
    list.add(value);
    return list;
  }
}
