package herald.sim.llm;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback OpenAI-compatible chat-completions server: {@code POST /v1/chat/completions} with the
 * request and response shapes of the OpenAI API (including {@code usage}), {@code GET /v1/models},
 * Bearer authentication, deterministic replies from {@link LlmSimConfig#rules()}, a configurable
 * latency, and 429 (with {@code Retry-After}) or 5xx answers on demand. Token counts are estimated
 * as one token per four characters, so they are stable for a given text.
 *
 * <p>Runs on Vert.x and never blocks; every method may be called from any thread.
 */
public final class LlmSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(LlmSimulator.class);
  private static final String JSON = "application/json";
  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  /** A scripted failure: the status to answer, and for 429 the {@code Retry-After} seconds. */
  public record Fault(int status, int retryAfterSeconds) {}

  private final Vertx vertx;
  private final LlmSimConfig config;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final Deque<Fault> scripted = new ArrayDeque<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile Fault outage;
  private volatile Duration latency;
  private boolean holding;
  private final List<Runnable> held = new ArrayList<>();
  private volatile HttpServer server;

  private LlmSimulator(Vertx vertx, LlmSimConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.latency = config.latency();
  }

  /**
   * Starts a simulator.
   *
   * @return the running simulator, or a failed future when the port cannot be bound
   */
  public static Future<LlmSimulator> start(Vertx vertx, LlmSimConfig config) {
    LlmSimulator simulator = new LlmSimulator(vertx, config);
    return vertx
        .createHttpServer()
        .requestHandler(simulator.router())
        .listen(config.port(), config.host())
        .map(
            server -> {
              simulator.server = server;
              LOG.info("LLM simulator listening on {}", simulator.baseUrl());
              return simulator;
            });
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port/v1}: the base URL an OpenAI client is configured with. */
  public String baseUrl() {
    String host = config.host();
    String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://"
        + (reachable.contains(":") ? "[" + reachable + "]" : reachable)
        + ":"
        + port()
        + "/v1";
  }

  /** The Bearer token it accepts, or null when it accepts any. */
  public String apiKey() {
    return config.apiKey();
  }

  /** The models it serves; the first is the default. */
  public List<String> models() {
    return config.models();
  }

  /** Every chat-completion request body received (valid or not), oldest first. */
  public List<JsonObject> requests() {
    return List.copyOf(received);
  }

  /** Forgets the requests received so far. */
  public void clearRequests() {
    received.clear();
  }

  /** The next {@code count} completion requests answer {@code status} (a 4xx or 5xx). */
  public synchronized void failNext(int count, int status) {
    for (int i = 0; i < count; i++) {
      scripted.add(new Fault(status, 0));
    }
  }

  /** The next {@code count} completion requests answer 429 with {@code Retry-After: seconds}. */
  public synchronized void rateLimitNext(int count, int retryAfterSeconds) {
    for (int i = 0; i < count; i++) {
      scripted.add(new Fault(429, retryAfterSeconds));
    }
  }

  /** Every completion request answers {@code status} until {@link #recover()}. */
  public void outage(int status) {
    outage = new Fault(status, 1);
  }

  /** Ends an {@link #outage} and drops scripted faults not used yet. */
  public synchronized void recover() {
    outage = null;
    scripted.clear();
  }

  /** Changes the latency added before each answer (for example to make a client time out). */
  public void latency(Duration latency) {
    this.latency = latency;
  }

  /**
   * Holds every completion request from now on (recorded, then kept unanswered) until {@link
   * #release()}: a model that has not answered yet, for as long as a test needs.
   */
  public synchronized void hold() {
    holding = true;
  }

  /** Ends a {@link #hold()}: the requests held go on (after the latency) and new ones pass. */
  public void release() {
    List<Runnable> resume;
    synchronized (this) {
      holding = false;
      resume = List.copyOf(held);
      held.clear();
    }
    resume.forEach(Runnable::run);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            ctx -> {
              // method, path and status only: never bodies or headers (the API key)
              String method = ctx.request().method().name();
              String path = ctx.request().path();
              ctx.addEndHandler(
                  v -> LOG.debug("{} {} -> {}", method, path, ctx.response().getStatusCode()));
              ctx.next();
            });
    router.route().handler(BodyHandler.create(false).setBodyLimit(1024 * 1024));
    router.post("/v1/chat/completions").handler(this::record);
    router.route().handler(this::delay);
    router.route("/v1/*").handler(this::authenticate);
    router.post("/v1/chat/completions").handler(this::complete);
    router.get("/v1/models").handler(this::models);
    router
        .route()
        .handler(
            ctx ->
                error(
                    ctx,
                    404,
                    "Unknown request URL: " + ctx.request().path(),
                    "invalid_request_error",
                    null,
                    "unknown_url"));
    return router;
  }

  private void delay(RoutingContext ctx) {
    synchronized (this) {
      if (holding) {
        Context context = vertx.getOrCreateContext();
        held.add(() -> context.runOnContext(v -> delay(ctx)));
        return;
      }
    }
    long millis = latency.toMillis();
    if (millis <= 0) {
      ctx.next();
    } else {
      vertx.timer(millis, TimeUnit.MILLISECONDS).onComplete(v -> ctx.next());
    }
  }

  private void authenticate(RoutingContext ctx) {
    if (config.apiKey() == null) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String given =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : "";
    if (MessageDigest.isEqual(
        config.apiKey().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
    } else {
      error(
          ctx,
          401,
          header == null
              ? "You didn't provide an API key. Provide it in an Authorization header (Bearer auth)."
              : "Incorrect API key provided.",
          "invalid_request_error",
          null,
          "invalid_api_key");
    }
  }

  private void models(RoutingContext ctx) {
    JsonArray data = new JsonArray();
    for (String model : config.models()) {
      data.add(
          new JsonObject()
              .put("id", model)
              .put("object", "model")
              .put("created", 1_700_000_000L)
              .put("owned_by", "herald-sim"));
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(new JsonObject().put("object", "list").put("data", data).encode());
  }

  private synchronized Fault nextFault() {
    Fault now = scripted.poll();
    return now != null ? now : outage;
  }

  /** Records the request as it arrives (before the latency), so tests see calls under way. */
  private void record(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    received.add(body == null ? new JsonObject() : body.copy());
    ctx.put("body", body);
    ctx.next();
  }

  private void complete(RoutingContext ctx) {
    JsonObject body = ctx.get("body");
    if (body == null) {
      error(
          ctx,
          400,
          "We could not parse the JSON body of your request.",
          "invalid_request_error",
          null,
          null);
      return;
    }
    String problem = validate(body);
    if (problem != null) {
      error(ctx, 400, problem, "invalid_request_error", problem.split(" ", 2)[0], null);
      return;
    }
    Fault fault = nextFault();
    if (fault != null) {
      if (fault.status() == 429) {
        ctx.response().putHeader("Retry-After", Integer.toString(fault.retryAfterSeconds()));
        error(
            ctx, 429, "Rate limit reached for requests.", "requests", null, "rate_limit_exceeded");
      } else {
        error(
            ctx,
            fault.status(),
            "The server had an error while processing your request.",
            "server_error",
            null,
            null);
      }
      return;
    }
    JsonArray messages = body.getJsonArray("messages");
    String last = "";
    int turns = 0;
    int promptChars = 0;
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      String content = m.getString("content");
      promptChars += content.length() + m.getString("role").length();
      if (m.getString("role").equals("user")) {
        last = content;
        turns++;
      }
    }
    String reply = replyTo(last, turns);
    String finish = "stop";
    Integer maxTokens = body.getInteger("max_tokens", body.getInteger("max_completion_tokens"));
    if (maxTokens != null && tokens(reply) > maxTokens) {
      reply = reply.substring(0, Math.min(reply.length(), maxTokens * 4));
      finish = "length";
    }
    int promptTokens = (promptChars + 3) / 4;
    int completionTokens = tokens(reply);
    JsonObject response =
        new JsonObject()
            .put("id", "chatcmpl-sim" + ids.incrementAndGet())
            .put("object", "chat.completion")
            .put("created", System.currentTimeMillis() / 1000)
            .put("model", body.getString("model"))
            .put(
                "choices",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("index", 0)
                            .put(
                                "message",
                                new JsonObject().put("role", "assistant").put("content", reply))
                            .put("finish_reason", finish)))
            .put(
                "usage",
                new JsonObject()
                    .put("prompt_tokens", promptTokens)
                    .put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens));
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(response.encode());
  }

  private String validate(JsonObject body) {
    Object model = body.getValue("model");
    if (!(model instanceof String name) || name.isBlank()) {
      return "model is required";
    }
    if (!config.models().contains(name)) {
      return "model '" + name + "' does not exist";
    }
    if (Boolean.TRUE.equals(body.getValue("stream"))) {
      return "stream is not supported by this simulator";
    }
    Object list = body.getValue("messages");
    if (!(list instanceof JsonArray messages) || messages.isEmpty()) {
      return "messages must be a non-empty array";
    }
    for (Object item : messages) {
      if (!(item instanceof JsonObject m)
          || !(m.getValue("role") instanceof String role)
          || !ROLES.contains(role)
          || !(m.getValue("content") instanceof String)) {
        return "messages must each have a role (system, user, assistant or tool) and a string content";
      }
    }
    Object temperature = body.getValue("temperature");
    if (temperature != null
        && (!(temperature instanceof Number t) || t.doubleValue() < 0 || t.doubleValue() > 2)) {
      return "temperature must be a number from 0 to 2";
    }
    return null;
  }

  private String replyTo(String message, int turns) {
    for (LlmSimConfig.ReplyRule rule : config.rules()) {
      if (rule.pattern().matcher(message).find()) {
        return rule.reply()
            .replace("{message}", message)
            .replace("{turns}", Integer.toString(turns));
      }
    }
    return "You said: " + message;
  }

  private static int tokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }

  private static void error(
      RoutingContext ctx, int status, String message, String type, String param, String code) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(
            new JsonObject()
                .put(
                    "error",
                    new JsonObject()
                        .put("message", message)
                        .put("type", type)
                        .put("param", param)
                        .put("code", code))
                .encode());
  }

  /** Used by the requests list: the user messages of one request, in order (for tests). */
  public static List<String> userMessages(JsonObject request) {
    List<String> out = new ArrayList<>();
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      if ("user".equals(m.getString("role"))) {
        out.add(m.getString("content"));
      }
    }
    return out;
  }
}
