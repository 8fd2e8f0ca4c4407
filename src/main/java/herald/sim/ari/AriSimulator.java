package herald.sim.ari;

import herald.sim.SimHttp;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback Asterisk REST Interface: the REST resources Herald's voice channel uses (originate,
 * channels, bridges, playbacks, recordings, variables, applications, info), the {@code /ari/events}
 * WebSocket with ARI's event types and shapes, the api-docs a generated client loads, and scripted
 * call outcomes (see {@link AriSimConfig} and {@link CallScript}).
 *
 * <p>Control endpoints for tests, outside {@code /ari} and without authentication: {@code GET
 * /_sim/stats}, {@code POST /_sim/stats/reset-peak}, {@code POST /_sim/drop-websocket[?app=]},
 * {@code PUT /_sim/numbers/{prefix}} (a {@link CallScript} as JSON) and {@code DELETE
 * /_sim/numbers/{prefix}}.
 *
 * <p>Runs as its own verticle, so all call state lives on one event loop; the public methods may be
 * called from any thread.
 */
public final class AriSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(AriSimulator.class);

  private final Vertx vertx;
  private final AriSimConfig config;
  private final SimStats stats = new SimStats();
  private final NumberRules rules;
  private final EventSockets sockets;
  private volatile String deploymentId;
  private volatile HttpServer server;

  private AriSimulator(Vertx vertx, AriSimConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.rules = new NumberRules(config.numberRules());
    this.sockets = new EventSockets(config.asteriskId());
  }

  /**
   * Starts a simulator.
   *
   * @return the running simulator, or a failed future when the port cannot be bound
   */
  public static Future<AriSimulator> start(Vertx vertx, AriSimConfig config) {
    AriSimulator simulator = new AriSimulator(vertx, config);
    return vertx
        .deployVerticle(simulator.new Server())
        .map(
            id -> {
              simulator.deploymentId = id;
              LOG.info("ARI simulator listening on {}", simulator.baseUrl());
              return simulator;
            });
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port}, without a trailing slash; {@code /ari/...} goes after it. */
  public String baseUrl() {
    return SimHttp.baseUrl(config.host(), port());
  }

  /** Channels alive now (originated and not yet destroyed). */
  public int liveChannels() {
    return stats.live();
  }

  /** The most channels alive at once since the start or {@link #resetPeak()}. */
  public int peakChannels() {
    return stats.peak();
  }

  /** Sets the peak back to the live count. */
  public void resetPeak() {
    stats.resetPeak();
  }

  /** How many playbacks have started with {@code mediaUri} (any target). */
  public long played(String mediaUri) {
    return stats.played(mediaUri);
  }

  /** The counters {@code GET /_sim/stats} answers. */
  public JsonObject stats() {
    return stats.toJson(sockets.count());
  }

  /** Scripts calls to numbers starting with {@code prefix} (the longest matching prefix wins). */
  public void script(String prefix, CallScript script) {
    rules.put(prefix, script);
  }

  /** Stops the server, every call timer and every events socket. */
  public Future<Void> close() {
    return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
  }

  /** The verticle that owns the HTTP server and all call state. */
  private final class Server extends VerticleBase {
    private Telephony telephony;
    private Media media;
    private List<Operation> operations;

    @Override
    public Future<?> start() {
      telephony = new Telephony(vertx, config, sockets, stats, rules);
      media = new Media(vertx, config, sockets, stats);
      Bridges bridges = new Bridges(telephony, media);
      telephony.attach(media, bridges);
      operations = new AriRoutes(config, telephony, media, bridges, sockets).operations();
      return vertx
          .createHttpServer()
          .connectionHandler(NoContentLength::install)
          .requestHandler(router())
          .listen(config.port(), config.host())
          .onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
      sockets.closeAll();
      telephony.closeAll();
      media.closeAll();
      return Future.succeededFuture();
    }

    private Router router() {
      Router router = Router.router(vertx);
      router.route().handler(SimHttp.requestLog(LOG));
      router.route("/_sim/*").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
      router.get("/_sim/stats").handler(ctx -> json(ctx, 200, stats()));
      router
          .post("/_sim/stats/reset-peak")
          .handler(
              ctx -> {
                stats.resetPeak();
                json(ctx, 200, stats());
              });
      router
          .post("/_sim/drop-websocket")
          .handler(
              ctx ->
                  json(
                      ctx,
                      200,
                      new JsonObject()
                          .put("dropped", sockets.drop(ctx.request().getParam("app")))));
      router.put("/_sim/numbers/:prefix").handler(this::putRule);
      router
          .delete("/_sim/numbers/:prefix")
          .handler(
              ctx -> {
                boolean removed = rules.remove(ctx.pathParam("prefix"));
                empty(ctx.response().setStatusCode(removed ? 204 : 404));
              });

      router.route("/ari/*").handler(this::authenticate);
      router.get("/ari/api-docs/:file").handler(this::apiDocs);
      router.get("/ari/events").handler(this::events);
      router.route("/ari/*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
      for (Operation op : operations) {
        if (op.handler != null) {
          router
              .route(HttpMethod.valueOf(op.method), op.routePath())
              .handler(ctx -> answer(ctx, op.handler.apply(ctx, Params.of(ctx))));
        }
      }
      router
          .route("/ari/*")
          .handler(
              ctx -> {
                String path = ctx.request().path();
                throw operations.stream().anyMatch(op -> path.matches(op.pathPattern()))
                    ? new AriError(405, "Invalid method")
                    : AriError.notFound("Resource not found");
              });
      router.route().failureHandler(this::failure);
      router.errorHandler(404, ctx -> error(ctx, new AriError(404, "Resource not found")));
      router.errorHandler(405, ctx -> error(ctx, new AriError(405, "Invalid method")));
      return router;
    }

    private void authenticate(RoutingContext ctx) {
      String expected = config.username() + ":" + config.password();
      String given = ctx.request().getParam("api_key");
      if (given == null) {
        given = basicCredentials(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
      }
      if (given != null
          && MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
        ctx.next();
      } else {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Asterisk REST Interface\"");
        error(ctx, new AriError(401, "Authentication required"));
      }
    }

    private void apiDocs(RoutingContext ctx) {
      String file = ctx.pathParam("file");
      String host = ctx.request().getHeader(HttpHeaders.HOST);
      String basePath = "http://" + (host == null ? "localhost:" + port() : host) + "/ari";
      JsonObject doc = null;
      if (file.equals("resources.json")) {
        doc = ApiDocs.resources(operations, basePath);
      } else if (file.endsWith(".json")) {
        doc = ApiDocs.resource(file.substring(0, file.length() - 5), operations, basePath);
      }
      if (doc == null) {
        error(ctx, AriError.notFound("Resource not found"));
      } else {
        json(ctx, 200, doc);
      }
    }

    private void events(RoutingContext ctx) {
      String apps = ctx.request().getParam("app");
      if (apps == null || apps.isBlank()) {
        error(ctx, AriError.badRequest("Missing param 'app'"));
        return;
      }
      if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
        error(ctx, AriError.badRequest("Events must be read over a WebSocket"));
        return;
      }
      Set<String> names = ConcurrentHashMap.newKeySet();
      for (String app : apps.split(",")) {
        if (!app.isBlank()) {
          names.add(app.trim());
        }
      }
      HttpConnection connection = ctx.request().connection();
      ctx.request()
          .toWebSocket()
          .onSuccess(ws -> sockets.register(ws, connection, names))
          .onFailure(e -> LOG.debug("ARI events upgrade failed: {}", e.toString()));
    }

    private void putRule(RoutingContext ctx) {
      try {
        JsonObject body = ctx.body().asJsonObject();
        CallScript.Outcome outcome = CallScript.Outcome.valueOf(body.getString("outcome"));
        Long talk = body.getLong("talk_ms");
        CallScript script =
            new CallScript(
                outcome,
                Duration.ofMillis(body.getLong("ring_ms", 100L)),
                talk == null ? null : Duration.ofMillis(talk),
                body.getString("amd_status", "HUMAN"),
                body.getString("amd_cause", "HUMAN-300-1000"),
                body.getString("dtmf", ""));
        rules.put(ctx.pathParam("prefix"), script);
        empty(ctx.response().setStatusCode(204));
      } catch (RuntimeException e) {
        json(ctx, 400, new JsonObject().put("message", String.valueOf(e.getMessage())));
      }
    }

    private void answer(RoutingContext ctx, Reply reply) {
      HttpServerResponse response = ctx.response().setStatusCode(reply.status());
      if (reply.location() != null) {
        response.putHeader(HttpHeaders.LOCATION, reply.location());
      }
      if (reply.body() == null) {
        empty(response);
      } else if (reply.body() instanceof Buffer bytes) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, reply.contentType()).end(bytes);
      } else {
        response
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(io.vertx.core.json.Json.encode(reply.body()));
      }
    }

    private void failure(RoutingContext ctx) {
      if (ctx.failure() instanceof AriError ari) {
        error(ctx, ari);
      } else if (ctx.failure() == null && ctx.statusCode() == 413) {
        error(ctx, new AriError(413, "Request body too large"));
      } else {
        LOG.error("ARI simulator failed on {}", ctx.request().path(), ctx.failure());
        error(ctx, new AriError(500, "Internal Server Error"));
      }
    }

    private void error(RoutingContext ctx, AriError error) {
      json(ctx, error.status(), error.toJson());
    }

    private void json(RoutingContext ctx, int status, JsonObject body) {
      if (!ctx.response().ended()) {
        ctx.response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(body.encode());
      }
    }

    /**
     * Asterisk sends {@code Content-Length: 0} on every empty answer (see {@link NoContentLength}).
     */
    private void empty(HttpServerResponse response) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
    }
  }

  private static String basicCredentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      return new String(
          Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
