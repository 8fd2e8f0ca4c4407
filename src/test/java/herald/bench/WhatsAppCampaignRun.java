package herald.bench;

import herald.sim.whatsapp.WhatsAppSimConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Steps of {@code bench/whatsapp-campaign.sh} against a running Herald and a {@link
 * WhatsAppSimRun}, one per invocation. Recipient {@code i} is {@code +1415 4xx xxxx}, with {@code
 * name} {@code Guest<i>} and {@code order} {@code A-<i>} as its template parameters; every 100
 * recipients hold 1 invalid number (skipped {@code invalid_number}), 1 number on the blacklist (an
 * opted-out contact: skipped {@code blacklisted}) and 1 recipient without a name (skipped {@code
 * missing_variable}).
 *
 * <pre>
 * setup PORT PASSWORD SIM_URL RATE  -> "KEY SENDER": an API key and a WhatsApp sender at RATE/s
 * create PORT KEY SENDER COUNT RATE -> campaign id (template order_update, RATE/s), started
 * wait PORT KEY ID TIMEOUT_S        -> the status document (with the stats' by_status) once the
 *                                      campaign has completed and every message has a status from
 *                                      Meta beyond sent (or 60 s have passed since it completed)
 * </pre>
 */
public final class WhatsAppCampaignRun {
  private WhatsAppCampaignRun() {}

  public static void main(String[] args) throws Exception {
    try (BenchApi api = new BenchApi(Integer.parseInt(args[1]), 4)) {
      switch (args[0]) {
        case "setup" -> setup(api, args[2], args[3], Integer.parseInt(args[4]));
        case "create" -> {
          api.useKey(args[2]);
          create(api, args[3], Integer.parseInt(args[4]), Double.parseDouble(args[5]));
        }
        case "wait" -> {
          api.useKey(args[2]);
          await(api, args[3], Long.parseLong(args[4]));
        }
        default -> throw new IllegalArgumentException("unknown step " + args[0]);
      }
    }
  }

  /** Recipient {@code i}'s number. */
  static String number(int i) {
    return String.format("+1415%07d", 4_000_000 + i);
  }

  private static void setup(BenchApi api, String password, String simUrl, int rate) {
    api.useKey(
        api.call(
                "POST",
                "/api/v1/auth/login",
                new JsonObject().put("username", "admin").put("password", password))
            .getString("token"));
    String key =
        api.call(
                "POST",
                "/api/v1/api-keys",
                new JsonObject()
                    .put("name", "whatsapp bench")
                    .put(
                        "scopes",
                        new JsonArray()
                            .add("messages:*")
                            .add("senders:*")
                            .add("campaigns:*")
                            .add("blacklist:*")))
            .getString("key");
    api.useKey(key);
    WhatsAppSimConfig sim = WhatsAppSimConfig.defaults();
    String sender =
        api.call(
                "POST",
                "/api/v1/senders",
                new JsonObject()
                    .put("name", "whatsapp bench")
                    .put("provider", "whatsapp_cloud")
                    .put("rate_per_second", rate)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("phone_number_id", sim.phoneNumbers().get(0).id())
                            .put("waba_id", sim.wabaId())
                            .put("access_token", sim.accessToken())
                            .put("app_secret", sim.appSecret())
                            .put("verify_token", sim.verifyToken())
                            .put("graph_url", simUrl)
                            .put(
                                "phone_number",
                                "+" + sim.phoneNumbers().get(0).displayPhoneNumber())))
            .getString("id");
    System.out.println(key + " " + sender);
  }

  private static JsonObject recipient(int i) {
    return switch (i % 100) {
      case 7 -> new JsonObject().put("number", "+0" + i);
      case 21 -> new JsonObject().put("number", number(i)).put("order", "A-" + i);
      default ->
          new JsonObject().put("number", number(i)).put("name", "Guest" + i).put("order", "A-" + i);
    };
  }

  private static void create(BenchApi api, String sender, int count, double rate) {
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < count; i++) {
      if (i % 100 == 13) {
        api.call(
            "POST",
            "/api/v1/blacklist",
            new JsonObject().put("phone_number", number(i)).put("reason", "opted out"));
      }
      recipients.add(recipient(i));
    }
    JsonObject body =
        new JsonObject()
            .put("type", "body")
            .put(
                "parameters",
                new JsonArray()
                    .add(new JsonObject().put("type", "text").put("text", "{{name}}"))
                    .add(new JsonObject().put("type", "text").put("text", "{{order}}")));
    JsonObject content =
        new JsonObject()
            .put("type", "template")
            .put(
                "template",
                new JsonObject()
                    .put("name", "order_update")
                    .put("language", "en_US")
                    .put("components", new JsonArray().add(body)));
    long start = System.nanoTime();
    String id =
        api.call(
                "POST",
                "/api/v1/campaigns",
                new JsonObject()
                    .put("name", "whatsapp bench " + count)
                    .put("channel", "whatsapp")
                    .put("sender_ids", new JsonArray().add(sender))
                    .put("rate_per_second", rate)
                    .put("missing_variables", "skip")
                    .put("content", content)
                    .put("recipients", recipients))
            .getString("id");
    System.err.printf(
        "created with %,d recipients in %.1f s%n", count, (System.nanoTime() - start) / 1e9);
    api.call("POST", "/api/v1/campaigns/" + id + "/start", null);
    System.out.println(id);
  }

  private static void await(BenchApi api, String id, long timeoutS) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutS));
    Instant began = Instant.now();
    Instant lastPrint = Instant.EPOCH;
    Instant settledAt = null;
    while (Instant.now().isBefore(deadline)) {
      JsonObject s = api.call("GET", "/api/v1/campaigns/" + id + "/status", null);
      JsonObject byStatus =
          api.call("GET", "/api/v1/campaigns/" + id + "/stats", null).getJsonObject("by_status");
      long unsettled = byStatus.getLong("queued", 0L) + byStatus.getLong("sending", 0L);
      if (unsettled == 0 && "completed".equals(s.getString("status"))) {
        // Meta's statuses come after the send: give the last ones (failures among them) time.
        settledAt = settledAt == null ? Instant.now() : settledAt;
        if (byStatus.getLong("sent", 0L) > 0
            && Duration.between(settledAt, Instant.now()).getSeconds() < 60) {
          unsettled = byStatus.getLong("sent", 0L);
        }
      }
      if (Duration.between(lastPrint, Instant.now()).getSeconds() >= 20) {
        System.err.printf(
            "  %5.0f s: %s, sent %,d, failed %,d, skipped %,d, pending %,d, queued %,d%n",
            Duration.between(began, Instant.now()).toMillis() / 1000.0,
            s.getString("status"),
            s.getLong("sent"),
            s.getLong("failed"),
            s.getLong("skipped"),
            s.getLong("pending"),
            s.getLong("queued"));
        lastPrint = Instant.now();
      }
      if ("completed".equals(s.getString("status")) && unsettled == 0) {
        System.out.println(s.put("by_status", byStatus).encode());
        return;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("timed out");
  }
}
