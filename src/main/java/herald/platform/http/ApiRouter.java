package herald.platform.http;

import herald.account.AccountRoutes;
import herald.account.AccountStore;
import herald.audit.AuditRoutes;
import herald.audit.AuditStore;
import herald.auth.ApiKeyRoutes;
import herald.auth.ApiKeyStore;
import herald.auth.AuthRoutes;
import herald.auth.Authenticator;
import herald.auth.UserRoutes;
import herald.auth.UserStore;
import herald.blacklist.BlacklistRoutes;
import herald.blacklist.BlacklistStore;
import herald.campaign.CampaignRoutes;
import herald.campaign.UploadRoutes;
import herald.channel.CallbackContext;
import herald.channel.ChannelSender;
import herald.channel.Channels;
import herald.contact.ContactRoutes;
import herald.contact.ContactStore;
import herald.contact.GroupRoutes;
import herald.contact.GroupStore;
import herald.contact.ImportRoutes;
import herald.inbound.BusSink;
import herald.job.JobRoutes;
import herald.message.MessageRoutes;
import herald.message.PhoneNumberRoutes;
import herald.platform.Platform;
import herald.platform.health.HealthRoutes;
import herald.platform.metrics.MetricsRoutes;
import herald.sender.SenderRoutes;
import herald.sender.SenderStore;
import herald.template.TemplateRoutes;
import herald.template.TemplateStore;
import herald.webhook.WebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.UUID;

/**
 * Builds Herald's HTTP surface: request ids and access log, problem+json errors, health, the
 * OpenAPI document, and {@code /api/v1} with login, authentication, rate limits and one sub-router
 * per domain.
 */
public final class ApiRouter {
  private ApiRouter() {}

  public static Router build(Vertx vertx, Platform platform) {
    ProblemHandler problems = new ProblemHandler();
    Router root = Router.router(vertx);
    root.route().handler(new RequestIds());
    root.route().failureHandler(problems);
    root.route().handler(QueryParams.guard());
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      root.errorHandler(status, problems);
    }
    new HealthRoutes(vertx, platform).mount(root);
    OpenApi.mount(root);
    new MetricsRoutes(platform.metrics(), platform.config().metrics()).mount(root);

    var pool = platform.pool();
    UserStore users = new UserStore(pool);
    ApiKeyStore keys = new ApiKeyStore(pool);
    AuthRoutes auth = new AuthRoutes(pool, users, platform.passwords(), platform.tokens());
    UserRoutes userRoutes = new UserRoutes(pool, users, platform.passwords());

    Handler<RoutingContext> ready =
        ctx -> {
          if (platform.started().get()) {
            ctx.next();
          } else {
            ctx.fail(
                new ApiException(
                    503,
                    "starting",
                    "Starting",
                    "Herald is starting; retry shortly",
                    java.util.List.of(),
                    1L));
          }
        };
    Router api = Router.router(vertx);
    api.route().handler(ready);
    BodyHandler body =
        BodyHandler.create(false).setBodyLimit(platform.config().http().bodyLimitBytes());
    BodyHandler bulkBody =
        BodyHandler.create(false).setBodyLimit(platform.config().http().sendBodyLimitBytes());
    Handler<RoutingContext> hold = Uploads.hold();
    api.route()
        .handler(
            ctx -> {
              HttpMethod method = ctx.request().method();
              String path = Requests.canonicalPath(ctx);
              if (ImportRoutes.streamed(method, path)
                  || (method == HttpMethod.POST && UploadRoutes.uploadPath(path))) {
                hold.handle(ctx); // streamed to disk by the route, never buffered
              } else {
                (bulk(method, path) ? bulkBody : body).handle(ctx);
              }
            });
    api.post("/auth/login").handler(platform.rateLimits().handler());
    auth.mountPublic(api);
    Authenticator authenticator = new Authenticator(platform.tokens(), users, keys);
    api.route().handler(authenticator);
    api.route().handler(platform.rateLimits().handler());
    auth.mountAuthenticated(api);
    api.route("/accounts*")
        .subRouter(
            new AccountRoutes(pool, new AccountStore(pool), userRoutes, platform.passwords())
                .router(vertx));
    api.route("/users*").subRouter(userRoutes.router(vertx));
    api.route("/api-keys*").subRouter(new ApiKeyRoutes(pool, keys).router(vertx));
    api.route("/audit-logs*").subRouter(new AuditRoutes(new AuditStore(pool)).router(vertx));
    api.route("/senders*").subRouter(new SenderRoutes(vertx, pool, new SenderStore(pool)).router());
    ContactStore contacts = new ContactStore(pool);
    ImportRoutes imports = new ImportRoutes(vertx, platform);
    api.post("/contacts/import").handler(Scoped.require("contacts:write")).handler(imports::create);
    api.route("/contacts*")
        .subRouter(new ContactRoutes(vertx, pool, contacts, new AccountStore(pool)).router());
    api.route("/contact-groups*")
        .subRouter(new GroupRoutes(vertx, pool, new GroupStore(pool), contacts).router());
    api.route("/templates*")
        .subRouter(new TemplateRoutes(vertx, pool, new TemplateStore(pool), contacts).router());
    api.route("/blacklist*")
        .subRouter(
            new BlacklistRoutes(vertx, pool, new BlacklistStore(pool), new AccountStore(pool))
                .router());
    api.route("/jobs*").subRouter(new JobRoutes(vertx, pool).router());
    PhoneNumberRoutes phoneNumbers = new PhoneNumberRoutes(vertx, new AccountStore(pool));
    api.post("/messages/analyze")
        .handler(Scoped.require("messages:read"))
        .respond(phoneNumbers::analyze);
    api.route("/messages*").subRouter(new MessageRoutes(vertx, pool, platform.metrics()).router());
    api.route("/campaigns*").subRouter(new CampaignRoutes(vertx, platform).router());
    api.route("/webhooks*")
        .subRouter(new WebhookRoutes(vertx, pool, platform.config().webhooks()).router());
    api.route("/phone-numbers*").subRouter(phoneNumbers.router());

    // Every provider type's own callback routes (Twilio's status callbacks and inbound SMS, ...).
    SenderStore callbackSenders = new SenderStore(pool);
    Channels.mount(
        root,
        new CallbackContext(
            vertx,
            new BusSink(vertx),
            new CallbackContext.Senders() {
              @Override
              public Future<ChannelSender> byId(UUID id) {
                return callbackSenders.byId(id).map(s -> s == null ? null : s.toChannelSender());
              }

              @Override
              public Future<ChannelSender> active(String provider, JsonObject match) {
                return callbackSenders
                    .activeBySettings(provider, match)
                    .map(s -> s == null ? null : s.toChannelSender());
              }
            },
            platform::publicUrl,
            () -> platform.started().get()));
    // Seed 000's contact list upload, with its path, on the same import jobs.
    root.post("/api/csv/upload")
        .handler(ready)
        .handler(hold)
        .handler(authenticator)
        .handler(platform.rateLimits().handler())
        .handler(Scoped.require("contacts:write"))
        .handler(imports::seedUpload);
    root.route("/api/v1*").subRouter(api);
    return root;
  }

  /**
   * Routes whose bodies may be large (batches of up to 10,000 messages, 100,000 group members) get
   * {@code http.send_body_limit_bytes}; every other route {@code http.body_limit_bytes}.
   */
  static boolean bulk(io.vertx.core.http.HttpMethod method, String path) {
    return (method == io.vertx.core.http.HttpMethod.POST
            && (path.equals("/api/v1/messages") || path.equals("/api/v1/messages/test")))
        || GroupRoutes.bulkPath(path)
        || (method == io.vertx.core.http.HttpMethod.POST && CampaignRoutes.bulkPath(path));
  }
}
