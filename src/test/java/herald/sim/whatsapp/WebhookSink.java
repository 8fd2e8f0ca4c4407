package herald.sim.whatsapp;

import herald.testing.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local webhook receiver: records every POST with its raw body and headers, answers 200 (or a
 * chosen status for the next few), and answers Meta's GET verification handshake when the verify
 * token matches. Signatures are checked here with the JDK's HMAC, independently of the simulator.
 */
final class WebhookSink {
  /** One received webhook. */
  record Received(MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String signature() {
      return headers.get("X-Hub-Signature-256");
    }

    /** Whether the signature is {@code sha256=} + hex HMAC-SHA256 of the raw body. */
    boolean signedWith(String appSecret) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
        return expected.equals(signature());
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    /** The first status object, or null when this is not a status webhook. */
    JsonObject status() {
      JsonObject value = value();
      return value.containsKey("statuses") ? value.getJsonArray("statuses").getJsonObject(0) : null;
    }

    /** The first inbound message, or null. */
    JsonObject message() {
      JsonObject value = value();
      return value.containsKey("messages") ? value.getJsonArray("messages").getJsonObject(0) : null;
    }

    JsonObject value() {
      return json()
          .getJsonArray("entry")
          .getJsonObject(0)
          .getJsonArray("changes")
          .getJsonObject(0)
          .getJsonObject("value");
    }
  }

  private final BlockingDeque<Received> received = new LinkedBlockingDeque<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final HttpServer server;
  private volatile int failureStatus = 500;
  private volatile String verifyToken;

  private WebhookSink(Vertx vertx) {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (request.method().name().equals("GET")) {
                    boolean ok =
                        "subscribe".equals(request.getParam("hub.mode"))
                            && verifyToken != null
                            && verifyToken.equals(request.getParam("hub.verify_token"));
                    request
                        .response()
                        .setStatusCode(ok ? 200 : 403)
                        .end(ok ? request.getParam("hub.challenge") : "");
                    return;
                  }
                  request
                      .body()
                      .onSuccess(
                          body -> {
                            MultiMap headers =
                                MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
                            received.add(new Received(headers, body));
                            int status =
                                failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                                    ? failureStatus
                                    : 200;
                            request.response().setStatusCode(status).end();
                          });
                })
            .listen(0, "127.0.0.1")
            .await();
  }

  static WebhookSink start(Vertx vertx) {
    return new WebhookSink(vertx);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/whatsapp/webhook";
  }

  /** Answers the next {@code count} webhooks with {@code status} instead of 200. */
  void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  void acceptVerifyToken(String token) {
    verifyToken = token;
  }

  /** The next webhook, waiting up to five seconds; fails the test if none comes. */
  Received next() throws InterruptedException {
    Received next = received.poll(5, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("no webhook arrived within 5 s");
    }
    return next;
  }

  /** How many received webhooks no call has taken yet. */
  int pending() {
    return received.size();
  }

  /** Waits up to five seconds for the first webhook that matches, keeping the others in order. */
  Received await(Predicate<Received> wanted) {
    List<Received> seen = new ArrayList<>();
    try {
      Scan scan =
          Await.until(
              "a matching webhook",
              Duration.ofSeconds(5),
              () -> {
                received.drainTo(seen);
                for (int i = 0; i < seen.size(); i++) {
                  if (wanted.test(seen.get(i))) {
                    return new Scan(i, seen.size() - 1);
                  }
                }
                return new Scan(-1, seen.size());
              },
              Scan::found);
      return seen.remove(scan.match());
    } finally {
      // Back to the head of the queue, ahead of webhooks that arrived since (those go to the tail).
      for (int i = seen.size() - 1; i >= 0; i--) {
        received.addFirst(seen.get(i));
      }
    }
  }

  /** Where a wait found its webhook in what it looked at, and how many it passed over. */
  private record Scan(int match, int others) {
    boolean found() {
      return match >= 0;
    }

    @Override
    public String toString() {
      return found() ? "a match among " + others + " others" : others + " other webhooks";
    }
  }

  /** Waits for the status webhook {@code status} of message {@code id}. */
  Received awaitStatus(String id, String status) {
    return await(
        r -> {
          JsonObject s = r.status();
          return s != null && id.equals(s.getString("id")) && status.equals(s.getString("status"));
        });
  }
}
