package herald;

import herald.account.AccountRoutes;
import herald.account.AccountStore;
import herald.agent.AgentRoutes;
import herald.agent.BroadcastRoutes;
import herald.agent.TaskRoutes;
import herald.agent.TierRoutes;
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
import herald.call.CallRoutes;
import herald.call.CdrRoutes;
import herald.call.RecordingRoutes;
import herald.call.ivr.IvrRoutes;
import herald.campaign.CampaignRoutes;
import herald.channel.CallbackContext;
import herald.channel.ChannelSender;
import herald.channel.registry.Channels;
import herald.channel.sms.twilio.TwilioType;
import herald.compat.aridialer.AriDialerRoutes;
import herald.compat.smsaiagent.SmsAiAgentRoutes;
import herald.compat.whatsappgateway.WhatsAppGatewayRoutes;
import herald.contact.ContactRoutes;
import herald.contact.ContactStore;
import herald.contact.GroupRoutes;
import herald.contact.GroupStore;
import herald.contact.ImportRoutes;
import herald.inbound.BusSink;
import herald.job.JobRoutes;
import herald.media.MediaRoutes;
import herald.media.MediaService;
import herald.message.MessageRoutes;
import herald.monitoring.MonitoringRoutes;
import herald.phone.PhoneNumberRoutes;
import herald.platform.Platform;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.OpenApi;
import herald.platform.http.ProblemHandler;
import herald.platform.http.QueryParams;
import herald.platform.http.RequestIds;
import herald.platform.http.Scoped;
import herald.platform.http.Uploads;
import herald.platform.metrics.MetricsRoutes;
import herald.routing.RuleRoutes;
import herald.sender.SenderRoutes;
import herald.sender.SenderStore;
import herald.template.TemplateRoutes;
import herald.template.TemplateStore;
import herald.webhook.WebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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
    // Seed 004's compatibility prefix answers failures in that seed's error shape.
    root.route(SmsAiAgentRoutes.PREFIX + "*").failureHandler(SmsAiAgentRoutes.errors());
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
    AuthRoutes auth =
        new AuthRoutes(pool, users, platform.passwords(), platform.tokens(), platform.authCache());
    UserRoutes userRoutes = new UserRoutes(pool, users, platform.passwords(), platform.authCache());

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
    // Bodies are read by each domain's router after authentication; until then the request waits.
    Handler<RoutingContext> hold = Uploads.hold();
    api.route().handler(hold);
    Bodies bodies = new Bodies(platform.config().http());
    api.post("/auth/login").handler(platform.rateLimits().handler());
    auth.mountPublic(api, bodies);
    Authenticator authenticator =
        new Authenticator(platform.tokens(), users, keys, platform.authCache());
    api.route().handler(authenticator);
    api.route().handler(platform.rateLimits().handler());
    auth.mountAuthenticated(api, bodies);
    api.route("/accounts*")
        .subRouter(
            new AccountRoutes(
                    pool, new AccountStore(pool), platform.passwords(), platform.authCache())
                .router(vertx, bodies));
    api.route("/users*").subRouter(userRoutes.router(vertx, bodies));
    api.route("/api-keys*")
        .subRouter(new ApiKeyRoutes(pool, keys, platform.authCache()).router(vertx, bodies));
    api.route("/audit-logs*")
        .subRouter(new AuditRoutes(new AuditStore(pool)).router(vertx, bodies));
    api.route("/senders*")
        .subRouter(new SenderRoutes(vertx, pool, new SenderStore(pool)).router(bodies));
    ContactStore contacts = new ContactStore(pool);
    ImportRoutes imports = new ImportRoutes(vertx, platform);
    api.post("/contacts/import").handler(Scoped.require("contacts:write")).handler(imports::create);
    api.route("/contacts*")
        .subRouter(new ContactRoutes(vertx, pool, contacts, new AccountStore(pool)).router(bodies));
    api.route("/contact-groups*")
        .subRouter(new GroupRoutes(vertx, pool, new GroupStore(pool), contacts).router(bodies));
    api.route("/templates*")
        .subRouter(
            new TemplateRoutes(vertx, pool, new TemplateStore(pool), contacts).router(bodies));
    api.route("/blacklist*")
        .subRouter(
            new BlacklistRoutes(vertx, pool, new BlacklistStore(pool), new AccountStore(pool))
                .router(bodies));
    api.route("/jobs*").subRouter(new JobRoutes(vertx, pool).router(bodies));
    PhoneNumberRoutes phoneNumbers = new PhoneNumberRoutes(vertx, new AccountStore(pool));
    phoneNumbers.mount(api, bodies); // before /messages*, which would take /messages/analyze
    MessageRoutes messages = new MessageRoutes(vertx, pool, platform.metrics());
    api.route("/messages*").subRouter(messages.router(bodies));
    MediaService media = new MediaService(vertx, pool, platform.config().dataDir());
    api.route("/media*").subRouter(new MediaRoutes(vertx, platform, media).router(bodies));
    api.route("/campaigns*").subRouter(new CampaignRoutes(vertx, platform).router(bodies));
    api.route("/agents*").subRouter(new AgentRoutes(vertx, pool).router(bodies));
    api.route("/tiers*").subRouter(new TierRoutes(vertx, pool).router(bodies));
    TaskRoutes agentTasks = new TaskRoutes(vertx, pool);
    api.route("/agent-tasks*").subRouter(agentTasks.tasks(bodies));
    api.route("/agent-errors*").subRouter(agentTasks.errors(bodies));
    api.route("/broadcasts*").subRouter(new BroadcastRoutes(vertx, platform).router(bodies));
    api.route("/inbound-rules*").subRouter(new RuleRoutes(vertx, pool).router(bodies));
    api.route("/webhooks*")
        .subRouter(new WebhookRoutes(vertx, pool, platform.config().webhooks()).router(bodies));
    api.route("/calls*").subRouter(new CallRoutes(vertx, pool).router(bodies));
    api.route("/cdrs*").subRouter(new CdrRoutes(vertx, pool).router(bodies));
    api.route("/monitoring*").subRouter(new MonitoringRoutes(vertx, pool).router());
    api.route("/ivr*").subRouter(new IvrRoutes(vertx, pool).router(bodies));
    api.route("/recordings*").subRouter(new RecordingRoutes(vertx, pool).router(bodies));

    // Every provider type's own callback routes (Twilio's status callbacks and inbound SMS, ...).
    SenderStore callbackSenders = new SenderStore(pool);
    CallbackContext callbacks =
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
            () -> platform.started().get(),
            media);
    Channels.mount(root, callbacks);
    // Seed 000's contact list upload, with its path, on the same import jobs.
    root.post("/api/csv/upload")
        .handler(ready)
        .handler(hold)
        .handler(authenticator)
        .handler(platform.rateLimits().handler())
        .handler(Scoped.require("contacts:write"))
        .handler(imports::seedUpload);
    // Seed 004's (the SMS-to-AI Agent's) API on Herald's contacts, tiers and agent tasks; its
    // Twilio webhook is Twilio's inbound handling answering the seed's TwiML acknowledgement.
    TwilioType.mountInbound(
        root, callbacks, SmsAiAgentRoutes.PREFIX + "/sms/receive", SmsAiAgentRoutes.SMS_RECEIVED);
    // its token endpoint is Herald's login: the session token then works as "Token <token>"
    root.post(SmsAiAgentRoutes.PREFIX + "/auth/token")
        .handler(ready)
        .handler(hold)
        .handler(platform.rateLimits().handler());
    root.post(SmsAiAgentRoutes.PREFIX + "/auth/token")
        .handler(bodies.standard())
        .respond(ctx -> SmsAiAgentRoutes.token(ctx, auth));
    root.route(SmsAiAgentRoutes.PREFIX + "*")
        .subRouter(
            new SmsAiAgentRoutes(
                    vertx, platform, messages, () -> pool.query("SELECT 1").execute().mapEmpty())
                .router(bodies, ready, hold, authenticator, platform.rateLimits().handler()));
    root.route("/api/v1*").subRouter(api);
    // Seed 002's WhatsApp Gateway API, translated onto the routes above.
    root.route(WhatsAppGatewayRoutes.PREFIX + "*")
        .subRouter(new WhatsAppGatewayRoutes(vertx).router());
    // Seed 001's ARI Dialer API, translated onto the routes above.
    root.route(AriDialerRoutes.PREFIX + "*").subRouter(new AriDialerRoutes(vertx).router());
    return root;
  }
}
