package herald.channel.sms.android;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.SendOutcome;
import herald.channel.SendOutcome.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Android phone running the SMS gateway app ("Termux API") for one sender: {@code POST
 * {device_url}/api/sms/send} with {@code {"phone","message"}} and the {@code device_key} secret in
 * {@code X-API-Key}. The device returns no message id and no receipts, so a sent message's provider
 * id is {@code android-<Herald message id>} and it stays {@code sent}.
 *
 * <p>Outcomes: 200 with {@code success:true} is SENT; 400/413 are FAILED ({@code android_rejected},
 * the device's error); 401/403 PAUSED ({@code android_auth}); 404 PAUSED ({@code
 * android_not_found}: {@code device_url} points at something else); 429, 5xx (503 "modem busy"),
 * timeouts and connection errors RETRY.
 *
 * <p>{@link #status()} never calls the device: a periodic refresh (every 30 s by default, started
 * by {@link #start()}, stopped by {@link #close()}) reads {@code /health}, {@code
 * /api/device/battery} and {@code /api/device/signal} and keeps the last answers.
 *
 * <p>Threading: {@link #start}, {@link #send} and {@link #close} must be called on the owning
 * lane's event loop ({@code context}); futures and the refresh timer run on it. {@link #status()}
 * may be called from any thread.
 */
final class AndroidProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(AndroidProvider.class);

  /** Bound on connecting and on waiting for an answer, per request. */
  static final long TIMEOUT_MS = 10_000;

  /** Default time between two device status refreshes. */
  static final long REFRESH_MS = 30_000;

  private final ChannelSender sender;
  private final Context context;
  private final String deviceUrl;
  private final String apiKey;
  private final long refreshMs;
  private final WebClient client;
  private volatile String connection = "offline";
  private volatile JsonObject battery;
  private volatile JsonObject signal;
  private volatile String lastChecked;
  private volatile String lastError;
  private long timerId = -1;
  private boolean refreshing;
  private boolean closed;

  /** A provider refreshing the device status every {@value #REFRESH_MS} ms. */
  AndroidProvider(ChannelSender sender, Context context) {
    this(sender, context, REFRESH_MS);
  }

  /**
   * Creates the provider; nothing is requested before {@link #start()}.
   *
   * @param sender an {@code android} sender: settings {@code device_url}, optional {@code
   *     phone_number}; secret {@code device_key}
   * @param context the owning lane's context; its Vert.x instance owns the client and timer
   * @param refreshMs time between two device status refreshes, at least 1 ms (tests use less)
   */
  AndroidProvider(ChannelSender sender, Context context, long refreshMs) {
    if (refreshMs < 1) {
      throw new IllegalArgumentException("refreshMs must be positive, was " + refreshMs);
    }
    this.sender = sender;
    this.context = context;
    this.refreshMs = refreshMs;
    String url = sender.settings().getString("device_url");
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    this.deviceUrl = url;
    this.apiKey = sender.secrets().getString("device_key");
    this.client =
        WebClient.create(
            context.owner(),
            new WebClientOptions().setConnectTimeout((int) TIMEOUT_MS).setUserAgent("Herald"));
  }

  /**
   * Starts the status refresh (the first one at once) and succeeds immediately: an offline device
   * shows in {@link #status()} and in send outcomes, not here.
   */
  @Override
  public Future<Void> start() {
    if (!closed && timerId < 0) {
      refresh();
      timerId = context.owner().setPeriodic(refreshMs, id -> refresh());
    }
    return Future.succeededFuture();
  }

  /** Sends through the device. Never fails: errors become outcomes (see the class comment). */
  @Override
  public Future<SendOutcome> send(OutboundItem m) {
    return client
        .postAbs(deviceUrl + "/api/sms/send")
        .timeout(TIMEOUT_MS)
        .connectTimeout(TIMEOUT_MS)
        .putHeader("X-API-Key", apiKey)
        .sendJsonObject(new JsonObject().put("phone", m.to()).put("message", m.body()))
        .map(response -> outcome(m, response))
        .otherwise(e -> unreachable(m, e));
  }

  private SendOutcome outcome(OutboundItem m, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = json(response);
    String error = body == null ? null : body.getString("error");
    String text = error != null ? error : "HTTP " + status + " from the device";
    connection = "online";
    if (status == 200 && body != null && Boolean.TRUE.equals(body.getBoolean("success"))) {
      lastError = null;
      return SendOutcome.sent(m.id(), List.of("android-" + m.id()));
    }
    return switch (status) {
      case 400, 413 -> record(m, Kind.FAILED, "android_rejected", text);
      case 401, 403 -> record(m, Kind.PAUSED, "android_auth", text);
      case 404 -> record(m, Kind.PAUSED, "android_not_found", text);
      // 429, 5xx (503 "modem busy"), a 2xx without success:true or an odd answer: try later.
      default ->
          record(
              m,
              Kind.RETRY,
              status == 429 || status >= 500 ? "android_unavailable" : "android_http_" + status,
              text);
    };
  }

  private SendOutcome unreachable(OutboundItem m, Throwable e) {
    connection = "offline";
    boolean timeout = e instanceof TimeoutException || e.getClass().getName().contains("Timeout");
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return record(m, Kind.RETRY, timeout ? "android_timeout" : "android_unreachable", text);
  }

  private SendOutcome record(OutboundItem m, Kind kind, String code, String message) {
    lastError = code + ": " + message;
    if (kind != Kind.FAILED) {
      LOG.debug("Android sender {}: {} ({})", sender.name(), lastError, kind);
    }
    return SendOutcome.of(m.id(), kind, code, message);
  }

  /**
   * Reads health, battery and signal in parallel and stores what came back; skipped while the
   * previous refresh is still running. Never fails.
   */
  private Future<Void> refresh() {
    if (refreshing || closed) {
      return Future.succeededFuture();
    }
    refreshing = true;
    Future<JsonObject> health = get("/health", false);
    Future<JsonObject> newBattery = get("/api/device/battery", true);
    Future<JsonObject> newSignal = get("/api/device/signal", true);
    return Future.all(health, newBattery, newSignal)
        .map(
            all -> {
              refreshing = false;
              connection = health.result() != null ? "online" : "offline";
              if (newBattery.result() != null) {
                battery = newBattery.result();
              }
              if (newSignal.result() != null) {
                signal = newSignal.result();
              }
              if (health.result() != null
                  && newBattery.result() != null
                  && newSignal.result() != null) {
                lastError = null;
              }
              lastChecked = Instant.now().toString();
              return null;
            });
  }

  /** The JSON body of a 200 answer, or null (recording why in {@code last_error}). */
  private Future<JsonObject> get(String path, boolean authenticated) {
    var request = client.getAbs(deviceUrl + path).timeout(TIMEOUT_MS).connectTimeout(TIMEOUT_MS);
    if (authenticated) {
      request.putHeader("X-API-Key", apiKey);
    }
    return request
        .send()
        .map(
            response -> {
              int status = response.statusCode();
              JsonObject body = status == 200 ? json(response) : null;
              if (body == null) {
                lastError =
                    (status == 401 ? "android_auth" : "android_http_" + status) + ": GET " + path;
              }
              return body;
            })
        .otherwise(
            e -> {
              lastError = "android_unreachable: GET " + path + ": " + e.getMessage();
              return null;
            });
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.body() == null ? null : response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code {"connection":"online|offline","battery":{percentage,status,...} or null,
   * "signal":{strength_dbm,level,...} or null,"last_checked":ISO-8601 or null,"last_error":...}} as
   * of the last refresh or send; battery and signal keep their last known values while offline.
   */
  @Override
  public JsonObject status() {
    JsonObject b = battery;
    JsonObject s = signal;
    return new JsonObject()
        .put("connection", connection)
        .put("battery", b == null ? null : b.copy())
        .put("signal", s == null ? null : s.copy())
        .put("last_checked", lastChecked)
        .put("last_error", lastError)
        .put("phone_number", sender.settings().getString("phone_number"));
  }

  /** Stops the refresh and closes the HTTP client; requests in flight fail (and are retried). */
  @Override
  public Future<Void> close() {
    closed = true;
    if (timerId >= 0) {
      context.owner().cancelTimer(timerId);
      timerId = -1;
    }
    client.close();
    return Future.succeededFuture();
  }
}
