package herald.campaign;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.platform.Platform;
import herald.platform.http.JsonInput;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The control routes of {@code /api/v1/campaigns/:id}: start (or seed 003's {@code send}), pause,
 * resume, stop, retry, clone, and seed 003's {@code schedule} and {@code variants}. They parse,
 * call {@link CampaignControl} and render the campaign.
 */
final class ControlRoutes {
  private final Vertx vertx;
  private final AccountStore accounts;
  private final CampaignControl control;

  ControlRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.accounts = new AccountStore(platform.pool());
    this.control = new CampaignControl(vertx, platform.pool(), platform.clock());
  }

  void mount(Router router) {
    router.post("/:id/start").handler(Scoped.require("campaigns:write")).respond(this::start);
    router.post("/:id/send").handler(Scoped.require("campaigns:write")).respond(this::start);
    router
        .post("/:id/pause")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> render(control.pause(Actor.of(ctx), id(ctx))));
    router
        .post("/:id/resume")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> render(control.resume(Actor.of(ctx), id(ctx))));
    router
        .post("/:id/stop")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> render(control.stop(Actor.of(ctx), id(ctx))));
    router
        .post("/:id/retry")
        .handler(Scoped.require("campaigns:write"))
        .respond(ctx -> render(control.retry(Actor.of(ctx), id(ctx))));
    router
        .post("/:id/clone")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.status(201, this::cloneCampaign));
    router.post("/:id/schedule").handler(Scoped.require("campaigns:write")).respond(this::schedule);
    router.post("/:id/variants").handler(Scoped.require("campaigns:write")).respond(this::variants);
  }

  private static UUID id(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", "Campaign");
  }

  private static Future<JsonObject> render(Future<Campaign> campaign) {
    return campaign.map(Campaign::toJson);
  }

  /** What seed 003's send may add to a draft. */
  private record Extra(List<RecipientStore.NewRecipient> recipients, String message) {}

  /** Seed 003's {@code send} may carry {@code recipients} and {@code message} to use. */
  private Future<JsonObject> start(RoutingContext ctx) {
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
    JsonInput in = hasBody ? JsonInput.of(ctx, Set.of("recipients", "message")) : null;
    return accounts
        .getCached(Actor.of(ctx).accountId())
        .compose(
            account ->
                in == null
                    ? Future.succeededFuture(new Extra(null, null))
                    : vertx.executeBlocking(
                        () -> {
                          Extra extra =
                              new Extra(
                                  CampaignInput.recipients(in, CampaignRoutes.region(account)),
                                  CampaignInput.message(in));
                          in.check();
                          return extra;
                        },
                        false))
        .compose(
            extra ->
                render(control.start(Actor.of(ctx), id(ctx), extra.recipients(), extra.message())));
  }

  private Future<JsonObject> cloneCampaign(RoutingContext ctx) {
    UUID id = id(ctx);
    Actor actor = Actor.of(ctx);
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
    String name = null;
    if (hasBody) {
      JsonInput in = JsonInput.of(ctx, Set.of("name"));
      name = in.optionalString("name", 1, 200);
      in.check();
    }
    return render(control.cloneCampaign(actor, id, name));
  }

  private Future<JsonObject> schedule(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Recurrence.FIELDS);
    JsonObject body = ctx.body().asJsonObject();
    return accounts
        .getCached(Actor.of(ctx).accountId())
        .compose(
            account -> {
              Recurrence recurrence = Recurrence.read(in, "", body, CampaignRoutes.zone(account));
              in.check();
              return render(control.schedule(Actor.of(ctx), id(ctx), recurrence));
            });
  }

  private Future<JsonObject> variants(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("variants"));
    List<Variant> variants = CampaignInput.variants(in);
    in.require("variants", "'variants' is required");
    in.check();
    return render(control.variants(Actor.of(ctx), id(ctx), variants));
  }
}
