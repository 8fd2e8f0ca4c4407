package herald.channel.sms;

import herald.message.Inbound;
import herald.message.MessageQueueStore.Receipt;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.http.ApiException;
import herald.platform.http.JsonInput;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.UUID;

/**
 * Twilio's calls into Herald, authenticated by {@code X-Twilio-Signature} (HMAC-SHA1 of the URL
 * Twilio called and the form, keyed by the sender's auth token) rather than by API key:
 *
 * <ul>
 *   <li>{@code POST /webhooks/twilio/{senderId}/status}: message status callbacks; final statuses
 *       are applied like SMPP receipts and answered once committed.
 *   <li>{@code POST /api/v1/inbound/twilio/sms}: inbound SMS, found by AccountSid and To, stored
 *       (with STOP/START/HELP handling) and answered with empty TwiML.
 * </ul>
 */
public final class TwilioWebhooks {
  private static final long BODY_LIMIT = 64 * 1024;
  private static final String TWIML =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

  private final Vertx vertx;
  private final Platform platform;
  private final SenderStore senders;
  private final Inbound inbound;

  public TwilioWebhooks(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.platform = platform;
    this.senders = new SenderStore(platform.pool());
    this.inbound = new Inbound(platform.pool(), platform.config().sms());
  }

  /** The status-callback URL Herald gives Twilio for a sender. */
  static String statusUrl(String publicUrl, UUID senderId) {
    return publicUrl + "/webhooks/twilio/" + senderId + "/status";
  }

  /** Mounts both routes on the root router; call before the {@code /api/v1} sub-router. */
  public void mount(Router root) {
    BodyHandler form = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    Handler<RoutingContext> noNul =
        ctx -> {
          JsonInput.checkForm(ctx.request().formAttributes());
          ctx.next();
        };
    root.post("/webhooks/twilio/:senderId/status")
        .handler(form)
        .handler(noNul)
        .handler(this::status);
    root.post("/api/v1/inbound/twilio/sms").handler(form).handler(noNul).handler(this::inbound);
  }

  private void status(RoutingContext ctx) {
    UUID senderId = herald.platform.database.Ids.parse(ctx.pathParam("senderId"));
    MultiMap params = ctx.request().formAttributes();
    (senderId == null ? Future.<Sender>succeededFuture() : senders.byId(senderId))
        .compose(sender -> verified(ctx, sender, params))
        .compose(
            sender -> {
              Receipt receipt = TwilioCallbacks.parseStatusCallback(params);
              if (receipt == null) {
                return Future.succeededFuture();
              }
              JsonObject body =
                  new JsonObject()
                      .put("sender_id", sender.id().toString())
                      .put("provider_id", receipt.providerId())
                      .put("delivered", receipt.delivered())
                      .put("status", receipt.status())
                      .put("error_code", receipt.errorCode());
              return vertx
                  .eventBus()
                  .request(
                      Addresses.SMS_RECEIPT, body, new DeliveryOptions().setSendTimeout(15_000))
                  .mapEmpty();
            })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void inbound(RoutingContext ctx) {
    if (!platform.started().get()) {
      ctx.fail(ApiException.unavailable("Herald is starting"));
      return;
    }
    MultiMap params = ctx.request().formAttributes();
    String accountSid = params.get("AccountSid");
    String to = params.get("To");
    String from = params.get("From");
    String body = params.get("Body");
    if (accountSid == null || to == null || from == null || body == null) {
      ctx.fail(ApiException.badRequest("AccountSid, From, To and Body are required"));
      return;
    }
    senders
        .twilioNumber(accountSid, to)
        .compose(sender -> verified(ctx, sender, params))
        .compose(
            sender ->
                inbound
                    .store(sender.accountId(), sender.id(), from, to, body)
                    .map(
                        result -> {
                          if (result.replyQueued()) {
                            vertx
                                .eventBus()
                                .publish(Addresses.MESSAGES_QUEUED, sender.id().toString());
                          }
                          return result;
                        }))
        .onSuccess(v -> ctx.response().putHeader("Content-Type", "text/xml").end(TWIML))
        .onFailure(ctx::fail);
  }

  /**
   * The sender, if the request carries its valid signature; 403 otherwise (also for unknown
   * senders).
   */
  private Future<Sender> verified(RoutingContext ctx, Sender sender, MultiMap params) {
    String url = platform.publicUrl() + ctx.request().uri();
    if (sender == null
        || !"twilio".equals(sender.provider())
        || !TwilioCallbacks.verify(
            sender.secrets().getString("auth_token"),
            url,
            params,
            ctx.request().getHeader("X-Twilio-Signature"))) {
      return Future.failedFuture(ApiException.forbidden("Invalid or missing X-Twilio-Signature"));
    }
    return Future.succeededFuture(sender);
  }
}
