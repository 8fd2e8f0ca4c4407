package herald.sim.ari;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test-side plain ARI client: blocking REST calls with Basic auth, and an events socket. */
final class AriClient {
  static final String USER = "herald";
  static final String PASSWORD = "s3cret";

  private final Vertx vertx;
  private final WebClient client;
  private final AriSimulator sim;

  AriClient(Vertx vertx, AriSimulator sim) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.sim = sim;
  }

  static AriSimulator start(Vertx vertx, AriSimConfig config) {
    return AriSimulator.start(vertx, config).await();
  }

  static AriSimConfig config() {
    return AriSimConfig.loopback(USER, PASSWORD);
  }

  HttpResponse<Buffer> call(HttpMethod method, String pathAndQuery) {
    return call(method, pathAndQuery, null);
  }

  HttpResponse<Buffer> call(HttpMethod method, String pathAndQuery, JsonObject body) {
    HttpRequest<Buffer> request =
        client.requestAbs(method, sim.baseUrl() + pathAndQuery).basicAuthentication(USER, PASSWORD);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  HttpResponse<Buffer> unauthenticated(
      HttpMethod method, String pathAndQuery, String user, String password) {
    HttpRequest<Buffer> request = client.requestAbs(method, sim.baseUrl() + pathAndQuery);
    if (user != null) {
      request.basicAuthentication(user, password);
    }
    return request.send().await();
  }

  /** Originates to {@code number} on a PJSIP trunk into {@code app}; returns the channel. */
  JsonObject originate(String app, String number, JsonObject variables) {
    String path =
        "/ari/channels?endpoint=PJSIP/" + number.replace("+", "%2B") + "@trunk&app=" + app;
    HttpResponse<Buffer> response =
        call(
            HttpMethod.POST,
            path,
            variables == null ? null : new JsonObject().put("variables", variables));
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "originate answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Opens {@code /ari/events?app=...} with {@code api_key}. */
  Events events(String app) {
    return new Events(vertx, sim, "/ari/events?app=" + app + "&api_key=" + USER + ":" + PASSWORD);
  }

  /** The events of one socket, in arrival order. */
  static final class Events {
    final WebSocket socket;
    private final BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
    final List<JsonObject> seen = new ArrayList<>();
    volatile boolean closed;

    Events(Vertx vertx, AriSimulator sim, String uri) {
      WebSocketClient client = vertx.createWebSocketClient();
      WebSocketConnectOptions options =
          new WebSocketConnectOptions().setHost("127.0.0.1").setPort(sim.port()).setURI(uri);
      socket = client.connect(options).await();
      socket.textMessageHandler(text -> queue.add(new JsonObject(text)));
      socket.closeHandler(v -> closed = true);
    }

    /** The next event of {@code type} (others are kept in {@link #seen}); fails after 5 s. */
    JsonObject next(String type) {
      return next(e -> e.getString("type").equals(type), type);
    }

    JsonObject next(Predicate<JsonObject> match, String what) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      try {
        while (true) {
          long left = deadline - System.nanoTime();
          JsonObject event = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
          if (event == null) {
            throw new AssertionError("no " + what + " event; saw " + types());
          }
          seen.add(event);
          if (match.test(event)) {
            return event;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Nothing arrives within {@code wait}. */
    JsonObject poll(Duration wait) throws InterruptedException {
      JsonObject event = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (event != null) {
        seen.add(event);
      }
      return event;
    }

    List<String> types() {
      return seen.stream().map(e -> e.getString("type")).toList();
    }

    void close() {
      socket.close().await();
    }
  }
}
