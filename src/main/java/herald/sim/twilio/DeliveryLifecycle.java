package herald.sim.twilio;

import herald.channel.sms.twilio.TwilioSignature;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a created message through {@code queued -> sent -> delivered} (or {@code undelivered} with
 * error 30003), {@code callbackDelay} apart, and posts a signed status callback for each transition
 * when the message has a {@code StatusCallback}. The final callback is only scheduled once the
 * {@code sent} callback has been answered (or has failed), so a receiver always sees them in order.
 * Like Twilio by default, a failed callback is not retried.
 */
final class DeliveryLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLifecycle.class);

  /** How long Twilio waits for a webhook answer. */
  static final long WEBHOOK_TIMEOUT_MS = 15_000;

  static final String USER_AGENT = "TwilioProxy/1.1";

  /** Sender assigned at {@code sent} to messages created with only a Messaging Service. */
  static final String POOL_SENDER = "+15005550006";

  private final Vertx vertx;
  private final WebClient client;
  private final TwilioSimConfig config;
  private final MessageStore store;
  private final Set<Timer> timers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  DeliveryLifecycle(Vertx vertx, WebClient client, TwilioSimConfig config, MessageStore store) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.store = store;
  }

  /** Starts the lifecycle of a just-created message; {@code callbackUrl} may be null. */
  void start(String sid, String callbackUrl) {
    boolean undelivered = ThreadLocalRandom.current().nextDouble() < config.undeliveredRate();
    after(config.callbackDelay())
        .compose(v -> advance(sid, "sent", null, callbackUrl))
        .compose(v -> after(config.callbackDelay()))
        .compose(
            v ->
                undelivered
                    ? advance(sid, "undelivered", 30003, callbackUrl)
                    : advance(sid, "delivered", null, callbackUrl))
        .onFailure(e -> LOG.debug("Lifecycle of {} stopped: {}", sid, e.getMessage()));
  }

  /** Stops every pending transition; callbacks already on the wire still complete. */
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
    return timer.eventually(() -> Future.succeededFuture(timers.remove(timer)));
  }

  private Future<Void> advance(String sid, String status, Integer errorCode, String callbackUrl) {
    if (closed) {
      return Future.failedFuture("simulator closed");
    }
    String now = MessageStore.now();
    JsonObject resource =
        store
            .update(
                sid,
                message -> {
                  message.put("status", status).put("date_updated", now);
                  if (status.equals("sent")) {
                    message.put("date_sent", now);
                    if (message.getString("from") == null) {
                      message.put("from", POOL_SENDER);
                    }
                  }
                  if (errorCode != null) {
                    message
                        .put("error_code", errorCode)
                        .put("error_message", "Unreachable destination handset");
                  }
                  return message;
                })
            .orElseThrow();
    LOG.debug("Message {} is {}", sid, status);
    return callbackUrl == null ? Future.succeededFuture() : post(callbackUrl, resource, errorCode);
  }

  private Future<Void> post(String url, JsonObject message, Integer errorCode) {
    Map<String, String> params = callbackParams(message, errorCode);
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    params.forEach(form::add);
    return client
        .postAbs(url)
        .timeout(WEBHOOK_TIMEOUT_MS)
        .putHeader(TwilioSignature.HEADER, TwilioSignature.compute(config.authToken(), url, params))
        .putHeader("I-Twilio-Idempotency-Token", UUID.randomUUID().toString())
        .putHeader("User-Agent", USER_AGENT)
        .sendForm(form)
        .onSuccess(
            response ->
                LOG.debug(
                    "Status callback {} for {} answered {}",
                    message.getString("status"),
                    message.getString("sid"),
                    response.statusCode()))
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.debug(
                  "Status callback for {} failed: {}", message.getString("sid"), e.toString());
              return Future.succeededFuture();
            });
  }

  /** The form Twilio posts to a StatusCallback URL. */
  static Map<String, String> callbackParams(JsonObject message, Integer errorCode) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", message.getString("account_sid"));
    params.put("ApiVersion", "2010-04-01");
    if (errorCode != null) {
      params.put("ErrorCode", errorCode.toString());
    }
    params.put("From", message.getString("from"));
    params.put("MessageSid", message.getString("sid"));
    params.put("MessageStatus", message.getString("status"));
    if (message.getString("messaging_service_sid") != null) {
      params.put("MessagingServiceSid", message.getString("messaging_service_sid"));
    }
    params.put("SmsSid", message.getString("sid"));
    params.put("SmsStatus", message.getString("status"));
    params.put("To", message.getString("to"));
    return params;
  }
}
