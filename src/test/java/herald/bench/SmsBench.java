package herald.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for {@code bench/sms.sh} (not a test): against a running Herald on loopback it
 * measures (a) bulk intake of 1,000-message batches, (b) end to end from the first POST until every
 * message is delivered through the SMPP simulator, and (c) single-send latency at a fixed request
 * rate, open loop (latency counted from each request's scheduled time, so a stall is not hidden).
 *
 * <p>Arguments: port, admin password, SMSC port, batches, concurrency, single-send rate, seconds,
 * and optionally warm-up seconds (default 30). A phase given 0 batches or 0 seconds is skipped.
 * Before (c) is measured, single sends run at the same rate for the warm-up seconds, reported on
 * their own line: Herald's JIT is still compiling the single-send path after the batch phases (the
 * compiler threads took 170 to 190 µs of CPU per request in a cold fixed-rate phase), and a gateway
 * serves for far longer than 15 s.
 */
public final class SmsBench {
  private static final int LANES = 4;

  private final BenchApi api;
  private final Vertx vertx;
  private final WebClient web;
  private String key;

  private SmsBench(int port) {
    api = new BenchApi(port, 128);
    vertx = api.vertx;
    web = api.web;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String password = args[1];
    int smscPort = Integer.parseInt(args[2]);
    int batches = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int rate = Integer.parseInt(args[5]);
    int seconds = Integer.parseInt(args[6]);
    int warmSeconds = args.length > 7 ? Integer.parseInt(args[7]) : 30;
    SmsBench bench = new SmsBench(port);
    try (BenchApi api = bench.api) {
      bench.key = api.createKey(password);
      String sender = bench.sender(smscPort);
      if (batches > 0) {
        bench.intakeAndEndToEnd(sender, batches, concurrency);
      }
      if (seconds > 0) {
        if (warmSeconds > 0) {
          int accepted =
              bench.latency("(c0) warm-up, not counted in (c):", sender, rate, warmSeconds);
          // (c) starts from a drained pipeline, as after (b).
          bench.awaitDelivered(sender, batches * 1000L + accepted, System.nanoTime());
        }
        bench.latency("(c)", sender, rate, seconds);
      }
    }
  }

  private JsonObject call(String method, String path) {
    return api.call(method, path, null);
  }

  /** A sender fast enough not to be the bottleneck: 50,000/s with 200 outstanding submits. */
  private String sender(int smscPort) throws InterruptedException {
    String id = api.smppSender(smscPort, 50_000, 200);
    for (int i = 0; i < 300; i++) {
      if ("bound"
          .equals(call("GET", "/api/v1/senders/" + id + "/status").getString("connection"))) {
        return id;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("bench sender did not bind");
  }

  private void intakeAndEndToEnd(String sender, int batches, int concurrency)
      throws InterruptedException {
    int total = batches * 1000;
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(postBatches(sender, next, batches));
    }
    Future.all(workers).await();
    double intakeSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "(a) bulk intake: %,d messages in %d batches of 1,000, %d concurrent: %.2f s = %,.0f messages/s committed%n",
        total, batches, concurrency, intakeSeconds, total / intakeSeconds);
    awaitDelivered(sender, total, start);
    double e2eSeconds = (System.nanoTime() - start) / 1e9;
    JsonObject counts =
        call("GET", "/api/v1/messages/stats?sender_id=" + sender).getJsonObject("by_status");
    if (counts.getLong("delivered", 0L) != total) {
      throw new IllegalStateException("the counter said all delivered, the database: " + counts);
    }
    System.out.printf(
        "(b) end to end over SMPP, receipts processed: %,d messages in %.2f s = %,.0f messages/s%n",
        total, e2eSeconds, total / e2eSeconds);
  }

  /**
   * Waits until Herald has delivered {@code expected} messages of {@code sender}, on its in-memory
   * counter (no SQL, so the wait does not take database time from the work it measures). One scrape
   * every 250 ms: a scrape renders every meter, and polling faster took a tenth of the event loops'
   * time from the work measured (a JFR profile of the run).
   */
  private void awaitDelivered(String sender, long expected, long start)
      throws InterruptedException {
    String senderLabel = "sender=\"" + sender + "\"";
    while (true) {
      String metrics = api.metrics();
      if (BenchApi.metric(metrics, "herald_messages_total", senderLabel, "status=\"delivered\"")
          >= expected) {
        return;
      }
      double failed =
          BenchApi.metric(metrics, "herald_messages_total", senderLabel, "status=\"failed\"")
              + BenchApi.metric(
                  metrics, "herald_messages_total", senderLabel, "status=\"undelivered\"");
      if (failed > 0) {
        throw new IllegalStateException(failed + " messages failed");
      }
      if ((System.nanoTime() - start) / 1e9 > 900) {
        throw new IllegalStateException("delivery did not finish in 15 min");
      }
      Thread.sleep(250);
    }
  }

  private Future<Void> postBatches(String sender, AtomicInteger next, int batches) {
    int b = next.getAndIncrement();
    if (b >= batches) {
      return Future.succeededFuture();
    }
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      batch.add(
          new JsonObject()
              .put("to", String.format("+1415555%04d", (b * 1000 + i) % 10_000))
              .put("body", "Bench message " + b + "/" + i)
              .put("sender_id", sender));
    }
    return web.post("/api/v1/messages")
        .putHeader("X-API-Key", key)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(batch.toBuffer())
        .compose(
            r ->
                r.statusCode() == 202
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        "batch -> "
                            + r.statusCode()
                            + " "
                            + r.bodyAsString()
                                .substring(0, Math.min(300, r.bodyAsString().length()))))
        .compose(v -> postBatches(sender, next, batches));
  }

  /** Returns how many of the sends were accepted. */
  private int latency(String label, String sender, int rate, int seconds) {
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger done = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    Promise<Void> finished = Promise.promise();
    Buffer body =
        new JsonObject()
            .put("to", "+14155550199")
            .put("body", "latency probe")
            .put("sender_id", sender)
            .toBuffer();
    long start = System.nanoTime();
    long intervalNanos = 1_000_000_000L / rate;
    // Several lanes, each on its own event loop, so the load generator is not the bottleneck: lane
    // k issues requests k, k + LANES, ...
    for (int lane = 0; lane < LANES; lane++) {
      int first = lane;
      AtomicInteger next = new AtomicInteger(first);
      io.vertx.core.Context context = vertx.getOrCreateContext();
      context.runOnContext(
          v ->
              vertx.setPeriodic(
                  1,
                  timer -> {
                    long due = (System.nanoTime() - start) / intervalNanos;
                    while (next.get() < Math.min(due, total)) {
                      int index = next.getAndAdd(LANES);
                      long scheduled = start + index * intervalNanos;
                      web.post("/api/v1/messages")
                          .putHeader("X-API-Key", key)
                          .putHeader("Content-Type", "application/json")
                          .sendBuffer(body)
                          .onComplete(
                              r -> {
                                latencies[index] = System.nanoTime() - scheduled;
                                if (r.failed() || r.result().statusCode() != 202) {
                                  errors.incrementAndGet();
                                }
                                if (done.incrementAndGet() == total) {
                                  finished.complete();
                                }
                              });
                    }
                    if (next.get() >= total) {
                      vertx.cancelTimer(timer);
                    }
                  }));
    }
    finished.future().await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    System.out.printf(
        "%s single sends at %,d requests/s for %d s (%,d sent in %.1f s, %d errors): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
        label,
        rate,
        seconds,
        total,
        elapsed,
        errors.get(),
        latencies[total / 2] / 1e6,
        latencies[(int) (total * 0.99)] / 1e6,
        latencies[(int) (total * 0.999)] / 1e6,
        latencies[total - 1] / 1e6);
    return total - errors.get();
  }
}
