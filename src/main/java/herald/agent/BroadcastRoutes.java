package herald.agent;

import herald.audit.Actor;
import herald.campaign.Broadcasts;
import herald.contact.ContactStore;
import herald.platform.Platform;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /api/v1/broadcasts} {@code {message, tiers?, group_ids?, channel?, name?}}: one text
 * to the account's active contacts of the given tiers and contact groups, run as a campaign
 * (pacing, quiet hours, blacklist, results and status are the campaign's: {@code GET
 * /api/v1/campaigns/{id}/status}). At least one of {@code tiers} and {@code group_ids} is needed.
 */
public final class BroadcastRoutes {
  private static final int MAX_RECIPIENTS = 100_000;

  private final Vertx vertx;
  private final ContactStore contacts;
  private final Broadcasts broadcasts;

  public BroadcastRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.contacts = new ContactStore(platform.pool());
    this.broadcasts = new Broadcasts(vertx, platform.pool(), platform.clock());
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.status(202, this::broadcast));
    return router;
  }

  private Future<JsonObject> broadcast(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonInput in =
        JsonInput.of(ctx, Set.of("message", "tiers", "group_ids", "channel", "name", "sender_id"));
    String message = in.requiredString("message", 1, 1600);
    List<String> tiers = in.optionalStringList("tiers", 100, 100);
    List<String> groups = in.optionalStringList("group_ids", 1000, 64);
    String channel = in.optionalString("channel", 1, 32);
    String name = in.optionalString("name", 1, 200);
    String sender = in.optionalString("sender_id", 1, 64);
    if ((tiers == null || tiers.isEmpty()) && (groups == null || groups.isEmpty())) {
      in.error("tiers", "required", "give 'tiers', 'group_ids' or both");
    }
    in.check();
    return send(actor, message, tiers, groups, channel, name, sender);
  }

  /**
   * Sends {@code message} to the account's active contacts of {@code tiers} and the members of
   * {@code groups} (at least one of them non-empty) as a campaign started at once; answers the
   * campaign's id, its status and how many contacts the tiers matched.
   */
  public Future<JsonObject> send(
      Actor actor,
      String message,
      List<String> tiers,
      List<String> groups,
      String channel,
      String name,
      String sender) {
    Future<JsonArray> numbers =
        tiers == null || tiers.isEmpty()
            ? Future.succeededFuture(new JsonArray())
            : contacts
                .activeNumbersOfTiers(actor.accountId(), tiers, MAX_RECIPIENTS + 1)
                .map(JsonArray::new);
    return numbers.compose(
        recipients -> {
          if (recipients.size() > MAX_RECIPIENTS) {
            throw ApiException.validation(
                "tiers", "too_many", "more than " + MAX_RECIPIENTS + " contacts; use groups");
          }
          if (recipients.isEmpty() && (groups == null || groups.isEmpty())) {
            throw ApiException.validation(
                "tiers",
                "no_recipients",
                "no active contact has these tiers, and no group_ids were given");
          }
          JsonObject campaign =
              new JsonObject()
                  .put("name", name != null ? name : "Broadcast " + Instant.now())
                  .put("message", message);
          if (channel != null) {
            campaign.put("channel", channel);
          }
          if (sender != null) {
            campaign.put("sender_id", sender);
          }
          if (!recipients.isEmpty()) {
            campaign.put("recipients", recipients);
          }
          if (groups != null && !groups.isEmpty()) {
            campaign.put("audience", new JsonObject().put("group_ids", new JsonArray(groups)));
          }
          return broadcasts
              .createAndStart(actor, campaign)
              .map(
                  started ->
                      new JsonObject()
                          .put("id", started.getString("id"))
                          .put("campaign_id", started.getString("id"))
                          .put("tiers", tiers == null ? null : new JsonArray(tiers))
                          .put("group_ids", groups == null ? null : new JsonArray(groups))
                          .put("tier_recipients", recipients.size())
                          .put("status", started.getString("status")));
        });
  }
}
