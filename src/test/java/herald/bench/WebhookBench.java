package herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load generator for {@code bench/webhooks.sh} (not a test). Against a running Herald on loopback
 * it starts local receivers (Vert.x HTTP servers on 127.0.0.1), creates one endpoint per receiver
 * for {@code message.queued}, and commits {@code events} messages in 1,000-message batches
 * scheduled a day ahead (so the SMS pipeline stays idle and only webhooks work). It reports signed
 * deliveries per second (first POST to last first-time receipt) and first-attempt latency from the
 * event's commit timestamp to receipt (p50/p99/max). Every 50th receipt is checked against its
 * X-Webhook-Signature.
 *
 * <p>Before (a) is measured, a warm-up burst of the same shape runs and is reported apart: the
 * dispatchers' code is compiled while it runs (on two cores, the JIT compiler took about as much
 * CPU as one dispatcher's event loop in a cold 40,000-delivery burst), and a gateway serves from a
 * warm JVM.
 *
 * <p>Arguments: port, admin password, events, endpoints, max seconds, latency-phase rate (events/s)
 * and seconds, warm-up events (0 measures from a cold start).
 */
public final class WebhookBench {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient web;
  private final Map<String, Long> firstSeenLatencyMicros = new ConcurrentHashMap<>();
  private final AtomicLong firstReceiptNanos = new AtomicLong();
  private final AtomicLong lastReceiptNanos = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger badSignatures = new AtomicInteger();
  private final Map<Integer, String> secrets = new ConcurrentHashMap<>();

  private WebhookBench(int port) {
    web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true)
                .setUserAgentEnabled(false),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(8));
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String password = args[1];
    int events = Integer.parseInt(args[2]);
    int endpoints = Integer.parseInt(args[3]);
    int maxSeconds = Integer.parseInt(args[4]);
    int rate = Integer.parseInt(args[5]);
    int seconds = Integer.parseInt(args[6]);
    int warmEvents = args.length > 7 ? Integer.parseInt(args[7]) : 40_000;
    WebhookBench bench = new WebhookBench(port);
    try {
      bench.run(password, events, endpoints, maxSeconds, rate, seconds, warmEvents);
    } finally {
      bench.vertx.close().await();
    }
  }

  private JsonObject call(String method, String path, JsonObject body, String token) {
    var request =
        web.request(io.vertx.core.http.HttpMethod.valueOf(method), path)
            .putHeader("Authorization", "Bearer " + token);
    HttpResponse<Buffer> response =
        (body == null
                ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()))
            .await();
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  private int receiver(int index) {
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              long now = System.nanoTime();
                              Instant at = Instant.now();
                              int n = requests.incrementAndGet();
                              String id = request.getHeader("webhook-id");
                              if (n % 50 == 0
                                  && !hex(secrets.get(index), body.toString())
                                      .equals(request.getHeader("X-Webhook-Signature"))) {
                                badSignatures.incrementAndGet();
                              }
                              if (!firstSeenLatencyMicros.containsKey(id)) {
                                String stamp = extractTimestamp(body);
                                Instant committed = Instant.parse(stamp);
                                long micros =
                                    (at.getEpochSecond() - committed.getEpochSecond()) * 1_000_000
                                        + (at.getNano() - committed.getNano()) / 1000;
                                firstSeenLatencyMicros.putIfAbsent(id, micros);
                                firstReceiptNanos.compareAndSet(0, now);
                                lastReceiptNanos.set(now);
                              }
                              request.response().setStatusCode(204).end();
                            }))
            .listen()
            .await();
    return server.actualPort();
  }

  /** The top-level {@code timestamp} without parsing the whole body. */
  private static String extractTimestamp(Buffer body) {
    String text = body.toString(StandardCharsets.UTF_8);
    int at = text.indexOf("\"timestamp\":\"") + 13;
    return text.substring(at, text.indexOf('"', at));
  }

  private static String hex(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void run(
      String password,
      int events,
      int endpoints,
      int maxSeconds,
      int rate,
      int seconds,
      int warmEvents)
      throws InterruptedException {
    String token =
        web.post("/api/v1/auth/login")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(
                new JsonObject().put("username", "admin").put("password", password).toBuffer())
            .await()
            .bodyAsJsonObject()
            .getString("token");
    for (int i = 0; i < endpoints; i++) {
      int port = receiver(i);
      JsonObject created =
          call(
              "POST",
              "/api/v1/webhooks",
              new JsonObject()
                  .put("name", "bench " + i)
                  .put("url", "http://127.0.0.1:" + port + "/hooks")
                  .put("events", new JsonArray().add("message.queued")),
              token);
      secrets.put(i, created.getString("secret"));
    }
    String later = Instant.now().plusSeconds(86_400).toString();
    if (warmEvents > 0) {
      throughput(
          "(a0) warm-up, not counted in (a):", token, later, warmEvents, endpoints, maxSeconds);
    }
    throughput("(a)", token, later, events, endpoints, maxSeconds);
    latency(token, later, endpoints, rate, seconds);
  }

  private JsonArray batch(int from, int size, String later) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < size; i++) {
      batch.add(
          new JsonObject()
              .put("to", String.format("+1415555%04d", (from + i) % 10_000))
              .put("body", "webhook bench")
              .put("scheduled_at", later));
    }
    return batch;
  }

  private io.vertx.core.Future<Void> post(String token, JsonArray batch) {
    return web.post("/api/v1/messages")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(batch.toBuffer())
        .map(
            response -> {
              if (response.statusCode() != 202
                  || response.bodyAsJsonObject().getInteger("accepted") != batch.size()) {
                throw new IllegalStateException(
                    "intake refused: " + response.statusCode() + " " + response.bodyAsString());
              }
              return null;
            });
  }

  /** (a) Commits every event in 1,000-message batches, then waits for every delivery. */
  private void throughput(
      String label, String token, String later, int events, int endpoints, int maxSeconds)
      throws InterruptedException {
    firstSeenLatencyMicros.clear();
    firstReceiptNanos.set(0);
    requests.set(0);
    badSignatures.set(0);
    long start = System.nanoTime();
    List<io.vertx.core.Future<Void>> posts = new ArrayList<>();
    for (int from = 0; from < events; from += 1000) {
      posts.add(post(token, batch(from, Math.min(1000, events - from), later)));
      if (posts.size() >= 4) {
        io.vertx.core.Future.all(posts).await();
        posts.clear();
      }
    }
    io.vertx.core.Future.all(posts).await();
    double intake = (System.nanoTime() - start) / 1e9;
    long expected = (long) events * endpoints;
    long deadline = start + maxSeconds * 1_000_000_000L;
    while (firstSeenLatencyMicros.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long delivered = firstSeenLatencyMicros.size();
    double overall = (lastReceiptNanos.get() - start) / 1e9;
    double steady = (lastReceiptNanos.get() - firstReceiptNanos.get()) / 1e9;
    System.out.printf(
        "%s %,d events committed in %.2f s (%,.0f/s) for %d endpoints%n",
        label, events, intake, events / intake, endpoints);
    System.out.printf(
        "%s signed deliveries: %,d of %,d; %,.0f deliveries/s from the first POST to the last"
            + " receipt (%.2f s), %,.0f/s from the first receipt to the last; requests seen %,d;"
            + " bad signatures in the 1-in-50 sample: %d%n",
        label,
        delivered,
        expected,
        delivered / overall,
        overall,
        delivered / steady,
        requests.get(),
        badSignatures.get());
    if (delivered < expected) {
      System.out.println(label + " INCOMPLETE: the time limit of " + maxSeconds + " s was reached");
    }
  }

  /**
   * (b) First-attempt latency at a steady, sustainable rate: a 10-event batch every 10/rate
   * seconds, open loop, for the given seconds; latency from each event's commit timestamp to its
   * first receipt.
   */
  private void latency(String token, String later, int endpoints, int rate, int seconds)
      throws InterruptedException {
    firstSeenLatencyMicros.clear();
    int batches = Math.max(1, rate * seconds / 10);
    long periodNanos = 10_000_000_000L / rate;
    long start = System.nanoTime();
    List<io.vertx.core.Future<Void>> posts = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      long due = start + b * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      posts.add(post(token, batch(b * 10, 10, later)));
    }
    io.vertx.core.Future.all(posts).await();
    long expected = (long) batches * 10 * endpoints;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (firstSeenLatencyMicros.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long[] latencies =
        firstSeenLatencyMicros.values().stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "(b) %,d events at %d/s over %d s, %,d deliveries of %,d; first-attempt latency from event"
            + " commit to receipt: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        batches * 10,
        rate,
        seconds,
        latencies.length,
        expected,
        pct(latencies, 0.50) / 1000.0,
        pct(latencies, 0.99) / 1000.0,
        latencies[latencies.length - 1] / 1000.0);
  }

  private static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
