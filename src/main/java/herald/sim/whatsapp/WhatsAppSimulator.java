package herald.sim.whatsapp;

import herald.sim.SimHttp;
import herald.sim.whatsapp.WhatsAppSimConfig.PhoneNumber;
import herald.sim.whatsapp.WhatsAppSimConfig.WindowErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback WhatsApp Cloud API (Graph API v23 paths, any {@code vN.N} version) for one WhatsApp
 * Business Account: send messages ({@code POST /{Version}/{Phone-Number-ID}/messages}), upload
 * media ({@code POST /{Version}/{Phone-Number-ID}/media}), retrieve, download and delete media
 * ({@code GET|DELETE /{Version}/{Media-ID}}), and list templates ({@code GET
 * /{Version}/{WABA-ID}/message_templates}), each checked as the Cloud API checks it, with Graph's
 * error shape and codes. Accepted messages report their statuses through signed webhooks (see
 * {@link Statuses}). A small control API under {@code /_sim/} simulates inbound messages and
 * replays webhooks. See {@link WhatsAppSimConfig} for the account, latency and outcomes.
 *
 * <p>Runs on Vert.x and never blocks; every method may be called from any thread.
 */
public final class WhatsAppSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(WhatsAppSimulator.class);

  /** The User-Agent pattern the official OpenAPI document gives for every request. */
  static final Pattern USER_AGENT =
      Pattern.compile(
          "^[a-zA-Z0-9\\-_]+/[0-9]+\\.[0-9]+\\.[0-9]+(;[a-zA-Z0-9\\-=.]+)?"
              + "(\\s+[a-zA-Z0-9\\-_]+/[0-9\\-.]+)?$");

  private static final String VERSION = "^/(?<version>v[0-9]+\\.[0-9]+)";
  private static final String JSON = "application/json; charset=UTF-8";

  private final Vertx vertx;
  private final WhatsAppSimConfig config;
  private final WebClient client;
  private final MediaStore media;
  private final Webhooks webhooks;
  private final Statuses statuses;
  private final Map<String, Instant> lastInbound = new ConcurrentHashMap<>();

  /** Inbound message ids by phone-number id + id, and whether the business marked them read. */
  private final Map<String, Boolean> inboundRead = new ConcurrentHashMap<>();

  private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
  private volatile String webhookUrl;
  private volatile HttpServer server;

  private WhatsAppSimulator(Vertx vertx, WhatsAppSimConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.client = WebClient.create(vertx);
    this.media = new MediaStore(config.appSecret());
    this.webhookUrl = config.webhookUrl();
    this.webhooks = new Webhooks(vertx, client, config, () -> webhookUrl);
    this.statuses = new Statuses(vertx, config, webhooks);
  }

  /**
   * Starts a simulator.
   *
   * @return the running simulator, or a failed future when the port cannot be bound
   */
  public static Future<WhatsAppSimulator> start(Vertx vertx, WhatsAppSimConfig config) {
    WhatsAppSimulator simulator = new WhatsAppSimulator(vertx, config);
    return vertx
        .createHttpServer()
        .requestHandler(simulator.router())
        .listen(config.port(), config.host())
        .map(
            server -> {
              simulator.server = server;
              LOG.info("WhatsApp Cloud API simulator listening on {}", simulator.baseUrl());
              return simulator;
            })
        .onFailure(e -> simulator.client.close());
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port}, without a trailing slash; {@code /v23.0/...} goes after it. */
  public String baseUrl() {
    return SimHttp.baseUrl(config.host(), port());
  }

  public WhatsAppSimConfig config() {
    return config;
  }

  /** Points webhooks at {@code url} from now on; null stops sending them. */
  public void webhookUrl(String url) {
    if (url != null) {
      WhatsAppSimConfig.requireHttpUrl(url);
    }
    this.webhookUrl = url;
  }

  /**
   * Every message accepted by the API, as {@code {"id", "phone_number_id", "to", "type", "status",
   * "accepted_at", "request"}} with its latest status ({@code accepted_at}: epoch milliseconds of
   * the API's answer).
   */
  public List<JsonObject> messages() {
    return statuses.messages();
  }

  /** The bodies of every webhook sent so far (the last thousand), oldest first. */
  public List<JsonObject> webhooksSent() {
    return webhooks.sent().stream().map(Webhooks.Delivery::payload).toList();
  }

  /**
   * Simulates a message from a WhatsApp user (see {@link Inbound} for the request's shape): opens
   * the user's customer-service window and sends the {@code messages} webhook.
   *
   * @return {@code {"id", "media_id"?, "webhook_status"}} once the webhook has been answered (or
   *     its retries are spent); fails with a {@code GraphError} on a bad request
   */
  public Future<JsonObject> inbound(JsonObject request) {
    Inbound.Built built;
    try {
      built = Inbound.build(request, config, media, WaIds.messageId(request.getString("from")));
    } catch (GraphError e) {
      return Future.failedFuture(e);
    } catch (ClassCastException e) {
      return Future.failedFuture(GraphError.invalidParameter("A field has the wrong JSON type."));
    }
    lastInbound.put(built.waId(), Instant.now());
    inboundRead.put(built.waId().split("/")[0] + "/" + built.messageId(), false);
    return webhooks
        .send(built.payload())
        .map(
            status -> {
              JsonObject answer = new JsonObject().put("id", built.messageId());
              if (built.mediaId() != null) {
                answer.put("media_id", built.mediaId());
              }
              return answer.put("webhook_status", status);
            });
  }

  /**
   * Sends the last {@code count} webhooks again with their original bodies and signatures, as
   * Meta's at-least-once delivery does.
   *
   * @return the statuses the receiver answered
   */
  public Future<List<Integer>> redeliver(int count) {
    return webhooks.redeliver(count);
  }

  /**
   * Whether the business marked the simulated inbound message {@code messageId} read ({@code POST
   * /{Phone-Number-ID}/messages} with {@code "status": "read"}); null for an unknown id.
   */
  public Boolean markedRead(String messageId) {
    return inboundRead.entrySet().stream()
        .filter(e -> e.getKey().endsWith("/" + messageId))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** Runs Meta's {@code GET} verification handshake against the webhook URL. */
  public Future<Boolean> verifyWebhook() {
    return webhooks.verify();
  }

  /** Stops pending statuses and retries, the server and the webhook client. */
  public Future<Void> close() {
    statuses.close();
    webhooks.close();
    return server
        .close()
        .eventually(
            () -> {
              client.close();
              return Future.succeededFuture();
            });
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(SimHttp.requestLog(LOG));
    router
        .route()
        .handler(
            BodyHandler.create(true)
                .setBodyLimit(MediaTypes.MAX_UPLOAD + MediaTypes.MB)
                .setUploadsDirectory(
                    Path.of(System.getProperty("java.io.tmpdir"), "herald-whatsapp-sim-uploads")
                        .toString())
                .setDeleteUploadedFilesOnEnd(true));
    router.route().handler(SimHttp.latency(vertx, config.latency()));
    router.post("/_sim/inbound").handler(this::simulateInbound);
    router.post("/_sim/webhooks/redeliver").handler(this::redeliverWebhooks);
    router.post("/_sim/webhooks/verify").handler(this::verifyHandshake);
    router.put("/_sim/webhook_url").handler(this::changeWebhookUrl);
    router.get("/_sim/messages").handler(ctx -> reply(ctx, 200, messagesJson()));
    router.get(MediaStore.DOWNLOAD_PATH).handler(this::download);
    router.routeWithRegex(VERSION + "/.*").handler(this::authenticate);
    router.postWithRegex(VERSION + "/(?<phone>[^/]+)/messages").handler(this::send);
    router.postWithRegex(VERSION + "/(?<phone>[^/]+)/media").handler(this::upload);
    router.getWithRegex(VERSION + "/(?<waba>[^/]+)/message_templates").handler(this::templates);
    router.getWithRegex(VERSION + "/(?<id>[^/]+)/?$").handler(this::describeMedia);
    router.deleteWithRegex(VERSION + "/(?<id>[^/]+)/?$").handler(this::deleteMedia);
    router.route().handler(ctx -> ctx.fail(GraphError.unknownPath(ctx.request().path())));
    router.route().failureHandler(this::answerFailure);
    return router;
  }

  /** Bearer token first (401, code 190), then the User-Agent the OpenAPI document requires. */
  private void authenticate(RoutingContext ctx) {
    if (!tokenValid(ctx)) {
      ctx.response()
          .putHeader(
              "WWW-Authenticate",
              "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token - Cannot"
                  + " parse access token\"");
      ctx.fail(GraphError.invalidToken());
      return;
    }
    String agent = ctx.request().getHeader(HttpHeaders.USER_AGENT);
    if (agent == null || !USER_AGENT.matcher(agent).matches()) {
      ctx.fail(
          GraphError.invalidParameter(
              "The User-Agent header must match "
                  + USER_AGENT.pattern()
                  + "; got \""
                  + agent
                  + "\"."));
      return;
    }
    ctx.next();
  }

  private boolean tokenValid(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(
        header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
        config.accessToken().getBytes(StandardCharsets.UTF_8));
  }

  private PhoneNumber phone(RoutingContext ctx, String method) {
    String id = ctx.pathParam("phone");
    PhoneNumber phone = config.phoneNumber(id);
    if (phone == null) {
      throw GraphError.unknownObject(method, id);
    }
    return phone;
  }

  private void send(RoutingContext ctx) {
    PhoneNumber phone = phone(ctx, "post");
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw GraphError.invalidParameter("Messages must be sent as application/json.");
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw GraphError.invalidParameter("The request body is not a JSON object.");
    }
    if (body == null) {
      throw GraphError.requiredParameter("messaging_product");
    }
    if (body.containsKey("status")) {
      markRead(ctx, phone, body);
      return;
    }
    SendRequest request =
        SendRequest.parse(
            body,
            config.templates(),
            (id, type) ->
                media
                    .get(id, phone.id())
                    .filter(m -> MediaTypes.sendableAs(m.mimeType(), type))
                    .isPresent());
    if (!takeToken(phone.id())) {
      throw GraphError.rateLimited();
    }
    if (ThreadLocalRandom.current().nextDouble() < config.failureRate()) {
      throw GraphError.somethingWentWrong();
    }
    Integer failure = null;
    if (request.freeForm() && !windowOpen(phone.id(), request.waId())) {
      if (config.windowErrors() == WindowErrors.RESPONSE) {
        throw GraphError.reEngagement();
      }
      failure = 131047;
    } else if (config.undeliverableNumbers().contains(request.waId())) {
      failure = 131026;
    } else if (ThreadLocalRandom.current().nextDouble() < config.undeliverableRate()) {
      failure = config.undeliverableCode();
    }
    String id = WaIds.messageId(request.waId());
    JsonObject message = new JsonObject().put("id", id);
    if (!request.freeForm()) {
      message.put("message_status", "accepted");
    }
    JsonObject answer =
        new JsonObject()
            .put("messaging_product", "whatsapp")
            .put(
                "contacts",
                new JsonArray()
                    .add(new JsonObject().put("input", request.to()).put("wa_id", request.waId())))
            .put("messages", new JsonArray().add(message));
    Statuses.Outbound outbound =
        new Statuses.Outbound(
            id,
            phone,
            request.waId(),
            request.type(),
            request.freeForm() ? "service" : request.template().pricingCategory(),
            body,
            failure);
    reply(ctx, 200, answer).onComplete(v -> statuses.start(outbound));
  }

  /**
   * Marks an inbound message read (and optionally shows a typing indicator), as the Cloud API's
   * "Send typing indicator and read receipt" request: {@code {"messaging_product": "whatsapp",
   * "status": "read", "message_id": <an inbound message id>, "typing_indicator"?: {"type":
   * "text"}}}; answers {@code {"success": true}}.
   */
  private void markRead(RoutingContext ctx, PhoneNumber phone, JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!Set.of("messaging_product", "status", "message_id", "typing_indicator").contains(key)) {
        throw GraphError.invalidParameter("Param " + key + " is not allowed with status.");
      }
    }
    if (!"whatsapp".equals(body.getValue("messaging_product"))) {
      throw GraphError.requiredParameter("messaging_product");
    }
    if (!"read".equals(body.getValue("status"))) {
      throw GraphError.invalidParameter("Param status must be one of {READ}.");
    }
    if (!(body.getValue("message_id") instanceof String id)) {
      throw GraphError.requiredParameter("message_id");
    }
    if (body.containsKey("typing_indicator")
        && !(body.getValue("typing_indicator") instanceof JsonObject indicator
            && "text".equals(indicator.getValue("type")))) {
      throw GraphError.invalidParameter("Param typing_indicator['type'] must be text.");
    }
    String key = phone.id() + "/" + id;
    if (!inboundRead.containsKey(key)) {
      throw GraphError.invalidParameter("Param message_id is not a message this number received.");
    }
    inboundRead.put(key, true);
    reply(ctx, 200, new JsonObject().put("success", true));
  }

  private boolean windowOpen(String phoneId, String waId) {
    Instant last = lastInbound.get(phoneId + "/" + waId);
    return last != null && last.plus(config.customerServiceWindow()).isAfter(Instant.now());
  }

  /** A token bucket per phone number holding up to one second of throughput. */
  private boolean takeToken(String phoneId) {
    int rate = config.messagesPerSecond();
    if (rate == 0) {
      return true;
    }
    double[] bucket = buckets.computeIfAbsent(phoneId, k -> new double[] {rate, System.nanoTime()});
    synchronized (bucket) {
      long now = System.nanoTime();
      bucket[0] = Math.min(rate, bucket[0] + (now - bucket[1]) / 1e9 * rate);
      bucket[1] = now;
      if (bucket[0] < 1) {
        return false;
      }
      bucket[0] -= 1;
      return true;
    }
  }

  private void upload(RoutingContext ctx) {
    PhoneNumber phone = phone(ctx, "post");
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw GraphError.invalidParameter("Media must be uploaded as multipart/form-data.");
    }
    var form = ctx.request().formAttributes();
    String product = form.get("messaging_product");
    if (product == null) {
      throw GraphError.requiredParameter("messaging_product");
    }
    if (!product.equals("whatsapp")) {
      throw GraphError.invalidParameter(
          "Param messaging_product must be one of {WHATSAPP} - got \"" + product + "\".");
    }
    List<FileUpload> files =
        ctx.fileUploads().stream().filter(f -> f.name().equals("file")).toList();
    if (files.isEmpty()) {
      throw GraphError.requiredParameter("file");
    }
    if (files.size() > 1) {
      throw GraphError.invalidParameter("Upload one file at a time.");
    }
    String type = form.get("type");
    if (type == null) {
      throw GraphError.requiredParameter("type");
    }
    String mime = type.toLowerCase(Locale.ROOT).split(";")[0].trim();
    if (MediaTypes.kindOf(mime) == null) {
      throw GraphError.invalidParameter(
          "Param type must be a supported media type; \"" + type + "\" is not.");
    }
    vertx
        .fileSystem()
        .readFile(files.get(0).uploadedFileName())
        .map(
            content -> {
              long limit = MediaTypes.limit(mime, content);
              if (content.length() == 0) {
                throw GraphError.mediaUpload("The uploaded file is empty.");
              }
              if (content.length() > limit) {
                throw GraphError.mediaUpload(
                    "The file is "
                        + content.length()
                        + " bytes; "
                        + mime
                        + " files may be at most "
                        + limit
                        + " bytes.");
              }
              if (!MediaTypes.contentMatches(mime, content)) {
                throw GraphError.mediaUpload(
                    "The file's content is not of the declared type " + mime + ".");
              }
              return media.add(phone.id(), mime, content);
            })
        .compose(stored -> reply(ctx, 200, new JsonObject().put("id", stored.id())))
        .onFailure(ctx::fail);
  }

  private void describeMedia(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String owner = ownerFilter(ctx, "get");
    MediaStore.Media found =
        media.get(id, owner).orElseThrow(() -> GraphError.unknownObject("get", id));
    reply(ctx, 200, media.describe(found, baseUrl()));
  }

  private void deleteMedia(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!media.delete(id, ownerFilter(ctx, "delete"))) {
      throw GraphError.unknownObject("delete", id);
    }
    reply(ctx, 200, new JsonObject().put("success", true));
  }

  /** The optional {@code phone_number_id} query parameter, which must name a number. */
  private String ownerFilter(RoutingContext ctx, String method) {
    String owner = ctx.request().getParam("phone_number_id");
    if (owner != null && config.phoneNumber(owner) == null) {
      throw GraphError.unknownObject(method, owner);
    }
    return owner;
  }

  /** The file behind a media URL: Bearer-protected, and only while the URL is fresh. */
  private void download(RoutingContext ctx) {
    if (!tokenValid(ctx)) {
      ctx.fail(GraphError.invalidToken());
      return;
    }
    var params = ctx.request().params();
    media
        .resolveDownload(params.get("mid"), params.get("ext"), params.get("hash"))
        .ifPresentOrElse(
            m ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, m.mimeType())
                    .putHeader("Content-Disposition", "attachment; filename=" + m.id())
                    .end(m.content()),
            () ->
                ctx.response()
                    .setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                    .end("URL signature expired or invalid"));
  }

  private void templates(RoutingContext ctx) {
    String waba = ctx.pathParam("waba");
    if (!waba.equals(config.wabaId())) {
      throw GraphError.unknownObject("get", waba);
    }
    reply(
        ctx,
        200,
        TemplateListing.page(
            config.templates(), ctx.request().params(), baseUrl() + ctx.request().path()));
  }

  static int intParam(String value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw GraphError.invalidParameter(
        "Param limit must be a number within " + min + ".." + max + ".");
  }

  private void simulateInbound(RoutingContext ctx) {
    JsonObject request;
    try {
      request = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      request = null;
    }
    if (request == null) {
      throw GraphError.invalidParameter("The body must be a JSON object.");
    }
    inbound(request).compose(answer -> reply(ctx, 200, answer)).onFailure(ctx::fail);
  }

  private void redeliverWebhooks(RoutingContext ctx) {
    int count = intParam(ctx.request().getParam("count"), 1, 1, 1000);
    webhooks
        .redeliver(count)
        .compose(list -> reply(ctx, 200, new JsonObject().put("statuses", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private void verifyHandshake(RoutingContext ctx) {
    webhooks
        .verify()
        .compose(ok -> reply(ctx, 200, new JsonObject().put("verified", ok)))
        .onFailure(ctx::fail);
  }

  private void changeWebhookUrl(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    try {
      webhookUrl(body == null ? null : body.getString("url"));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw GraphError.invalidParameter("url must be an absolute http(s) URL or null.");
    }
    reply(ctx, 200, new JsonObject().put("url", webhookUrl));
  }

  private JsonObject messagesJson() {
    return new JsonObject()
        .put("data", new JsonArray(messages().stream().collect(Collectors.toList())));
  }

  private void answerFailure(RoutingContext ctx) {
    GraphError error;
    if (ctx.failure() instanceof GraphError graph) {
      error = graph;
    } else if (ctx.failure() == null && ctx.statusCode() == 413) {
      error = GraphError.mediaUpload("The request body is larger than any media file may be.");
    } else if (ctx.failure() == null && ctx.statusCode() == 400) {
      error = GraphError.invalidParameter("The request could not be parsed.");
    } else {
      LOG.error("WhatsApp simulator failed on {}", ctx.request().path(), ctx.failure());
      error = GraphError.internal();
    }
    reply(ctx, error.status(), error.toJson());
  }

  private Future<Void> reply(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return Future.succeededFuture();
    }
    Buffer encoded = body.toBuffer();
    return ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader("facebook-api-version", "v23.0")
        .putHeader("x-fb-trace-id", GraphError.traceId())
        .putHeader("x-fb-request-id", GraphError.traceId())
        .end(encoded);
  }
}
