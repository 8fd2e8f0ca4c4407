package herald.channel.whatsapp.cloud;

import herald.channel.CallbackContext;
import herald.channel.ChannelSender;
import herald.channel.InboundText;
import herald.platform.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's calls into Herald for WhatsApp senders, on the one callback URL a Meta app has, {@code
 * /webhooks/whatsapp}:
 *
 * <ul>
 *   <li>{@code GET}: the verification handshake; answers {@code hub.challenge} when {@code
 *       hub.mode} is {@code subscribe} and {@code hub.verify_token} is an active sender's {@code
 *       verify_token}, 403 otherwise.
 *   <li>{@code POST}: {@code whatsapp_business_account} events, accepted only when {@code
 *       X-Hub-Signature-256} is the HMAC of the raw body under the {@code app_secret} of every
 *       sender the body names (403 otherwise, before anything is applied). Statuses go to the
 *       inbound sink's {@code status} (idempotent), inbound messages to its {@code inbound} (a
 *       redelivered {@code wamid} is dropped), each inbound message is then marked read at Meta,
 *       and the answer is 200 once everything is committed. A status whose message is still being
 *       recorded as sent makes the answer 503, so Meta delivers the webhook again.
 * </ul>
 */
final class WhatsAppWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(WhatsAppWebhooks.class);
  static final String PATH = "/webhooks/whatsapp";
  private static final long BODY_LIMIT = 1024 * 1024;

  private final CallbackContext context;
  private final Map<String, GraphClient> clients = new ConcurrentHashMap<>();

  WhatsAppWebhooks(CallbackContext context) {
    this.context = context;
  }

  void mount(Router root) {
    root.get(PATH).handler(this::verify);
    root.post(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::events);
  }

  private void verify(RoutingContext ctx) {
    String mode = ctx.request().getParam("hub.mode");
    String token = ctx.request().getParam("hub.verify_token");
    String challenge = ctx.request().getParam("hub.challenge");
    if (!"subscribe".equals(mode) || token == null || token.isEmpty() || challenge == null) {
      ctx.fail(ApiException.forbidden("Not a verification request with a known verify token"));
      return;
    }
    context
        .senders()
        .active(WhatsAppCloudType.NAME, new JsonObject().put("verify_token", token))
        .onSuccess(
            sender -> {
              if (sender == null) {
                ctx.fail(ApiException.forbidden("Unknown hub.verify_token"));
              } else {
                ctx.response().putHeader("Content-Type", "text/plain").end(challenge);
              }
            })
        .onFailure(ctx::fail);
  }

  private void events(RoutingContext ctx) {
    if (!context.started().getAsBoolean()) {
      ctx.fail(ApiException.unavailable("Herald is starting"));
      return;
    }
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    JsonObject body;
    try {
      body = raw == null ? null : raw.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      ctx.fail(ApiException.badRequest("The body is not a JSON object"));
      return;
    }
    List<WebhookEvents.Change> changes = WebhookEvents.parse(body);
    if (changes.isEmpty()) {
      acknowledgeOther(ctx, body, raw.getBytes());
      return;
    }
    Map<String, Future<ChannelSender>> lookups = new LinkedHashMap<>();
    changes.forEach(
        c ->
            lookups.computeIfAbsent(
                c.phoneNumberId(),
                id ->
                    context
                        .senders()
                        .active(
                            WhatsAppCloudType.NAME, new JsonObject().put("phone_number_id", id))));
    String signature = ctx.request().getHeader(MetaSignature.HEADER);
    byte[] bytes = raw.getBytes();
    Future.all(new ArrayList<>(lookups.values()))
        .compose(
            all -> {
              Map<String, ChannelSender> senders = new LinkedHashMap<>();
              lookups.forEach(
                  (id, found) -> {
                    if (found.result() != null) {
                      senders.put(id, found.result());
                    }
                  });
              boolean signed =
                  !senders.isEmpty()
                      && senders.values().stream()
                          .allMatch(
                              s ->
                                  MetaSignature.verify(
                                      s.secrets().getString("app_secret"), bytes, signature));
              if (!signed) {
                return Future.failedFuture(
                    ApiException.forbidden("Invalid or missing X-Hub-Signature-256"));
              }
              return apply(ctx, changes, senders);
            })
        .onSuccess(
            complete -> {
              if (complete) {
                ctx.response().setStatusCode(200).end();
              } else {
                ctx.response().setStatusCode(503).putHeader("Retry-After", "1").end();
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * A signed notification of another field (template status, account updates): acknowledged with
   * 200 when it is signed with the app secret of a sender of its business account (so Meta does not
   * retry it and disable the webhook), 403 otherwise; nothing is applied.
   */
  private void acknowledgeOther(RoutingContext ctx, JsonObject body, byte[] bytes) {
    Object entries = body.getValue("entry");
    String wabaId =
        entries instanceof io.vertx.core.json.JsonArray array
                && !array.isEmpty()
                && array.getValue(0) instanceof JsonObject entry
                && entry.getValue("id") instanceof String id
            ? id
            : null;
    if (wabaId == null) {
      ctx.fail(ApiException.forbidden("Invalid or missing X-Hub-Signature-256"));
      return;
    }
    String signature = ctx.request().getHeader(MetaSignature.HEADER);
    context
        .senders()
        .active(WhatsAppCloudType.NAME, new JsonObject().put("waba_id", wabaId))
        .onSuccess(
            sender -> {
              if (sender != null
                  && MetaSignature.verify(
                      sender.secrets().getString("app_secret"), bytes, signature)) {
                ctx.response().setStatusCode(200).end();
              } else {
                ctx.fail(ApiException.forbidden("Invalid or missing X-Hub-Signature-256"));
              }
            })
        .onFailure(ctx::fail);
  }

  /** Applies every change in order; answers false when some status must be delivered again. */
  private Future<Boolean> apply(
      RoutingContext ctx, List<WebhookEvents.Change> changes, Map<String, ChannelSender> senders) {
    Future<Boolean> chain = Future.succeededFuture(true);
    List<Runnable> markRead = new ArrayList<>();
    for (WebhookEvents.Change change : changes) {
      ChannelSender sender = senders.get(change.phoneNumberId());
      if (sender == null) {
        continue;
      }
      for (var status : change.statuses()) {
        chain =
            chain.compose(
                complete ->
                    Future.fromCompletionStage(
                            context.sink().status(sender.id(), status),
                            ctx.vertx().getOrCreateContext())
                        .map(applied -> complete && applied));
      }
      for (WebhookEvents.Inbound message : change.messages()) {
        chain =
            chain.compose(
                complete ->
                    withMedia(sender, message)
                        .compose(
                            content ->
                                Future.fromCompletionStage(
                                    context
                                        .sink()
                                        .inbound(
                                            new InboundText(
                                                sender.id(),
                                                message.from(),
                                                null,
                                                message.text(),
                                                message.id(),
                                                content)),
                                    ctx.vertx().getOrCreateContext()))
                        .map(complete));
        markRead.add(() -> markRead(sender, message.id()));
      }
    }
    return chain.onSuccess(v -> markRead.forEach(Runnable::run));
  }

  /** The largest inbound file kept per message type (WhatsApp's own limits). */
  static long maxBytes(String type) {
    return switch (type) {
      case "image" -> 5L << 20;
      case "audio", "video" -> 16L << 20;
      case "sticker" -> 500L << 10;
      default -> 100L << 20;
    };
  }

  /**
   * The message's content with its media file downloaded from the Cloud API and stored: {@code
   * <type>.media_id} is then Herald's media id. A file over its type's limit is not downloaded
   * ({@code <type>.media_error: too_large}); a download that fails fails the webhook, so Meta
   * delivers it again.
   */
  private Future<JsonObject> withMedia(ChannelSender sender, WebhookEvents.Inbound message) {
    if (message.mediaId() == null || context.media() == null) {
      return Future.succeededFuture(message.content());
    }
    JsonObject content = message.content().copy();
    String type = content.getString("type");
    JsonObject object = content.getJsonObject(type);
    long cap = maxBytes(type);
    WhatsAppCloudType.Settings settings = new WhatsAppCloudType().settings(sender);
    GraphClient graph = client(settings);
    return graph
        .get(message.mediaId() + "?phone_number_id=" + settings.phoneNumberId())
        .compose(
            info -> {
              if (info.statusCode() != 200) {
                return Future.failedFuture(
                    "media " + message.mediaId() + ": HTTP " + info.statusCode());
              }
              JsonObject meta = info.bodyAsJsonObject();
              Number size = meta.getValue("file_size") instanceof Number n ? n : null;
              if (size != null && size.longValue() > cap) {
                object.put("media_error", "too_large");
                return Future.succeededFuture(content);
              }
              return graph
                  .getAbsolute(meta.getString("url"))
                  .compose(
                      file -> {
                        if (file.statusCode() != 200 || file.body() == null) {
                          return Future.failedFuture(
                              "media " + message.mediaId() + ": HTTP " + file.statusCode());
                        }
                        if (file.body().length() > cap) {
                          object.put("media_error", "too_large");
                          return Future.succeededFuture(content);
                        }
                        String mime =
                            meta.getString(
                                "mime_type",
                                object.getString("mime_type", "application/octet-stream"));
                        return context
                            .media()
                            .received(
                                sender,
                                message.mediaId(),
                                mime,
                                object.getString("filename"),
                                file.body())
                            .map(
                                id -> {
                                  object.put("media_id", id.toString());
                                  return content;
                                });
                      });
            });
  }

  /** Tells Meta the user's message was read (blue ticks); a failure is only logged. */
  private void markRead(ChannelSender sender, String wamid) {
    WhatsAppCloudType.Settings settings = new WhatsAppCloudType().settings(sender);
    client(settings)
        .postJson(
            settings.phoneNumberId() + "/messages",
            new JsonObject()
                .put("messaging_product", "whatsapp")
                .put("status", "read")
                .put("message_id", wamid))
        .onSuccess(
            r -> {
              if (r.statusCode() != 200) {
                LOG.debug(
                    "Marking {} read answered {}: {}", wamid, r.statusCode(), r.bodyAsString());
              }
            })
        .onFailure(e -> LOG.debug("Marking {} read failed: {}", wamid, e.toString()));
  }

  private GraphClient client(WhatsAppCloudType.Settings settings) {
    String key =
        settings.graphUrl()
            + "|"
            + settings.apiVersion()
            + "|"
            + Integer.toHexString(settings.accessToken().hashCode());
    return clients.computeIfAbsent(key, k -> new GraphClient(context.vertx(), settings));
  }
}
