package herald.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Steps of the campaign benchmarks, one per invocation, against a running Herald (see {@code
 * bench/campaign-*.sh}). Prints what it measured.
 *
 * <pre>
 * create PORT KEY SENDER COUNT RATE NAME  -> campaign id (recipients added 100,000 per call;
 *                                           RATE 0 for no cap of its own)
 * start|pause|resume|stop PORT KEY ID
 * wait PORT KEY ID STATUS TIMEOUT_S        -> until the campaign has STATUS, printing progress
 * sent PORT KEY ID COUNT TIMEOUT_S         -> until COUNT recipients have been sent
 * status PORT KEY ID                       -> the status document
 * </pre>
 */
public final class CampaignRun {
  private static final int CHUNK = 100_000;

  private CampaignRun() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    try (BenchApi api = new BenchApi(port, 4)) {
      api.useKey(args[2]);
      switch (args[0]) {
        case "create" ->
            create(api, args[3], Integer.parseInt(args[4]), Double.parseDouble(args[5]), args[6]);
        case "start", "pause", "resume", "stop" ->
            System.out.println(
                api.call("POST", "/api/v1/campaigns/" + args[3] + "/" + args[0], null)
                    .getString("status"));
        case "wait" -> await(api, args[3], args[4], -1, Long.parseLong(args[5]));
        case "sent" -> await(api, args[3], null, Long.parseLong(args[4]), Long.parseLong(args[5]));
        case "status" -> System.out.println(status(api, args[3]).encode());
        default -> throw new IllegalArgumentException("unknown step " + args[0]);
      }
    }
  }

  /** A number per recipient: +1 415 3xx xxxx, unique for up to 1,000,000 recipients. */
  static String number(int i) {
    return String.format("+1415%07d", 3_000_000 + i % 1_000_000);
  }

  private static void create(BenchApi api, String sender, int count, double rate, String name) {
    JsonObject body =
        new JsonObject()
            .put("name", name)
            .put("sender_id", sender)
            .put("message", "Hello {name|there}, your " + name + " code is {code|none}");
    if (rate > 0) {
      body.put("rate_per_second", rate); // else as fast as its share of the sender allows
    }
    String id = api.call("POST", "/api/v1/campaigns", body).getString("id");
    long start = System.nanoTime();
    for (int from = 0; from < count; from += CHUNK) {
      JsonArray recipients = new JsonArray();
      for (int i = from; i < Math.min(count, from + CHUNK); i++) {
        recipients.add(
            i % 10 == 0
                ? new JsonObject().put("number", number(i)).put("name", "R" + i).put("code", i)
                : number(i));
      }
      api.call(
          "POST",
          "/api/v1/campaigns/" + id + "/recipients",
          new JsonObject().put("recipients", recipients));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.err.printf(
        "added %,d recipients in %.1f s = %,.0f/s%n", count, seconds, count / seconds);
    System.out.println(id);
  }

  private static JsonObject status(BenchApi api, String id) {
    return api.call("GET", "/api/v1/campaigns/" + id + "/status", null);
  }

  private static void await(BenchApi api, String id, String status, long sent, long timeoutS)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutS));
    Instant began = Instant.now();
    long lastSent = -1;
    Instant lastPrint = Instant.EPOCH;
    while (Instant.now().isBefore(deadline)) {
      JsonObject s = status(api, id);
      long nowSent = s.getLong("sent");
      if (Duration.between(lastPrint, Instant.now()).getSeconds() >= 30) {
        System.err.printf(
            "  %5.0f s: %s, sent %,d, pending %,d, queued %,d, %.1f %%%n",
            Duration.between(began, Instant.now()).toMillis() / 1000.0,
            s.getString("status"),
            nowSent,
            s.getLong("pending"),
            s.getLong("queued"),
            s.getDouble("percentage"));
        lastPrint = Instant.now();
      }
      if ((status != null && status.equals(s.getString("status")))
          || (sent >= 0 && nowSent >= sent)) {
        System.out.println(s.encode());
        return;
      }
      lastSent = nowSent;
      Thread.sleep(sent >= 0 ? 500 : 10_000);
    }
    throw new IllegalStateException("timed out; last sent " + lastSent);
  }
}
