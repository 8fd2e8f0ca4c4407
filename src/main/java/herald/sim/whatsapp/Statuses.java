package herald.sim.whatsapp;

import herald.sim.whatsapp.WhatsAppSimConfig.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of an accepted message: {@code sent} → {@code delivered} → {@code read} (or {@code
 * failed} with error 131026 or 131047), each reported by a signed status webhook shaped as the
 * Cloud API's, with the {@code conversation} and {@code pricing} objects on {@code sent} and {@code
 * delivered}. A message's webhooks are sent one after the other, so a receiver sees them in order
 * (retries and duplicates aside).
 */
final class Statuses {
  private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);

  static final String RE_ENGAGEMENT_DETAILS =
      "Message failed to send because more than 24 hours have passed since the customer last"
          + " replied to this number.";

  private static final String ERROR_HREF =
      "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

  /**
   * An accepted message.
   *
   * @param failure the error code it will fail with, or null when it will be delivered
   */
  record Outbound(
      String id,
      PhoneNumber from,
      String waId,
      String type,
      String category,
      JsonObject request,
      Integer failure) {}

  private record Conversation(String id, long expires) {}

  private final Vertx vertx;
  private final WhatsAppSimConfig config;
  private final Webhooks webhooks;

  /** How many accepted messages {@link #messages()} keeps, newest last. */
  static final int KEPT_MESSAGES = 100_000;

  private final Map<String, JsonObject> messages =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
              return size() > KEPT_MESSAGES;
            }
          });
  private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
  private final Set<Timer> timers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  Statuses(Vertx vertx, WhatsAppSimConfig config, Webhooks webhooks) {
    this.vertx = vertx;
    this.config = config;
    this.webhooks = webhooks;
  }

  /** Records an accepted message and starts its status webhooks. */
  void start(Outbound message) {
    messages.put(
        message.id(),
        new JsonObject()
            .put("id", message.id())
            .put("phone_number_id", message.from().id())
            .put("to", message.waId())
            .put("type", message.type())
            .put("status", "accepted")
            .put("accepted_at", System.currentTimeMillis())
            .put("request", message.request()));
    Future<Void> chain = after(config.sentDelay());
    if (message.failure() != null) {
      chain = chain.compose(v -> report(message, "failed"));
    } else {
      boolean read = ThreadLocalRandom.current().nextDouble() < config.readRate();
      chain =
          chain
              .compose(v -> report(message, "sent"))
              .compose(v -> after(config.deliveredDelay()))
              .compose(v -> report(message, "delivered"));
      if (read) {
        chain = chain.compose(v -> after(config.readDelay())).compose(v -> report(message, "read"));
      }
    }
    chain.onFailure(e -> LOG.debug("Statuses of {} stopped: {}", message.id(), e.getMessage()));
  }

  /** The accepted messages (the last {@value #KEPT_MESSAGES}), oldest first, with their status. */
  List<JsonObject> messages() {
    synchronized (messages) {
      return messages.values().stream().map(JsonObject::copy).toList();
    }
  }

  void close() {
    closed = true;
    timers.forEach(Timer::cancel);
    timers.clear();
  }

  private Future<Void> after(Duration delay) {
    if (closed) {
      return Future.failedFuture("simulator closed");
    }
    Timer timer = vertx.timer(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    timers.add(timer);
    return timer.eventually(() -> Future.succeededFuture(timers.remove(timer))).mapEmpty();
  }

  private Future<Void> report(Outbound message, String status) {
    if (closed) {
      return Future.failedFuture("simulator closed");
    }
    synchronized (messages) {
      JsonObject stored = messages.get(message.id());
      if (stored != null) {
        stored.put("status", status);
      }
    }
    long now = Instant.now().getEpochSecond();
    JsonObject entry =
        new JsonObject()
            .put("id", message.id())
            .put("status", status)
            .put("timestamp", Long.toString(now))
            .put("recipient_id", message.waId());
    if (status.equals("failed")) {
      entry.put("errors", new JsonArray().add(error(message.failure())));
    } else if (!status.equals("read")) {
      Conversation conversation = conversation(message, now);
      JsonObject object =
          new JsonObject()
              .put("id", conversation.id())
              .put("origin", new JsonObject().put("type", message.category()));
      if (status.equals("sent")) {
        object.put("expiration_timestamp", Long.toString(conversation.expires()));
      }
      entry
          .put("conversation", object)
          .put(
              "pricing",
              new JsonObject()
                  .put("billable", !message.category().equals("service"))
                  .put("pricing_model", "PMP")
                  .put("category", message.category()));
    }
    JsonObject value =
        new JsonObject()
            .put("messaging_product", "whatsapp")
            .put("metadata", metadata(message.from()))
            .put("statuses", new JsonArray().add(entry));
    return webhooks.send(envelope(config.wabaId(), value)).mapEmpty();
  }

  private Conversation conversation(Outbound message, long now) {
    String key = message.from().id() + "/" + message.waId() + "/" + message.category();
    return conversations.compute(
        key,
        (k, existing) ->
            existing != null && existing.expires() > now
                ? existing
                : new Conversation(randomHex(16), now + Duration.ofHours(24).toSeconds()));
  }

  /** The asynchronous failures the simulator reports, by code: {title, details}. */
  static final Map<Integer, List<String>> FAILURES =
      Map.of(
          131026, List.of("Message undeliverable", "Message Undeliverable."),
          131047, List.of("Re-engagement message", RE_ENGAGEMENT_DETAILS),
          131049,
              List.of(
                  "This message was not delivered to maintain healthy ecosystem engagement.",
                  "In order to maintain a healthy ecosystem engagement, the message failed to be"
                      + " delivered."),
          131050,
              List.of(
                  "Unable to deliver the message. This recipient has chosen to stop receiving"
                      + " marketing messages on WhatsApp from your business.",
                  "Unable to deliver the message. This recipient has chosen to stop receiving"
                      + " marketing messages on WhatsApp from your business."),
          131000, List.of("Something went wrong", "Something went wrong."));

  private static JsonObject error(int code) {
    String title = FAILURES.get(code).get(0);
    String details = FAILURES.get(code).get(1);
    return new JsonObject()
        .put("code", code)
        .put("title", title)
        .put("message", title)
        .put("error_data", new JsonObject().put("details", details))
        .put("href", ERROR_HREF);
  }

  static JsonObject metadata(PhoneNumber phone) {
    return new JsonObject()
        .put("display_phone_number", phone.displayPhoneNumber())
        .put("phone_number_id", phone.id());
  }

  /** The {@code whatsapp_business_account} envelope around one {@code messages} change. */
  static JsonObject envelope(String wabaId, JsonObject value) {
    return new JsonObject()
        .put("object", "whatsapp_business_account")
        .put(
            "entry",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("id", wabaId)
                        .put(
                            "changes",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("value", value)
                                        .put("field", "messages")))));
  }

  static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
