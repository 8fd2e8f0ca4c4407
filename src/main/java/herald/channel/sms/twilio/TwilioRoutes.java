package herald.channel.sms.twilio;

import herald.channel.CallbackContext;
import herald.channel.ChannelSender;
import herald.channel.InboundText;
import herald.channel.Receipt;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.JsonInput;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
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
 *       go to the inbound sink like SMPP receipts and are answered once committed.
 *   <li>{@code POST /api/v1/inbound/twilio/sms}: inbound SMS, found by AccountSid and To, handed to
 *       the inbound sink (STOP/START/HELP handling) and answered with empty TwiML.
 * </ul>
 */
final class TwilioRoutes {
  private static final long BODY_LIMIT = 64 * 1024;
  private static final String TWIML =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

  private final CallbackContext context;

  TwilioRoutes(CallbackContext context) {
    this.context = context;
  }

  /** The status-callback URL Herald gives Twilio for a sender. */
  static String statusUrl(String publicUrl, UUID senderId) {
    return publicUrl + "/webhooks/twilio/" + senderId + "/status";
  }

  void mount(Router root) {
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
    root.post("/api/v1/inbound/twilio/sms")
        .handler(form)
        .handler(noNul)
        .handler(ctx -> inbound(ctx, TWIML));
  }

  /**
   * The same inbound SMS handling at another {@code path} (a compatibility prefix), answering
   * {@code twiml} instead of empty TwiML. Signatures are checked against that path's URL.
   */
  void mountInbound(Router root, String path, String twiml) {
    root.post(path)
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(
            ctx -> {
              JsonInput.checkForm(ctx.request().formAttributes());
              ctx.next();
            })
        .handler(ctx -> inbound(ctx, twiml));
  }

  private void status(RoutingContext ctx) {
    UUID senderId = Ids.parse(ctx.pathParam("senderId"));
    MultiMap params = ctx.request().formAttributes();
    (senderId == null ? Future.<ChannelSender>succeededFuture() : context.senders().byId(senderId))
        .compose(sender -> verified(ctx, sender, params))
        .compose(
            sender -> {
              Receipt receipt = TwilioCallbacks.parseStatusCallback(params);
              if (receipt == null) {
                return Future.succeededFuture();
              }
              return Future.fromCompletionStage(
                  context.sink().receipt(sender.id(), receipt), ctx.vertx().getOrCreateContext());
            })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void inbound(RoutingContext ctx, String twiml) {
    if (!context.started().getAsBoolean()) {
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
    context
        .senders()
        .active("twilio", new JsonObject().put("account_sid", accountSid).put("from", to))
        .compose(sender -> verified(ctx, sender, params))
        .compose(
            sender ->
                Future.fromCompletionStage(
                    context.sink().inbound(new InboundText(sender.id(), from, to, body)),
                    ctx.vertx().getOrCreateContext()))
        .onSuccess(v -> ctx.response().putHeader("Content-Type", "text/xml").end(twiml))
        .onFailure(ctx::fail);
  }

  /**
   * The sender, if the request carries its valid signature; 403 otherwise (also for unknown
   * senders).
   */
  private Future<ChannelSender> verified(
      RoutingContext ctx, ChannelSender sender, MultiMap params) {
    String url = context.publicUrl().get() + ctx.request().uri();
    if (sender == null
        || !"twilio".equals(sender.provider())
        || !TwilioCallbacks.verify(
            sender.secrets().getString("auth_token"),
            url,
            params,
            ctx.request().getHeader(TwilioSignature.HEADER))) {
      return Future.failedFuture(ApiException.forbidden("Invalid or missing X-Twilio-Signature"));
    }
    return Future.succeededFuture(sender);
  }
}
