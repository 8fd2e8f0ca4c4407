package herald;

import herald.platform.Platform;
import herald.platform.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code /health} (liveness: the process answers) and {@code /health/ready} (the database answers
 * and every verticle group replies on the event bus; 503 otherwise, and while shutting down). No
 * auth, so load balancers and orchestrators can call them.
 */
public final class HealthRoutes {
  private static final long CHECK_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final Platform platform;

  public HealthRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.platform = platform;
  }

  public void mount(Router root) {
    root.get("/health")
        .respond(
            ctx ->
                Future.succeededFuture(
                    new JsonObject().put("status", "ok").put("version", platform.version())));
    root.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    List<Future<JsonObject>> checks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    names.add("database");
    checks.add(
        timed(
            platform
                .pool()
                .query("SELECT 1")
                .execute()
                .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .mapEmpty()));
    for (Map.Entry<String, Integer> group : platform.groups().entrySet()) {
      names.add(group.getKey());
      checks.add(
          timed(
                  vertx
                      .eventBus()
                      .request(
                          Addresses.health(group.getKey()),
                          "ping",
                          new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS))
                      .mapEmpty())
              .map(json -> json.put("instances", group.getValue())));
    }
    Future.join(checks)
        .onComplete(
            done -> {
              JsonObject components = new JsonObject();
              boolean up = platform.started().get() && !platform.draining().get();
              for (int i = 0; i < checks.size(); i++) {
                JsonObject result = checks.get(i).result();
                components.put(names.get(i), result);
                up &= "up".equals(result.getString("status"));
              }
              JsonObject body =
                  new JsonObject()
                      .put(
                          "status",
                          platform.draining().get()
                              ? "draining"
                              : !platform.started().get() ? "starting" : up ? "ready" : "not_ready")
                      .put("version", platform.version())
                      .put("components", components);
              ctx.response()
                  .setStatusCode(up ? 200 : 503)
                  .putHeader("Content-Type", "application/json")
                  .end(body.encode());
            });
  }

  /** Never fails: reports {@code up} or {@code down} with the time the check took. */
  private static Future<JsonObject> timed(Future<Void> check) {
    long started = System.nanoTime();
    return check.transform(
        result -> {
          double millis = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
          JsonObject json =
              new JsonObject()
                  .put("status", result.succeeded() ? "up" : "down")
                  .put("response_time_ms", millis);
          if (result.failed()) {
            json.put("error", String.valueOf(result.cause().getMessage()));
          }
          return Future.succeededFuture(json);
        });
  }
}
