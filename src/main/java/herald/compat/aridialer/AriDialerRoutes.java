package herald.compat.aridialer;

import herald.compat.aridialer.Envelope.Failure;
import herald.compat.aridialer.Envelope.Reply;
import herald.platform.http.Uploads;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * Seed 001's ARI Dialer REST API under {@value #PREFIX}: campaigns, their numbers, CDRs,
 * monitoring, IVR menus, users and API tokens, in the seed's envelope and pagination, with CORS.
 * Each route translates the seed's fields, calls the Herald route that does the work over loopback
 * with the caller's credentials (so every check, transaction, event and tenancy rule is Herald's),
 * and translates the answer back; it holds no state and no rules of its own. A seed campaign is a
 * Herald voice campaign; its trunk names an existing ARI sender of the account (see docs/voice.md,
 * "Seed 001 compatibility").
 */
public final class AriDialerRoutes {
  public static final String PREFIX = "/compat/ari-dialer/api";

  private final Vertx vertx;
  private final Campaigns campaigns;
  private final Numbers numbers;
  private final Reports reports;
  private final Admin admin;

  public AriDialerRoutes(Vertx vertx) {
    this.vertx = vertx;
    Dialer api = new Dialer(vertx);
    this.campaigns = new Campaigns(api);
    this.numbers = new Numbers(api);
    this.reports = new Reports(api);
    this.admin = new Admin(api);
  }

  /** The router to mount at {@value #PREFIX}. */
  public Router router() {
    Router r = Router.router(vertx);
    r.route().handler(AriDialerRoutes::cors);
    // Nothing of a body is read (or lost) until the route asks for it.
    r.route().handler(Uploads.hold());
    r.get("/").handler(ctx -> run(ctx, admin::info));
    r.get("/campaigns").handler(ctx -> run(ctx, campaigns::listCampaigns));
    r.post("/campaigns").handler(ctx -> run(ctx, campaigns::createCampaign));
    r.get("/campaigns/:id").handler(ctx -> run(ctx, campaigns::getCampaign));
    r.put("/campaigns/:id").handler(ctx -> run(ctx, campaigns::updateCampaign));
    r.delete("/campaigns/:id").handler(ctx -> run(ctx, campaigns::deleteCampaign));
    for (String action : List.of("start", "stop", "pause", "resume")) {
      r.post("/campaigns/:id/" + action)
          .handler(ctx -> run(ctx, c -> campaigns.control(c, action)));
    }
    r.get("/campaigns/:id/stats").handler(ctx -> run(ctx, campaigns::campaignStats));
    r.get("/campaigns/:id/numbers").handler(ctx -> run(ctx, numbers::listNumbers));
    r.post("/campaigns/:id/numbers/bulk").handler(ctx -> run(ctx, numbers::addNumbers));
    r.post("/campaigns/:id/numbers").handler(ctx -> run(ctx, numbers::addNumber));
    r.get("/numbers/:id").handler(ctx -> run(ctx, numbers::getNumber));
    r.delete("/numbers/:id").handler(ctx -> run(ctx, numbers::deleteNumber));
    r.get("/cdr").handler(ctx -> run(ctx, reports::listCdrs));
    r.get("/cdr/stats").handler(ctx -> run(ctx, reports::cdrStats));
    r.get("/cdr/:id").handler(ctx -> run(ctx, reports::getCdr));
    r.get("/monitoring/status").handler(ctx -> run(ctx, reports::monitoringStatus));
    r.get("/monitoring/channels").handler(ctx -> run(ctx, reports::monitoringChannels));
    r.get("/monitoring/realtime").handler(ctx -> run(ctx, reports::realtime));
    r.get("/ivr").handler(ctx -> run(ctx, admin::listIvrs));
    r.get("/ivr/:id").handler(ctx -> run(ctx, admin::getIvr));
    r.delete("/ivr/:id").handler(ctx -> run(ctx, admin::deleteIvr));
    r.get("/users").handler(ctx -> run(ctx, admin::listUsers));
    r.post("/users").handler(ctx -> run(ctx, admin::createUser));
    r.put("/users/:id").handler(ctx -> run(ctx, admin::updateUser));
    r.delete("/users/:id").handler(ctx -> run(ctx, admin::deleteUser));
    r.get("/tokens").handler(ctx -> run(ctx, admin::listTokens));
    r.post("/tokens").handler(ctx -> run(ctx, admin::createToken));
    r.delete("/tokens/:id").handler(ctx -> run(ctx, admin::revokeToken));
    r.route().handler(ctx -> Envelope.fail(ctx, new Failure(404, "Endpoint not found", null)));
    return r;
  }

  /** CORS for browser clients: any origin, the seed's methods and headers; preflights end here. */
  private static void cors(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    ctx.response()
        .putHeader("Access-Control-Allow-Origin", origin == null ? "*" : origin)
        .putHeader("Vary", "Origin");
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      ctx.response()
          .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
          .putHeader("Access-Control-Max-Age", "86400")
          .setStatusCode(204)
          .end();
      return;
    }
    ctx.next();
  }

  private static void run(RoutingContext ctx, Function<RoutingContext, Future<Reply>> route) {
    Future<Reply> reply;
    try {
      reply = route.apply(ctx);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(r -> Envelope.send(ctx, r)).onFailure(err -> Envelope.fail(ctx, err));
  }
}
