package herald.campaign;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.platform.http.JsonInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * Campaigns created and started in one call, for other domains that send one text to an audience
 * they chose (the AI agents' broadcasts by tier): the campaign is read exactly as {@code POST
 * /api/v1/campaigns} reads it (same validation, same 422s) and started as {@code POST
 * /campaigns/{id}/start} starts it.
 */
public final class Broadcasts {
  private final Vertx vertx;
  private final CampaignService service;
  private final CampaignControl control;
  private final AccountStore accounts;
  private final Pool pool;

  public Broadcasts(Vertx vertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.service = new CampaignService(vertx, pool, clock);
    this.control = new CampaignControl(vertx, pool, clock);
    this.accounts = new AccountStore(pool);
  }

  /**
   * Creates the campaign {@code campaign} (a body of {@code POST /api/v1/campaigns}) and starts it
   * at once; answers the started campaign's JSON.
   */
  public Future<JsonObject> createAndStart(Actor actor, JsonObject campaign) {
    JsonInput in = JsonInput.of(campaign, CampaignInput.FIELDS);
    return accounts
        .getCached(actor.accountId())
        .compose(
            account ->
                vertx.executeBlocking(
                    () ->
                        CampaignInput.read(
                            in, CampaignRoutes.region(account), CampaignRoutes.zone(account)),
                    false))
        .compose(parsed -> service.create(actor, parsed))
        .compose(created -> control.start(actor, created.id(), null, null))
        .map(Campaign::toJson);
  }

  /**
   * The status of the account's campaign {@code id} (what {@code GET /api/v1/campaigns/{id}/status}
   * answers), or null when the account has none.
   */
  public Future<JsonObject> status(java.util.UUID accountId, java.util.UUID id) {
    return new CampaignStore(pool)
        .get(accountId, id)
        .compose(c -> c == null ? Future.succeededFuture(null) : CampaignResults.status(pool, c));
  }
}
