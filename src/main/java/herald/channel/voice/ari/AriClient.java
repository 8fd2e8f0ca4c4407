package herald.channel.voice.ari;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thin, non-blocking client of the Asterisk REST Interface: the REST calls Herald's voice channel
 * makes (originate, hang up, play, record, read a variable, list channels) on Vert.x's {@link
 * WebClient}, and the {@code /ari/events} WebSocket of one Stasis application, reconnected with
 * exponential backoff (250 ms doubling to 10 s) until {@link #close}. Every REST call has a timeout
 * and fails with {@link AriException} on a non-2xx answer. Used on one Vert.x context: the event,
 * connected and disconnected handlers run on it.
 */
public final class AriClient {
  private static final Logger LOG = LoggerFactory.getLogger(AriClient.class);
  private static final long TIMEOUT_MS = 5000;
  private static final long MIN_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 10_000;

  /** A non-2xx answer from ARI. */
  public static final class AriException extends RuntimeException {
    private final int status;

    AriException(int status, String message) {
      super("ARI answered " + status + ": " + message);
      this.status = status;
    }

    /** The HTTP status ARI answered. */
    public int status() {
      return status;
    }
  }

  private final Vertx vertx;
  private final String base;
  private final String user;
  private final String password;
  private final String app;
  private final WebClient web;
  private final WebSocketClient sockets;
  private Consumer<JsonObject> onEvent = e -> {};
  private Runnable onConnected = () -> {};
  private Runnable onDisconnected = () -> {};
  private WebSocket socket;
  private long backoffMs = MIN_BACKOFF_MS;
  private long retryTimer = -1;
  private boolean closed;
  private volatile boolean connected;
  private volatile int connects;
  private volatile String lastError;

  /**
   * @param baseUrl the ARI base URL, such as {@code http://pbx:8088/ari} (a trailing slash is
   *     ignored)
   * @param app the Stasis application whose events the socket carries
   */
  public AriClient(Vertx vertx, String baseUrl, String user, String password, String app) {
    this.vertx = vertx;
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.user = user;
    this.password = password;
    this.app = app;
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) TIMEOUT_MS)
                .setUserAgent("Herald")
                .setKeepAlive(true));
    this.sockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setConnectTimeout((int) TIMEOUT_MS));
  }

  /** Handles each event of the socket (a JSON object with its {@code type}). */
  public AriClient onEvent(Consumer<JsonObject> handler) {
    this.onEvent = handler;
    return this;
  }

  /** Runs after each (re)connection of the events socket: the place to reconcile. */
  public AriClient onConnected(Runnable handler) {
    this.onConnected = handler;
    return this;
  }

  /** Runs when the events socket is lost (a reconnection is scheduled). */
  public AriClient onDisconnected(Runnable handler) {
    this.onDisconnected = handler;
    return this;
  }

  /** Opens the events socket (and keeps reopening it); never fails. */
  public void connect() {
    if (closed) {
      return;
    }
    URI uri = URI.create(base + "/events");
    boolean tls = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String query =
        "?app=" + encode(app) + "&subscribeAll=false&api_key=" + encode(user + ":" + password);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(uri.getHost())
            .setPort(port)
            .setSsl(tls)
            .setURI(uri.getRawPath() + query)
            .setTimeout(TIMEOUT_MS);
    sockets
        .connect(options)
        .onSuccess(this::opened)
        .onFailure(
            err -> {
              lastError = err.getMessage();
              LOG.warn("ARI events socket to {} failed: {}", base, err.getMessage());
              retry();
            });
  }

  private void opened(WebSocket ws) {
    if (closed) {
      ws.close();
      return;
    }
    socket = ws;
    connected = true;
    connects++;
    backoffMs = MIN_BACKOFF_MS;
    lastError = null;
    ws.textMessageHandler(
        text -> {
          try {
            onEvent.accept(new JsonObject(text));
          } catch (RuntimeException e) {
            LOG.warn("ARI event could not be handled: {}", e.toString());
          }
        });
    ws.exceptionHandler(err -> lastError = err.getMessage());
    ws.closeHandler(
        v -> {
          if (socket == ws) {
            socket = null;
            connected = false;
            if (!closed) {
              LOG.warn("ARI events socket to {} closed; reconnecting", base);
              onDisconnected.run();
              retry();
            }
          }
        });
    LOG.info("ARI events socket for app {} connected to {}", app, base);
    onConnected.run();
  }

  private void retry() {
    if (closed || retryTimer >= 0) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    retryTimer =
        vertx.setTimer(
            delay,
            id -> {
              retryTimer = -1;
              connect();
            });
  }

  /** Whether the events socket is open now. */
  public boolean connected() {
    return connected;
  }

  /** How many times the events socket has been opened. */
  public int connects() {
    return connects;
  }

  /** The last connection error, or null. */
  public String lastError() {
    return lastError;
  }

  /**
   * {@code POST /channels/{channelId}}: dials {@code endpoint} into this Stasis application.
   *
   * @param variables channel variables set before the dial (the dialplan's AMD switch, say)
   * @return the channel snapshot
   */
  public Future<JsonObject> originate(
      String channelId,
      String endpoint,
      String callerId,
      int timeoutSeconds,
      String appArgs,
      JsonObject variables) {
    return rest(
        () -> {
          HttpRequest<Buffer> request =
              request(io.vertx.core.http.HttpMethod.POST, "/channels/" + encode(channelId))
                  .addQueryParam("endpoint", endpoint)
                  .addQueryParam("app", app)
                  .addQueryParam("appArgs", appArgs)
                  .addQueryParam("timeout", String.valueOf(timeoutSeconds));
          if (callerId != null && !callerId.isBlank()) {
            request.addQueryParam("callerId", callerId);
          }
          return request
              .sendJsonObject(new JsonObject().put("variables", variables))
              .map(AriClient::jsonObject);
        });
  }

  /** {@code DELETE /channels/{id}?reason=...}; a 404 (already gone) counts as done. */
  public Future<Void> hangup(String channelId, String reason) {
    return rest(
        () -> {
          return request(io.vertx.core.http.HttpMethod.DELETE, "/channels/" + encode(channelId))
              .addQueryParam("reason", reason)
              .send()
              .map(
                  response -> {
                    if (response.statusCode() != 404) {
                      check(response);
                    }
                    return null;
                  });
        });
  }

  /** {@code GET /channels/{id}}: the snapshot, or null when the channel does not exist. */
  public Future<JsonObject> channel(String channelId) {
    return rest(
        () -> {
          return request(io.vertx.core.http.HttpMethod.GET, "/channels/" + encode(channelId))
              .send()
              .map(response -> response.statusCode() == 404 ? null : jsonObject(response));
        });
  }

  /** {@code GET /channels}: every live channel. */
  public Future<JsonArray> channels() {
    return rest(
        () -> {
          return request(io.vertx.core.http.HttpMethod.GET, "/channels")
              .send()
              .map(
                  response -> {
                    check(response);
                    return response.bodyAsJsonArray();
                  });
        });
  }

  /** {@code POST /channels/{id}/play}: plays {@code media} (a sound URI). */
  public Future<JsonObject> play(String channelId, String playbackId, String media) {
    return rest(
        () -> {
          return request(
                  io.vertx.core.http.HttpMethod.POST, "/channels/" + encode(channelId) + "/play")
              .addQueryParam("media", media)
              .addQueryParam("playbackId", playbackId)
              .send()
              .map(AriClient::jsonObject);
        });
  }

  /** {@code POST /channels/{id}/record}: records the channel as {@code name} in {@code format}. */
  public Future<JsonObject> record(String channelId, String name, String format) {
    return rest(
        () -> {
          return request(
                  io.vertx.core.http.HttpMethod.POST, "/channels/" + encode(channelId) + "/record")
              .addQueryParam("name", name)
              .addQueryParam("format", format)
              .addQueryParam("ifExists", "overwrite")
              .send()
              .map(AriClient::jsonObject);
        });
  }

  /**
   * {@code POST /channels/{id}/record} with a limit and a stop key: a caller's message ({@code
   * maxDurationSeconds}, a beep first when {@code beep}, ended by {@code terminateOn}: none, any,
   * *, #).
   */
  public Future<JsonObject> record(
      String channelId,
      String name,
      String format,
      int maxDurationSeconds,
      boolean beep,
      String terminateOn) {
    return rest(
        () -> {
          return request(
                  io.vertx.core.http.HttpMethod.POST, "/channels/" + encode(channelId) + "/record")
              .addQueryParam("name", name)
              .addQueryParam("format", format)
              .addQueryParam("ifExists", "overwrite")
              .addQueryParam("maxDurationSeconds", String.valueOf(maxDurationSeconds))
              .addQueryParam("beep", String.valueOf(beep))
              .addQueryParam("terminateOn", terminateOn)
              .send()
              .map(AriClient::jsonObject);
        });
  }

  /** {@code DELETE /playbacks/{id}}: stops a playback; a 404 (it ended already) counts as done. */
  public Future<Void> stopPlayback(String playbackId) {
    return rest(
        () -> {
          return request(io.vertx.core.http.HttpMethod.DELETE, "/playbacks/" + encode(playbackId))
              .send()
              .map(AriClient::ignoring404);
        });
  }

  /** {@code POST /bridges/{id}?type=mixing}: a mixing bridge of Herald's id. */
  public Future<JsonObject> createBridge(String bridgeId) {
    return rest(
        () -> {
          return request(io.vertx.core.http.HttpMethod.POST, "/bridges/" + encode(bridgeId))
              .addQueryParam("type", "mixing")
              .send()
              .map(AriClient::jsonObject);
        });
  }

  /** {@code POST /bridges/{id}/addChannel?channel=...}. */
  public Future<Void> addChannel(String bridgeId, String channelId) {
    return rest(
        () -> {
          return request(
                  io.vertx.core.http.HttpMethod.POST,
                  "/bridges/" + encode(bridgeId) + "/addChannel")
              .addQueryParam("channel", channelId)
              .send()
              .map(
                  response -> {
                    check(response);
                    return null;
                  });
        });
  }

  /** {@code POST /bridges/{id}/moh} (start) or {@code DELETE} (stop) music on hold. */
  public Future<Void> bridgeMoh(String bridgeId, boolean on) {
    return rest(
        () -> {
          return request(
                  on ? io.vertx.core.http.HttpMethod.POST : io.vertx.core.http.HttpMethod.DELETE,
                  "/bridges/" + encode(bridgeId) + "/moh")
              .send()
              .map(
                  response -> {
                    check(response);
                    return null;
                  });
        });
  }

  /** {@code DELETE /bridges/{id}}; a 404 (gone already) counts as done. */
  public Future<Void> destroyBridge(String bridgeId) {
    return rest(
        () -> {
          return request(io.vertx.core.http.HttpMethod.DELETE, "/bridges/" + encode(bridgeId))
              .send()
              .map(AriClient::ignoring404);
        });
  }

  /** {@code POST /bridges/{id}/record}: records the bridge's mix as {@code name}. */
  public Future<JsonObject> recordBridge(String bridgeId, String name, String format) {
    return rest(
        () -> {
          return request(
                  io.vertx.core.http.HttpMethod.POST, "/bridges/" + encode(bridgeId) + "/record")
              .addQueryParam("name", name)
              .addQueryParam("format", format)
              .addQueryParam("ifExists", "overwrite")
              .send()
              .map(AriClient::jsonObject);
        });
  }

  private static Void ignoring404(HttpResponse<Buffer> response) {
    if (response.statusCode() != 404) {
      check(response);
    }
    return null;
  }

  /** {@code GET /channels/{id}/variable}: the value, or null when unset or the channel is gone. */
  public Future<String> variable(String channelId, String name) {
    return rest(
        () -> {
          return request(
                  io.vertx.core.http.HttpMethod.GET, "/channels/" + encode(channelId) + "/variable")
              .addQueryParam("variable", name)
              .send()
              .map(
                  response ->
                      response.statusCode() == 200
                          ? response.bodyAsJsonObject().getString("value")
                          : null);
        });
  }

  /** Stops reconnecting and closes the socket and the HTTP clients. */
  public Future<Void> close() {
    closed = true;
    connected = false;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    WebSocket ws = socket;
    socket = null;
    Future<Void> closing = ws == null ? Future.succeededFuture() : ws.close();
    return closing
        .otherwiseEmpty()
        .compose(v -> sockets.close().otherwiseEmpty())
        .andThen(v -> web.close());
  }

  /** Runs one REST call; once the client is closed it fails the future instead of throwing. */
  private <T> Future<T> rest(java.util.function.Supplier<Future<T>> call) {
    if (closed) {
      return Future.failedFuture(
          new IllegalStateException("ARI client for " + base + " is closed"));
    }
    try {
      return call.get();
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
  }

  private HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return web.requestAbs(method, base + path)
        .timeout(TIMEOUT_MS)
        .basicAuthentication(user, password)
        .putHeader("Accept", "application/json");
  }

  private static JsonObject jsonObject(HttpResponse<Buffer> response) {
    check(response);
    return response.body() == null || response.body().length() == 0
        ? new JsonObject()
        : response.bodyAsJsonObject();
  }

  private static void check(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String message = response.bodyAsString();
      try {
        message = response.bodyAsJsonObject().getString("message", message);
      } catch (RuntimeException e) {
        // not JSON: keep the text
      }
      throw new AriException(status, String.valueOf(message));
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
