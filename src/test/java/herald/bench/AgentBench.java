package herald.bench;

import herald.sim.llm.LlmSimConfig;
import herald.sim.llm.LlmSimulator;
import herald.sim.twilio.TwilioSimConfig;
import herald.sim.twilio.TwilioSimulator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AI agent under load, for {@code bench/agent.sh}: a model simulator and a Twilio simulator in
 * this JVM, a Twilio sender and an agent in a running Herald, and then, per round, {@code messages}
 * signed inbound webhooks spread evenly over {@code seconds} (open loop), with the model answering
 * after a fixed latency. Reports per round: the webhook's answer time (intake) as p50/p95/p99/max,
 * the replies Twilio received (every number must get exactly one), the time to the last reply, and
 * the task times from Herald's task analytics.
 *
 * <p>Usage: {@code AgentBench <port> <admin password> <messages> <seconds> <latency ms>...} (one
 * round per latency).
 */
public final class AgentBench {
  private static final String SID = "AC" + "0".repeat(31) + "1";
  private static final String TOKEN = "bench-auth-token";
  private static final String OUR_NUMBER = "+14155550900";

  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String password = args[1];
    int messages = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    try (BenchApi api = new BenchApi(port, 8)) {
      String token =
          api.call(
                  "POST",
                  "/api/v1/auth/login",
                  new JsonObject().put("username", "admin").put("password", password))
              .getString("token");
      api.useKey(token);
      LlmSimulator llm = LlmSimulator.start(api.vertx, LlmSimConfig.loopback("sk-bench")).await();
      TwilioSimulator twilio =
          TwilioSimulator.start(api.vertx, TwilioSimConfig.loopback(SID, TOKEN)).await();
      String sender =
          api.call(
                  "POST",
                  "/api/v1/senders",
                  new JsonObject()
                      .put("name", "agent bench twilio")
                      .put("provider", "twilio")
                      .put("rate_per_second", 1000)
                      .put(
                          "settings",
                          new JsonObject()
                              .put("account_sid", SID)
                              .put("auth_token", TOKEN)
                              .put("from", OUR_NUMBER)
                              .put("base_url", twilio.baseUrl())))
              .getString("id");
      String agent =
          api.call(
                  "POST",
                  "/api/v1/agents",
                  new JsonObject()
                      .put("name", "agent bench model")
                      .put("base_url", llm.baseUrl())
                      .put("model", llm.models().get(0))
                      .put("api_key", llm.apiKey())
                      .put("timeout_ms", 30_000))
              .getString("id");
      api.call(
          "POST",
          "/api/v1/inbound-rules",
          new JsonObject()
              .put("name", "bench to the model")
              .put("match", new JsonObject().put("sender_id", sender))
              .put("action", "agent")
              .put("agent_id", agent));
      String url = "http://127.0.0.1:" + port + "/api/v1/inbound/twilio/sms";
      for (int round = 0; round < args.length - 4; round++) {
        int latency = Integer.parseInt(args[4 + round]);
        llm.latency(Duration.ofMillis(latency));
        round(api, twilio, url, round, messages, seconds, latency);
      }
      twilio.close().await();
      llm.close().await();
    }
  }

  private static String number(int round, int i) {
    return String.format("+1415%03d%04d", 560 + round, i);
  }

  private static void round(
      BenchApi api,
      TwilioSimulator twilio,
      String url,
      int round,
      int messages,
      int seconds,
      int latencyMs)
      throws Exception {
    System.out.printf(
        "== round %d: %,d inbound messages over %d s, model latency %d ms%n",
        round + 1, messages, seconds, latencyMs);
    Instant began = Instant.now().minusSeconds(1);
    long[] intakeMicros = new long[messages];
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    Map<String, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    Promise<Void> allSent = Promise.promise();
    long start = System.nanoTime();
    AtomicInteger sent = new AtomicInteger();
    // open loop: each tick sends what the schedule says is due, whatever the answers take
    api.vertx.setPeriodic(
        5,
        timer -> {
          long due =
              Math.min(
                  messages,
                  (System.nanoTime() - start) * messages / (seconds * 1_000_000_000L) + 1);
          while (sent.get() < due) {
            int i = sent.getAndIncrement();
            long t0 = System.nanoTime();
            twilio
                .sendInbound(url, number(round, i), OUR_NUMBER, "question " + i)
                .onComplete(
                    ar -> {
                      intakeMicros[i] = (System.nanoTime() - t0) / 1000;
                      String status =
                          ar.failed()
                              ? ar.cause().getClass().getSimpleName()
                              : Integer.toString(ar.result().statusCode());
                      statuses.merge(status, 1, Integer::sum);
                      if (!"200".equals(status)) {
                        refused.incrementAndGet();
                      }
                      if (answered.incrementAndGet() == messages) {
                        allSent.complete();
                      }
                    });
          }
          if (sent.get() >= messages) {
            api.vertx.cancelTimer(timer);
          }
        });
    Future<Void> done = allSent.future();
    done.await();
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    long[] sorted = intakeMicros.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "intake: %,d webhooks answered in %.1f s %s; answer time p50 %.1f ms, p95 %.1f"
            + " ms, p99 %.1f ms, max %.1f ms%n",
        messages,
        sendSeconds,
        statuses,
        pct(sorted, 50),
        pct(sorted, 95),
        pct(sorted, 99),
        sorted[sorted.length - 1] / 1000.0);

    String prefix = String.format("+1415%03d", 560 + round);
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    Map<String, Integer> replies = replies(twilio, prefix);
    while (replies.size() < messages && System.nanoTime() < deadline) {
      Thread.sleep(100);
      replies = replies(twilio, prefix);
    }
    double lastReply = (System.nanoTime() - start) / 1e9;
    Thread.sleep(3000); // anything sent twice shows up by now
    replies = replies(twilio, prefix);
    long once = replies.values().stream().filter(n -> n == 1).count();
    long twice = replies.values().stream().filter(n -> n > 1).count();
    System.out.printf(
        "replies: %,d of %,d numbers got exactly one reply, %d more than one, %d none; the last"
            + " reply %.1f s after the first message%n",
        once, messages, twice, messages - replies.size(), lastReply);

    JsonObject analytics =
        api.call("GET", "/api/v1/agent-tasks/analytics?created_after=" + began, null);
    JsonObject processing = analytics.getJsonObject("processing_ms");
    JsonObject total = analytics.getJsonObject("total_ms");
    System.out.printf(
        "tasks: %d (%d successful, %d failed, %d open); processing (claim to reply committed) p50"
            + " %s ms, p95 %s ms, p99 %s ms; total (inbound stored to reply committed) p50 %s ms,"
            + " p95 %s ms, p99 %s ms%n",
        analytics.getLong("total_tasks"),
        analytics.getLong("successful_tasks"),
        analytics.getLong("failed_tasks"),
        analytics.getLong("open_tasks"),
        processing.getValue("p50"),
        processing.getValue("p95"),
        processing.getValue("p99"),
        total.getValue("p50"),
        total.getValue("p95"),
        total.getValue("p99"));
    boolean pass =
        once == messages
            && refused.get() == 0
            && analytics.getLong("total_tasks") == messages
            && (latencyMs == 0 || pct(sorted, 99) < latencyMs);
    System.out.println(
        (pass ? "PASS" : "FAIL")
            + ": every webhook answered 200, every number got exactly one reply"
            + (latencyMs == 0 ? "" : ", intake p99 below the model's latency"));
  }

  /**
   * Replies Twilio was asked to send, by recipient, for the numbers starting with {@code prefix}.
   */
  private static Map<String, Integer> replies(TwilioSimulator twilio, String prefix) {
    Map<String, Integer> byNumber = new HashMap<>();
    List<JsonObject> all = new ArrayList<>(twilio.messages());
    for (JsonObject m : all) {
      String to = m.getString("to");
      if (to != null && to.startsWith(prefix) && !"inbound".equals(m.getString("direction"))) {
        byNumber.merge(to, 1, Integer::sum);
      }
    }
    return byNumber;
  }

  private static double pct(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
  }
}
