package herald.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steps of the scripted SMS runs in {@code bench/} (not a test), one per invocation, so that a
 * shell script can kill and restart Herald or pause the SMSC between them:
 *
 * <pre>
 * setup  PORT PASSWORD SMSC_PORT RATE WINDOW   prints "KEY SENDER" for a new API key and SMPP sender
 * post   PORT KEY SENDER COUNT [RUN]           posts COUNT unique messages in batches of 1,000
 * wait   PORT KEY SENDER COUNT SECONDS [SENT]  until COUNT reached a final status (or left, with SENT)
 * counts PORT KEY SENDER                       prints the sender's messages by status
 * status PORT KEY SENDER                       prints the sender's status (connection, circuit)
 * rate   PORT KEY SENDER RATE                  changes the sender's rate_per_second
 * </pre>
 */
public final class SmsRun {
  private final BenchApi api;
  private final WebClient web;
  private final String key;

  private SmsRun(BenchApi api, String key) {
    this.api = api;
    this.web = api.web;
    this.key = key;
    api.useKey(key);
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    try (BenchApi api = new BenchApi(port, 8)) {
      if (args[0].equals("setup")) {
        String apiKey = api.createKey(args[2]);
        String sender =
            api.smppSender(
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        System.out.println(apiKey + " " + sender);
        return;
      }
      SmsRun run = new SmsRun(api, args[2]);
      switch (args[0]) {
        case "post" ->
            run.post(args[3], Integer.parseInt(args[4]), args.length > 5 ? args[5] : "run");
        case "wait" ->
            run.await(
                args[3],
                Long.parseLong(args[4]),
                Long.parseLong(args[5]),
                args.length > 6 && args[6].equals("sent"));
        case "counts" -> System.out.println(run.counts(args[3]).encode());
        case "rate" ->
            System.out.println(
                api.call(
                    "PATCH",
                    "/api/v1/senders/" + args[3],
                    new JsonObject().put("rate_per_second", Integer.parseInt(args[4]))));
        case "status" ->
            System.out.println(api.call("GET", "/api/v1/senders/" + args[3] + "/status", null));
        default -> throw new IllegalArgumentException("unknown step " + args[0]);
      }
    }
  }

  /** Posts {@code count} messages with unique bodies, 4 batches of 1,000 in flight. */
  private void post(String sender, int count, String run) {
    int batches = (count + 999) / 1000;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(postBatches(sender, next, batches, count, run, accepted));
    }
    Future.all(workers).await();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "accepted %d of %d in %.2f s = %.0f messages/s%n",
        accepted.get(), count, seconds, accepted.get() / seconds);
  }

  private Future<Void> postBatches(
      String sender, AtomicInteger next, int batches, int count, String run, AtomicInteger ok) {
    int b = next.getAndIncrement();
    if (b >= batches) {
      return Future.succeededFuture();
    }
    JsonArray batch = new JsonArray();
    for (int i = b * 1000; i < Math.min(count, (b + 1) * 1000); i++) {
      batch.add(
          new JsonObject()
              .put("to", String.format("+1415555%04d", i % 10_000))
              .put("body", run + " message " + i)
              .put("sender_id", sender));
    }
    return web.post("/api/v1/messages")
        .putHeader("X-API-Key", key)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(batch.toBuffer())
        .compose(
            r -> {
              if (r.statusCode() != 202) {
                return Future.failedFuture("batch " + b + " -> " + r.statusCode());
              }
              ok.addAndGet(r.bodyAsJsonObject().getInteger("accepted"));
              return postBatches(sender, next, batches, count, run, ok);
            });
  }

  private JsonObject counts(String sender) {
    return api.call("GET", "/api/v1/messages/stats?sender_id=" + sender, null)
        .getJsonObject("by_status");
  }

  /**
   * Polls once a second until {@code target} messages are final (delivered, undelivered, failed),
   * or, with {@code sentOnly}, have left Herald (also counting sent); fails after {@code seconds}.
   */
  private void await(String sender, long target, long seconds, boolean sentOnly)
      throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      JsonObject c = counts(sender);
      long done =
          c.getLong("delivered", 0L)
              + c.getLong("undelivered", 0L)
              + c.getLong("failed", 0L)
              + (sentOnly ? c.getLong("sent", 0L) : 0L);
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (done >= target) {
        System.out.printf("%d reached after %.1f s: %s%n", done, elapsed, c.encode());
        return;
      }
      if (elapsed > seconds) {
        throw new IllegalStateException("only " + done + " of " + target + ": " + c.encode());
      }
      Thread.sleep(1000);
    }
  }
}
