package herald.compat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * Calls Herald's own {@code /api/v1} routes over loopback, on the port the compatibility request
 * arrived on, with the caller's credentials: every check, transaction and event of the real route
 * applies, and the compatibility layer only translates shapes.
 */
public final class Loopback {
  /** A route's answer. */
  public record Answer(int status, String contentType, Buffer body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public JsonObject json() {
      try {
        return body.length() == 0 ? new JsonObject() : body.toJsonObject();
      } catch (RuntimeException e) {
        return new JsonObject();
      }
    }
  }

  private final HttpClient client;

  public Loopback(Vertx vertx) {
    this.client =
        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(32));
  }

  public Future<Answer> json(HttpServerRequest from, HttpMethod method, String path, Object body) {
    Buffer payload = body == null ? null : Buffer.buffer(io.vertx.core.json.Json.encode(body));
    return open(from, method, path, payload == null ? null : "application/json")
        .compose(req -> payload == null ? req.send() : req.send(payload))
        .compose(
            res ->
                res.body()
                    .map(b -> new Answer(res.statusCode(), res.getHeader("Content-Type"), b)));
  }

  /** Forwards a request body as it arrives (multipart uploads), with its content type. */
  public Future<Answer> stream(
      HttpServerRequest from, HttpMethod method, String path, ReadStream<Buffer> body) {
    return open(from, method, path, from.getHeader("Content-Type"))
        .compose(
            req -> {
              String length = from.getHeader("Content-Length");
              if (length != null) {
                req.putHeader("Content-Length", length);
              } else {
                req.setChunked(true);
              }
              return req.send(body);
            })
        .compose(
            res ->
                res.body()
                    .map(b -> new Answer(res.statusCode(), res.getHeader("Content-Type"), b)));
  }

  /** The address the request arrived on (Herald listens there), loopback for IPv6 or wildcard. */
  private static String host(HttpServerRequest from) {
    String local = from.localAddress().hostAddress();
    return local != null && local.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") && !local.equals("0.0.0.0")
        ? local
        : "127.0.0.1";
  }

  private Future<HttpClientRequest> open(
      HttpServerRequest from, HttpMethod method, String path, String contentType) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost(host(from))
            .setPort(from.localAddress().port())
            .setURI(path)
            .setIdleTimeout(60_000);
    String auth = from.getHeader("Authorization");
    String key = from.getHeader("X-API-Key");
    String master = from.getHeader("X-Master-Key");
    if (auth != null) {
      options.putHeader("Authorization", auth);
    } else if (key != null) {
      options.putHeader("X-API-Key", key);
    } else if (master != null) {
      options.putHeader("X-API-Key", master);
    }
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    return client.request(options);
  }
}
