package herald.compat.whatsappgateway;

import herald.compat.whatsappgateway.Gateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** Seed 002's campaigns, their CSV template, preview and export, and their actions. */
final class Campaigns {
  private final Gateway gw;

  Campaigns(Gateway gw) {
    this.gw = gw;
  }

  void createCampaign(RoutingContext ctx) {
    gw.respond(
        ctx,
        Gateway.jsonObject(ctx)
            .compose(
                in -> {
                  return gw.session(ctx, in.getString("sessionId"))
                      .compose(
                          s -> {
                            JsonObject campaign =
                                new JsonObject()
                                    .put("name", in.getValue("name"))
                                    .put("channel", "whatsapp")
                                    .put("sender_ids", new JsonArray().add(s.getString("id")));
                            if (in.getValue("scheduledAt") != null) {
                              campaign.put("scheduled_at", in.getValue("scheduledAt"));
                            }
                            JsonObject message = in.getJsonObject("message", new JsonObject());
                            if ("template".equals(message.getString("type"))) {
                              campaign.put("content", message);
                            } else if ("text".equals(message.getString("type"))
                                && message.getValue("content") instanceof String text) {
                              campaign.put(
                                  "content",
                                  new JsonObject()
                                      .put("type", "text")
                                      .put("text", new JsonObject().put("body", text)));
                            } else if (in.containsKey("message")) {
                              campaign.put("message", in.getValue("message"));
                            }
                            if (in.containsKey("recipients")) {
                              campaign.put("recipients", in.getValue("recipients"));
                            }
                            Object delay =
                                in.getJsonObject("settings", new JsonObject())
                                    .getValue("delayBetweenMessages");
                            if (delay != null) {
                              campaign.put("delay_between_messages_ms", delay);
                            }
                            return gw.call(ctx, HttpMethod.POST, "/api/v1/campaigns", campaign);
                          })
                      .map(
                          c ->
                              new Reply(
                                  201,
                                  Gateway.success("Campaign created.")
                                      .put("campaign", campaign(c))));
                }));
  }

  void listCampaigns(RoutingContext ctx) {
    gw.respond(
        ctx,
        gw.all(ctx, "/api/v1/campaigns")
            .compose(
                list -> {
                  List<Future<JsonObject>> views = new ArrayList<>();
                  for (JsonObject c : list) {
                    if ("whatsapp".equals(c.getString("channel"))) {
                      views.add(
                          gw.call(
                                  ctx,
                                  HttpMethod.GET,
                                  "/api/v1/campaigns/" + c.getString("id") + "/stats",
                                  null)
                              .map(stats -> campaign(c.copy().put("stats", stats))));
                    }
                  }
                  return Future.all(views).map(all -> new Reply(200, new JsonArray(all.list())));
                }));
  }

  /** Herald's campaign in the gateway's list shape. */
  static JsonObject campaign(JsonObject c) {
    JsonObject stats = c.getJsonObject("stats", new JsonObject());
    long total = stats.getLong("total", c.getLong("recipient_count", 0L));
    return new JsonObject()
        .put("id", c.getString("id"))
        .put("name", c.getString("name"))
        .put("status", c.getString("status"))
        .put("createdBy", c.getValue("created_by"))
        .put("createdAt", c.getValue("created_at"))
        .put("scheduledAt", c.getValue("scheduled_at"))
        .put("recipientCount", total)
        .put(
            "statistics",
            new JsonObject()
                .put("sent", stats.getLong("sent", 0L))
                .put("failed", stats.getLong("failed", 0L))
                .put("total", total));
  }

  void campaignAction(RoutingContext ctx, String action) {
    String id = ctx.pathParam("id");
    String heraldAction = action.equals("send") ? "start" : action;
    gw.respond(
        ctx,
        Gateway.jsonBodyOrEmpty(ctx)
            .compose(
                body ->
                    gw.call(
                        ctx,
                        HttpMethod.POST,
                        "/api/v1/campaigns/" + Gateway.encode(id) + "/" + heraldAction,
                        body))
            .map(
                c ->
                    new Reply(
                        action.equals("clone") ? 201 : 200,
                        Gateway.success("Campaign " + action + " done.")
                            .put("campaign", campaign(c)))));
  }

  void deleteCampaign(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    gw.respond(
        ctx,
        gw.call(ctx, HttpMethod.DELETE, "/api/v1/campaigns/" + Gateway.encode(id), null)
            .map(x -> new Reply(200, Gateway.success("Campaign " + id + " deleted."))));
  }

  void csvTemplate(RoutingContext ctx) {
    Gateway.passThrough(
        ctx, gw.herald.json(ctx.request(), HttpMethod.GET, "/api/v1/campaigns/csv-template", null));
  }

  void exportCampaign(RoutingContext ctx) {
    Gateway.passThrough(
        ctx,
        gw.herald.json(
            ctx.request(),
            HttpMethod.GET,
            "/api/v1/campaigns/" + Gateway.encode(ctx.pathParam("id")) + "/export",
            null));
  }

  void previewCsv(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    gw.respond(
        ctx,
        gw.herald.stream(req, HttpMethod.POST, "/api/v1/campaigns/preview-csv?limit=100", req)
            .compose(Reply::orFail)
            .map(
                a -> {
                  JsonObject p = a.json();
                  JsonArray recipients = new JsonArray();
                  for (Object o : p.getJsonArray("recipients", new JsonArray())) {
                    JsonObject row = (JsonObject) o;
                    if (!row.getBoolean("valid", false)) {
                      continue;
                    }
                    JsonObject r = new JsonObject().put("number", row.getString("phone_number"));
                    row.getJsonObject("data", new JsonObject())
                        .forEach(e -> r.put(e.getKey(), e.getValue()));
                    recipients.add(r);
                  }
                  return new Reply(
                      200,
                      new JsonObject()
                          .put("success", true)
                          .put("recipients", recipients)
                          .put("errors", p.getJsonArray("errors", new JsonArray()))
                          .put("totalRows", p.getValue("total_rows"))
                          .put("validRows", p.getValue("valid_rows")));
                }));
  }
}
