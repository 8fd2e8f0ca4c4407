package herald.webhook;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real webhook consumer on 127.0.0.1: records every request it gets and answers with a switchable
 * status, or never answers ({@link #hang()}), or is not listening at all ({@link #down()}).
 */
final class TestReceiver implements AutoCloseable {
  /** One request as received: headers, the raw body, and when it arrived. */
  record Received(MultiMap headers, String body, long arrivedNanos, Instant arrivedAt) {
    String id() {
      return headers.get("webhook-id");
    }

    String type() {
      return headers.get("X-Webhook-Event");
    }
  }

  private final Vertx vertx;
  private final int port;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Long> answeredNanos = new ConcurrentHashMap<>();
  private volatile int status = 200;
  private volatile boolean hanging;
  private volatile long delayMs;
  private HttpServer server;

  private TestReceiver(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  static TestReceiver start(Vertx vertx) {
    TestReceiver receiver = new TestReceiver(vertx, herald.testing.TestHerald.freePort());
    receiver.up();
    return receiver;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hooks";
  }

  /** Listens (again) on the same port. */
  void up() {
    if (server != null) {
      return;
    }
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              received.add(
                                  new Received(
                                      MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                                      body.toString(),
                                      System.nanoTime(),
                                      Instant.now()));
                              int answer = status;
                              if (hanging) {
                                return;
                              }
                              String id = request.getHeader("webhook-id");
                              if (delayMs > 0) {
                                vertx.setTimer(delayMs, t -> respond(request, id, answer));
                              } else {
                                respond(request, id, answer);
                              }
                            }))
            .listen()
            .await();
  }

  private void respond(io.vertx.core.http.HttpServerRequest request, String id, int answer) {
    if (id != null) {
      answeredNanos.put(id, System.nanoTime());
    }
    request.response().setStatusCode(answer).end("ok " + answer);
  }

  /**
   * Webhook-ids whose latest request has not been answered, or was answered after {@code nanos}.
   */
  java.util.Set<String> unansweredAt(long nanos) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (Received r : received) {
      Long answered = answeredNanos.get(r.id());
      if (answered == null || answered > nanos) {
        out.add(r.id());
      }
    }
    return out;
  }

  /** Stops listening: connections are refused. */
  void down() {
    if (server != null) {
      server.close().await();
      server = null;
    }
  }

  void answer(int statusCode) {
    this.status = statusCode;
  }

  /** Answers each request only after {@code millis}. */
  void delay(long millis) {
    this.delayMs = millis;
  }

  void hang() {
    this.hanging = true;
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  List<Received> received(Predicate<Received> which) {
    return received.stream().filter(which).toList();
  }

  /** Requests per webhook-id. */
  Map<String, Integer> countsById() {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    received.forEach(r -> counts.merge(r.id(), 1, Integer::sum));
    return counts;
  }

  @Override
  public void close() {
    down();
  }
}
