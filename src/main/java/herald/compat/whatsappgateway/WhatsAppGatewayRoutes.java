package herald.compat.whatsappgateway;

import herald.platform.http.Uploads;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * Seed 002's WhatsApp Gateway API under {@code /compat/whatsapp-gateway}: its V1 routes at {@code
 * /api/v1/...} and its legacy routes at {@code /api/...}, so a client of the gateway changes only
 * its base URL. Each route parses the gateway's shape, calls the Herald route that does the work
 * (over loopback, with the caller's credentials) and renders the gateway's shape; it holds no state
 * and no rules of its own. A session is a {@code whatsapp_cloud} sender named after the session.
 */
public final class WhatsAppGatewayRoutes {
  public static final String PREFIX = "/compat/whatsapp-gateway";

  private final Vertx vertx;
  private final Sessions sessions;
  private final Webhooks webhooks;
  private final Messages messages;
  private final Campaigns campaigns;

  public WhatsAppGatewayRoutes(Vertx vertx) {
    this.vertx = vertx;
    Gateway gw = new Gateway(vertx);
    this.sessions = new Sessions(gw);
    this.webhooks = new Webhooks(gw);
    this.messages = new Messages(gw);
    this.campaigns = new Campaigns(gw);
  }

  /** The router to mount at {@value #PREFIX}. */
  public Router router() {
    Router r = Router.router(vertx);
    // Nothing of a body is read (or lost) until the route asks for it.
    r.route().handler(Uploads.hold());
    r.post("/api/v1/sessions").handler(sessions::createSession);
    r.get("/api/v1/sessions").handler(sessions::listSessions);
    r.get("/api/v1/sessions/:sessionId").handler(sessions::getSession);
    r.get("/api/v1/sessions/:sessionId/qr").handler(sessions::qr);
    r.get("/api/v1/qr").handler(sessions::qr);
    r.delete("/api/v1/sessions/:sessionId").handler(sessions::deleteSession);
    r.post("/api/v1/webhook").handler(webhooks::setWebhook);
    r.get("/api/v1/webhook").handler(webhooks::getWebhook);
    r.delete("/api/v1/webhook").handler(webhooks::deleteWebhook);
    r.post("/api/v1/media").handler(messages::uploadMedia);
    r.post("/api/v1/messages").handler(messages::sendMessages);
    r.delete("/api/v1/message").handler(messages::deleteMessage);
    r.get("/api/v1/campaigns/csv-template").handler(campaigns::csvTemplate);
    r.post("/api/v1/campaigns/preview-csv").handler(campaigns::previewCsv);
    r.post("/api/v1/campaigns").handler(campaigns::createCampaign);
    r.get("/api/v1/campaigns").handler(campaigns::listCampaigns);
    r.get("/api/v1/campaigns/:id/export").handler(campaigns::exportCampaign);
    for (String action : List.of("send", "pause", "resume", "retry", "clone")) {
      r.post("/api/v1/campaigns/:id/" + action)
          .handler(ctx -> campaigns.campaignAction(ctx, action));
    }
    r.delete("/api/v1/campaigns/:id").handler(campaigns::deleteCampaign);
    r.post("/api/send-message").handler(messages::legacyJson);
    r.post("/api/message").handler(messages::legacyForm);
    return r;
  }
}
