package herald.campaign;

import herald.platform.Platform;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/**
 * A campaign's results: {@code GET /campaigns/{id}/stats}, {@code /recipients} (cursor pages,
 * filtered by status) and {@code /export} (streaming CSV). Another account's campaign answers 404.
 */
final class ResultsRoutes {
  private final Platform platform;
  private final CampaignStore campaigns;

  ResultsRoutes(Platform platform, CampaignStore campaigns) {
    this.platform = platform;
    this.campaigns = campaigns;
  }

  void mount(Router router) {
    router.get("/:id/stats").handler(Scoped.require("campaigns:read")).respond(this::stats);
    router
        .get("/:id/recipients")
        .handler(Scoped.require("campaigns:read"))
        .respond(this::recipients);
    router.get("/:id/export").handler(Scoped.require("campaigns:read")).handler(this::export);
    router
        .get("/:id/recipients/:seq/calls")
        .handler(Scoped.require("campaigns:read"))
        .respond(this::attempts);
  }

  /** A voice campaign recipient's attempts: each a call, with its CDR once it has ended. */
  private Future<JsonObject> attempts(RoutingContext ctx) {
    String seqText = ctx.pathParam("seq");
    long seq = seqText.matches("[0-9]{1,18}") ? Long.parseLong(seqText) : -1;
    return campaign(ctx)
        .compose(
            c -> {
              if (!c.spec().voice() || seq < 0) {
                throw ApiException.notFound("Recipient not found");
              }
              return VoiceStore.recipient(platform.pool(), c.id(), seq)
                  .compose(
                      r -> {
                        if (r == null) {
                          throw ApiException.notFound("Recipient not found");
                        }
                        return VoiceResults.attempts(platform.pool(), c, seq)
                            .map(calls -> r.put("calls", calls));
                      });
            });
  }

  private Future<Campaign> campaign(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Campaign");
    return campaigns
        .get(Requests.principal(ctx).accountId(), id)
        .map(c -> Responses.found(c, "Campaign"));
  }

  private Future<JsonObject> stats(RoutingContext ctx) {
    Integer buckets = buckets(ctx);
    return campaign(ctx)
        .compose(
            c ->
                c.spec().voice()
                    ? VoiceStore.stats(platform.pool(), c)
                    : CampaignStats.compute(
                        platform.pool(), c, platform.config().campaigns(), buckets));
  }

  private static Integer buckets(RoutingContext ctx) {
    String text = ctx.queryParams().get("buckets");
    if (text == null) {
      return null;
    }
    int n = text.matches("[0-9]{1,5}") ? Integer.parseInt(text) : -1;
    if (n < 1 || n > CampaignStats.MAX_BUCKETS) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "buckets",
                  "invalid_value",
                  "buckets must be a whole number from 1 to " + CampaignStats.MAX_BUCKETS)));
    }
    return n;
  }

  private Future<JsonObject> recipients(RoutingContext ctx) {
    RecipientPage page = RecipientPage.from(ctx);
    return campaign(ctx)
        .compose(
            c ->
                c.spec().voice()
                    ? VoiceStore.page(platform.pool(), c.id(), page.afterSeq(), page.limit() + 1)
                        .map(rows -> VoiceResults.page(page, rows))
                    : ResultsStore.page(
                            platform.pool(),
                            c.id(),
                            page.status(),
                            page.afterSeq(),
                            page.limit() + 1)
                        .map(page::page));
  }

  private void export(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    Future<Campaign> found;
    try {
      found = campaign(ctx);
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    found
        .compose(
            c ->
                c.spec().voice()
                    ? VoiceExport.stream(platform.pool(), c, response)
                    : RecipientExport.stream(platform.pool(), c, response))
        .onSuccess(v -> response.end())
        .onFailure(
            err -> {
              if (response.headWritten()) {
                response.reset(); // the client must not mistake a cut-off file for a complete one
              } else {
                ctx.fail(err);
              }
            });
  }
}
