package herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** The calls the bench tools make to a running Herald on loopback, authenticated by an API key. */
final class BenchApi implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final WebClient web;
  private String key;

  BenchApi(int port, int connections) {
    web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true)
                .setUserAgentEnabled(false),
            new PoolOptions().setHttp1MaxSize(connections));
  }

  /** The API key the calls use. */
  String key() {
    return key;
  }

  void useKey(String apiKey) {
    key = apiKey;
  }

  /** Herald's {@code /metrics} text, once: in-memory counters, so reading it costs no SQL. */
  String metrics() {
    return web.get("/metrics").send().await().bodyAsString();
  }

  /**
   * The sum of the Prometheus samples of {@code name} in {@code text} (from {@link #metrics}) whose
   * labels include every one of {@code labels} (each as {@code key="value"}). Zero when no sample
   * matches yet.
   */
  static double metric(String text, String name, String... labels) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String tags = line.substring(name.length() + 1, close);
      boolean all = true;
      for (String label : labels) {
        all &= tags.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(close + 1).trim());
      }
    }
    return sum;
  }

  /** Logs in as admin and creates (and uses) an API key for messages, senders and campaigns. */
  String createKey(String adminPassword) {
    String token =
        call(
                "POST",
                "/api/v1/auth/login",
                new JsonObject().put("username", "admin").put("password", adminPassword))
            .getString("token");
    key = token;
    key =
        call(
                "POST",
                "/api/v1/api-keys",
                new JsonObject()
                    .put("name", "bench")
                    .put(
                        "scopes",
                        new JsonArray().add("messages:*").add("senders:*").add("campaigns:*")))
            .getString("key");
    return key;
  }

  /** Creates an SMPP sender for the simulator on {@code smscPort}; returns its id. */
  String smppSender(int smscPort, int ratePerSecond, int window) {
    return call(
            "POST",
            "/api/v1/senders",
            new JsonObject()
                .put("name", "bench " + System.nanoTime())
                .put("provider", "smpp")
                .put("rate_per_second", ratePerSecond)
                .put(
                    "settings",
                    new JsonObject()
                        .put("host", "127.0.0.1")
                        .put("port", smscPort)
                        .put("system_id", "herald")
                        .put("password", "herald")
                        .put("source_addr", "Bench")
                        .put("window", window)))
        .getString("id");
  }

  /** One call; fails on any status from 300 up. */
  JsonObject call(String method, String path, JsonObject body) {
    var request = web.request(HttpMethod.valueOf(method), path);
    if (key != null) {
      request.putHeader("Authorization", "Bearer " + key);
    }
    HttpResponse<Buffer> response =
        (body == null
                ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()))
            .await();
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
