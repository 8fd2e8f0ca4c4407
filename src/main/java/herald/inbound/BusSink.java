package herald.inbound;

import herald.channel.InboundSink;
import herald.channel.InboundText;
import herald.channel.Receipt;
import herald.channel.StatusUpdate;
import herald.platform.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The inbound sink for provider callbacks that arrive over HTTP (Twilio's status callbacks and
 * inbound webhooks): hands each item over the local event bus to a lane verticle's {@link
 * InboundPipeline}, which holds the sender registry, and completes once that pipeline committed it.
 */
public final class BusSink implements InboundSink {
  private static final DeliveryOptions LOCAL =
      new DeliveryOptions().setLocalOnly(true).setSendTimeout(15_000);

  private final Vertx vertx;

  public BusSink(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public CompletableFuture<Void> receipt(UUID senderId, Receipt r) {
    JsonObject body =
        new JsonObject()
            .put("sender_id", senderId.toString())
            .put("provider_id", r.providerId())
            .put("delivered", r.delivered())
            .put("status", r.status())
            .put("error_code", r.errorCode());
    return vertx
        .eventBus()
        .request(Addresses.INBOUND_RECEIPT, body, LOCAL)
        .<Void>mapEmpty()
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public CompletableFuture<Boolean> status(UUID senderId, StatusUpdate s) {
    JsonObject body =
        new JsonObject()
            .put("sender_id", senderId.toString())
            .put("provider_id", s.providerId())
            .put("status", s.status())
            .put("error_code", s.errorCode())
            .put("error_message", s.errorMessage())
            .put("pricing", s.pricing());
    return vertx
        .eventBus()
        .<Boolean>request(Addresses.INBOUND_STATUS, body, LOCAL)
        .map(reply -> Boolean.TRUE.equals(reply.body()))
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public CompletableFuture<Void> inbound(InboundText m) {
    JsonObject body =
        new JsonObject()
            .put("sender_id", m.senderId().toString())
            .put("from", m.from())
            .put("to", m.to())
            .put("text", m.text())
            .put("provider_id", m.providerId())
            .put("content", m.content());
    return vertx
        .eventBus()
        .request(Addresses.INBOUND_MESSAGE, body, LOCAL)
        .<Void>mapEmpty()
        .toCompletionStage()
        .toCompletableFuture();
  }

  /** The receipt a {@link #receipt} request carries. */
  public static Receipt receiptOf(JsonObject body) {
    return new Receipt(
        body.getString("provider_id"),
        body.getBoolean("delivered"),
        body.getString("status"),
        body.getString("error_code"));
  }

  /** The status a {@link #status} request carries. */
  public static StatusUpdate statusOf(JsonObject body) {
    return new StatusUpdate(
        body.getString("provider_id"),
        body.getString("status"),
        body.getString("error_code"),
        body.getString("error_message"),
        body.getJsonObject("pricing"));
  }

  /** The message an {@link #inbound} request carries. */
  public static InboundText messageOf(JsonObject body) {
    return new InboundText(
        UUID.fromString(body.getString("sender_id")),
        body.getString("from"),
        body.getString("to"),
        body.getString("text"),
        body.getString("provider_id"),
        body.getJsonObject("content"));
  }
}
