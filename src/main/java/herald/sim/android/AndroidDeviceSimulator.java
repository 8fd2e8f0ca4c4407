package herald.sim.android;

import herald.sim.SimHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback Android SMS gateway phone speaking the device's "Termux API" (seed 000): {@code GET
 * /health} without authentication; {@code POST /api/sms/send}, {@code GET /api/device/battery} and
 * {@code GET /api/device/signal} with the API key in {@code X-API-Key}. Errors are {@code
 * {"success":false,"error":"..."}}. See {@link AndroidSimConfig} for latency and failures.
 *
 * <p>Runs on Vert.x and never blocks; every method may be called from any thread.
 */
public final class AndroidDeviceSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(AndroidDeviceSimulator.class);

  private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{6,14}$");
  private static final int MAX_MESSAGE = 1600;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String JSON = "application/json";

  /** The battery as the device reports it. */
  private record Battery(int percent, String status) {}

  private final Vertx vertx;
  private final AndroidSimConfig config;
  private final long startedAt = System.nanoTime();
  private final List<JsonObject> sent = new CopyOnWriteArrayList<>();
  private volatile Battery battery;
  private volatile int signalDbm;
  private volatile HttpServer server;

  private AndroidDeviceSimulator(Vertx vertx, AndroidSimConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.battery = new Battery(config.batteryPercent(), config.batteryStatus());
    this.signalDbm = config.signalDbm();
  }

  /**
   * Starts a simulator.
   *
   * @return the running simulator, or a failed future when the port cannot be bound
   */
  public static Future<AndroidDeviceSimulator> start(Vertx vertx, AndroidSimConfig config) {
    AndroidDeviceSimulator simulator = new AndroidDeviceSimulator(vertx, config);
    return vertx
        .createHttpServer()
        .requestHandler(simulator.router())
        .listen(config.port(), config.host())
        .map(
            server -> {
              simulator.server = server;
              LOG.info("Android device simulator listening on {}", simulator.baseUrl());
              return simulator;
            });
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String baseUrl() {
    return SimHttp.baseUrl(config.host(), port());
  }

  /** Copies of every SMS the device accepted, oldest first: {@code {phone, message, at}}. */
  public List<JsonObject> sent() {
    return sent.stream().map(JsonObject::copy).toList();
  }

  /**
   * Changes what {@code /api/device/battery} reports.
   *
   * @throws IllegalArgumentException if percent is outside 0..100 or the status is not one of
   *     {@link AndroidSimConfig#BATTERY_STATUSES}
   */
  public void setBattery(int percent, String status) {
    AndroidSimConfig.checkBattery(percent, status);
    battery = new Battery(percent, status);
  }

  /**
   * Changes what {@code /api/device/signal} reports.
   *
   * @throws IllegalArgumentException if dbm is outside -140..-44
   */
  public void setSignal(int dbm) {
    AndroidSimConfig.checkSignal(dbm);
    signalDbm = dbm;
  }

  /** Stops the server. */
  public Future<Void> close() {
    return server.close();
  }

  /**
   * Android's LTE signal bar count (0..4) for an RSRP: one bar for each of -115, -105, -95 and -85
   * dBm that the signal is stronger than.
   */
  static int level(int dbm) {
    int level = 0;
    for (int threshold : new int[] {-115, -105, -95, -85}) {
      if (dbm > threshold) {
        level++;
      }
    }
    return level;
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(SimHttp.requestLog(LOG));
    router.route().handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.get("/health").handler(this::health);
    router
        .route("/api/*")
        .handler(SimHttp.latency(vertx, config.latency()))
        .handler(this::authenticate);
    router.post("/api/sms/send").handler(this::send);
    router.get("/api/device/battery").handler(this::battery);
    router.get("/api/device/signal").handler(this::signal);
    router.route().handler(ctx -> reject(ctx, 404, "Not found"));
    router
        .route()
        .failureHandler(
            ctx -> {
              if (ctx.failure() != null) {
                LOG.error("Android simulator failed on {}", ctx.request().path(), ctx.failure());
              }
              int status = ctx.statusCode() == 413 ? 413 : 500;
              reject(ctx, status, status == 413 ? "Request too large" : "Internal server error");
            });
    return router;
  }

  private void authenticate(RoutingContext ctx) {
    String key = ctx.request().getHeader("X-API-Key");
    if (key != null
        && MessageDigest.isEqual(
            key.getBytes(StandardCharsets.UTF_8),
            config.apiKey().getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
    } else {
      reply(
          ctx,
          401,
          new JsonObject()
              .put("success", false)
              .put("error", "Authentication required")
              .put("message", "Please provide a valid API key in X-API-Key"));
    }
  }

  private void health(RoutingContext ctx) {
    long uptime = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
    reply(
        ctx,
        200,
        new JsonObject()
            .put("status", "healthy")
            .put("uptime_seconds", uptime)
            .put("version", "1.0"));
  }

  private void send(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.split(";")[0].trim().equalsIgnoreCase(JSON)) {
      reject(ctx, 400, "Content-Type must be application/json");
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      reject(ctx, 400, "Request body must be a JSON object");
      return;
    }
    if (body == null) {
      reject(ctx, 400, "Request body must be a JSON object");
      return;
    }
    Object phone = body.getValue("phone");
    Object message = body.getValue("message");
    if (!(phone instanceof String number) || !E164.matcher(number).matches()) {
      reject(ctx, 400, "phone must be an E.164 number like +1234567890");
    } else if (!(message instanceof String text) || text.isEmpty()) {
      reject(ctx, 400, "message is required");
    } else if (text.codePointCount(0, text.length()) > MAX_MESSAGE) {
      reject(ctx, 400, "message must be at most " + MAX_MESSAGE + " characters");
    } else if (ThreadLocalRandom.current().nextDouble() < config.failureRate()) {
      reject(ctx, 503, "modem busy");
    } else {
      sent.add(
          new JsonObject()
              .put("phone", number)
              .put("message", text)
              .put("at", Instant.now().toString()));
      reply(
          ctx,
          200,
          new JsonObject()
              .put("success", true)
              .put("message", "SMS sent successfully")
              .put("timestamp", TIMESTAMP.format(LocalDateTime.now())));
    }
  }

  private void battery(RoutingContext ctx) {
    Battery now = battery;
    reply(
        ctx,
        200,
        new JsonObject()
            .put("percentage", now.percent())
            .put("status", now.status())
            .put("temperature", 32.5)
            .put("health", "good"));
  }

  private void signal(RoutingContext ctx) {
    int dbm = signalDbm;
    reply(
        ctx,
        200,
        new JsonObject()
            .put("strength_dbm", dbm)
            .put("level", level(dbm))
            .put("network_type", "LTE")
            .put("operator", "Sim Mobile"));
  }

  private static void reject(RoutingContext ctx, int status, String error) {
    reply(ctx, status, new JsonObject().put("success", false).put("error", error));
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(body.encode());
  }
}
