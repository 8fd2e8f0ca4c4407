package herald.sim.twilio;

import herald.sim.SimHttp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback Twilio Messages API (2010-04-01) for one account: create ({@code POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json}) and fetch ({@code GET .../Messages/{Sid}.json})
 * with HTTP Basic auth, Twilio's validation and error codes, status callbacks signed with {@code
 * X-Twilio-Signature}, and simulated inbound messages. See {@link TwilioSimConfig} for latency and
 * outcomes.
 *
 * <p>Runs on Vert.x and never blocks; every method may be called from any thread.
 */
public final class TwilioSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioSimulator.class);

  private static final Pattern ACCOUNT_PATH = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/");
  private static final String MESSAGES = "/2010-04-01/Accounts/(?<AccountSid>[^/]+)/Messages";
  private static final String JSON = "application/json; charset=utf-8";

  private final Vertx vertx;
  private final TwilioSimConfig config;
  private final MessageStore store = new MessageStore();
  private final WebClient client;
  private final DeliveryLifecycle lifecycle;
  private volatile HttpServer server;

  private TwilioSimulator(Vertx vertx, TwilioSimConfig config) {
    this.vertx = vertx;
    this.config = config;
    // Twilio posts webhooks concurrently: a load of inbound messages must not queue in the client
    this.client =
        WebClient.create(
            vertx,
            new io.vertx.ext.web.client.WebClientOptions(),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    this.lifecycle = new DeliveryLifecycle(vertx, client, config, store);
  }

  /**
   * Starts a simulator.
   *
   * @return the running simulator, or a failed future when the port cannot be bound
   */
  public static Future<TwilioSimulator> start(Vertx vertx, TwilioSimConfig config) {
    TwilioSimulator simulator = new TwilioSimulator(vertx, config);
    return vertx
        .createHttpServer()
        .requestHandler(simulator.router())
        .listen(config.port(), config.host())
        .map(
            server -> {
              simulator.server = server;
              LOG.info("Twilio simulator listening on {}", simulator.baseUrl());
              return simulator;
            })
        .onFailure(e -> simulator.client.close());
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port}, without a trailing slash; the API paths go after it. */
  public String baseUrl() {
    return SimHttp.baseUrl(config.host(), port());
  }

  /**
   * Every message created through the API, oldest first: copies of the resources as the fetch
   * endpoint would return them now (the status moves on after creation).
   */
  public List<JsonObject> messages() {
    return store.created();
  }

  /** Stops pending status transitions, the server and the webhook client. */
  public Future<Void> close() {
    lifecycle.close();
    return server.close().eventually(() -> Future.succeededFuture(closeClient()));
  }

  /**
   * Simulates an inbound SMS: POSTs Twilio's incoming-message webhook form to {@code url}, signed
   * with {@code X-Twilio-Signature} over {@code url} exactly as given. The form holds {@code
   * AccountSid, ApiVersion, Body, From, MessageSid, NumMedia=0, NumSegments, SmsMessageSid, SmsSid,
   * SmsStatus=received, To}. The message is also stored, so it can be fetched.
   *
   * @param url the webhook URL, exactly as the receiver will rebuild it to check the signature
   * @param from the sender's number (the subscriber), not null
   * @param to the receiving Twilio number, not null
   * @param body the text, not null (may be empty)
   * @return the receiver's answer (normally TwiML); fails on a connection error or after 15 s
   */
  public Future<HttpResponse<Buffer>> sendInbound(String url, String from, String to, String body) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(body, "body");
    String sid = MessageStore.newSid("SM");
    Map<String, String> params = inboundParams(sid, from, to, body);
    String now = MessageStore.now();
    store.addOther(
        new CreateMessageRequest(to, from, null, body, List.of(), null)
            .toResource(config.accountSid(), sid, now)
            .put("direction", "inbound")
            .put("status", "received")
            .put("date_sent", now));
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    params.forEach(form::add);
    return client
        .postAbs(url)
        .timeout(DeliveryLifecycle.WEBHOOK_TIMEOUT_MS)
        .putHeader(CallbackSignature.HEADER, CallbackSignature.of(config.authToken(), url, params))
        .putHeader("I-Twilio-Idempotency-Token", sid)
        .putHeader("User-Agent", DeliveryLifecycle.USER_AGENT)
        .sendForm(form)
        .onSuccess(r -> LOG.debug("Inbound {} answered {}", sid, r.statusCode()));
  }

  private Map<String, String> inboundParams(String sid, String from, String to, String body) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", config.accountSid());
    params.put("ApiVersion", "2010-04-01");
    params.put("Body", body);
    params.put("From", from);
    params.put("MessageSid", sid);
    params.put("NumMedia", "0");
    params.put("NumSegments", Integer.toString(Segments.count(body)));
    params.put("SmsMessageSid", sid);
    params.put("SmsSid", sid);
    params.put("SmsStatus", "received");
    params.put("To", to);
    return params;
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(SimHttp.requestLog(LOG));
    router.route().handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.route().handler(SimHttp.latency(vertx, config.latency()));
    router.route("/2010-04-01/*").handler(this::authenticate);
    router.postWithRegex(MESSAGES + "\\.json").handler(this::create);
    router.getWithRegex(MESSAGES + "/(?<Sid>[^/]+)\\.json").handler(this::fetch);
    router.route().handler(ctx -> ctx.fail(TwilioError.notFound(ctx.request().path())));
    router.route().failureHandler(this::answerFailure);
    return router;
  }

  /** HTTP Basic with AccountSid:AuthToken, and the path's account must be that account. */
  private void authenticate(RoutingContext ctx) {
    String expected = config.accountSid() + ":" + config.authToken();
    String given = basicCredentials(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    Matcher path = ACCOUNT_PATH.matcher(ctx.request().path());
    boolean valid =
        given != null
            && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))
            && (!path.find() || path.group(1).equals(config.accountSid()));
    if (valid) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
      ctx.fail(TwilioError.authenticate());
    }
  }

  private static String basicCredentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      byte[] decoded = Base64.getDecoder().decode(header.substring(6).trim());
      return new String(decoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void create(RoutingContext ctx) {
    CreateMessageRequest request = CreateMessageRequest.parse(ctx.request().formAttributes());
    if (ThreadLocalRandom.current().nextDouble() < config.failureRate()) {
      throw TwilioError.badRequest(
          21612,
          "The 'To' phone number: "
              + request.to()
              + ", is not currently reachable using the 'From' phone number via SMS.");
    }
    String sid = MessageStore.newSid(request.mediaUrls().isEmpty() ? "SM" : "MM");
    JsonObject resource = request.toResource(config.accountSid(), sid, MessageStore.now());
    store.addCreated(resource);
    reply(ctx, 201, resource).onComplete(v -> lifecycle.start(sid, request.statusCallback()));
  }

  private void fetch(RoutingContext ctx) {
    JsonObject resource =
        store
            .get(ctx.pathParam("Sid"))
            .orElseThrow(() -> TwilioError.notFound(ctx.request().path()));
    reply(ctx, 200, resource);
  }

  private void answerFailure(RoutingContext ctx) {
    TwilioError error;
    if (ctx.failure() instanceof TwilioError twilio) {
      error = twilio;
    } else if (ctx.failure() == null && ctx.statusCode() == 413) {
      error = new TwilioError(413, 20413, "Request entity too large");
    } else {
      LOG.error("Twilio simulator failed on {}", ctx.request().path(), ctx.failure());
      error = TwilioError.internal();
    }
    reply(ctx, error.status(), error.toJson());
  }

  private Future<Void> reply(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader("Twilio-Request-Id", MessageStore.newSid("RQ"))
        .end(body.encode());
  }

  private Void closeClient() {
    client.close();
    return null;
  }
}
