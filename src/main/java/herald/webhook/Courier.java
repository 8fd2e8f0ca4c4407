package herald.webhook;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Instant;
import java.util.List;

/**
 * Makes one signed HTTP attempt. Never fails: every outcome, including a refused target, a
 * connection error or a timeout, is an {@link Outcome}. Redirects are not followed and only the
 * first {@value #BODY_LIMIT} bytes of the answer are kept.
 */
final class Courier {
  static final int BODY_LIMIT = 1024;

  /**
   * What one attempt got.
   *
   * @param status the HTTP status, or null when there was no response
   * @param retryAfterSeconds the response's {@code Retry-After} in seconds, or null
   */
  record Outcome(Integer status, int latencyMs, String body, String error, Long retryAfterSeconds) {
    boolean success() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final String userAgent;

  Courier(Vertx vertx, int maxConnectionsPerEndpoint, String version) {
    this.vertx = vertx;
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setUserAgentEnabled(false)
                .setFollowRedirects(false)
                .setKeepAlive(true)
                .setMaxHeaderSize(16 * 1024),
            new PoolOptions().setHttp1MaxSize(maxConnectionsPerEndpoint));
    this.userAgent = "Herald-Webhooks/" + version;
  }

  /** Sends {@code delivery} of {@code endpoint}, signed with its current secret(s). */
  Future<Outcome> send(Endpoint endpoint, DeliveryStore.Claimed delivery) {
    String body = delivery.body();
    Instant now = Instant.now();
    long timestamp = now.getEpochSecond();
    String id = delivery.id().toString();
    List<String> secrets = endpoint.signingSecrets(now);
    long timeoutMs = endpoint.timeoutSeconds() * 1000L;
    CappedBody kept = new CappedBody(BODY_LIMIT);
    long began = System.nanoTime();
    Promise<Outcome> done = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMs,
            t ->
                done.tryComplete(
                    new Outcome(
                        null,
                        (int) timeoutMs,
                        null,
                        "timed out after " + endpoint.timeoutSeconds() + " s",
                        null)));
    client
        .postAbs(endpoint.url())
        .timeout(timeoutMs)
        .connectTimeout(timeoutMs)
        .followRedirects(false)
        .putHeader("webhook-id", id)
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", Signatures.standard(secrets, id, timestamp, body))
        .putHeader("X-Webhook-Signature", Signatures.legacy(secrets.get(0), body))
        .putHeader("X-Webhook-Event", delivery.type())
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", userAgent)
        .as(BodyCodec.pipe(kept, false))
        .sendBuffer(Buffer.buffer(body))
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              int latency = (int) ((System.nanoTime() - began) / 1_000_000);
              if (ar.succeeded()) {
                var response = ar.result();
                done.tryComplete(
                    new Outcome(
                        response.statusCode(),
                        latency,
                        kept.text(),
                        null,
                        retryAfter(response.getHeader("Retry-After"))));
              } else {
                String message = ar.cause().getMessage();
                done.tryComplete(
                    new Outcome(
                        null,
                        latency,
                        null,
                        message == null ? ar.cause().getClass().getSimpleName() : message,
                        null));
              }
            });
    return done.future();
  }

  private static Long retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  void close() {
    client.close();
  }
}
