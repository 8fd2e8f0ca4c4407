package herald.inbound;

import herald.channel.ContentFormat;
import herald.channel.registry.Channels;
import herald.channel.sms.Encoding;
import herald.event.EventType;
import herald.message.MessageStore;
import herald.message.ServiceWindows;
import herald.platform.database.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;

/**
 * Stores an inbound message with its {@code message.received} event and runs the handler chain on
 * it, all in one transaction: the chain is an ordered list (opt-out keywords first), so later steps
 * (an AI agent) plug in behind without touching the ones before.
 */
public final class InboundMessages {
  private final Pool pool;
  private final List<InboundHandler> chain;

  /**
   * @param chain the steps in order
   */
  public InboundMessages(Pool pool, List<InboundHandler> chain) {
    this.pool = pool;
    this.chain = List.copyOf(chain);
  }

  /**
   * Stores one inbound message received by a sender and runs the chain; answers whether some step
   * queued a reply.
   *
   * @param ourNumber the number it was sent to (the sender's address)
   */
  public Future<Boolean> store(
      UUID accountId, UUID senderId, String channel, String from, String ourNumber, String text) {
    return store(accountId, senderId, channel, from, ourNumber, text, null, null);
  }

  /**
   * {@link #store} for a message with the provider's id and typed content (WhatsApp). A message
   * whose provider id this sender already stored (a redelivered webhook) is dropped: nothing is
   * written and the chain does not run. For channels with a customer-service window the contact's
   * window is opened in the same transaction.
   *
   * @param providerId the provider's message id, or null
   * @param content the typed content, or null
   */
  public Future<Boolean> store(
      UUID accountId,
      UUID senderId,
      String channel,
      String from,
      String ourNumber,
      String text,
      String providerId,
      io.vertx.core.json.JsonObject content) {
    UUID id = Ids.newId();
    ContentFormat format = Channels.contentFormat(channel);
    boolean sms = content == null && (format == null || format.serviceWindow() == null);
    Encoding encoding = Encoding.detect(text);
    MessageStore.NewMessage message =
        new MessageStore.NewMessage(
            id,
            senderId,
            ourNumber,
            from,
            text,
            sms ? encoding.wireName() : null,
            sms ? encoding.segments(text) : 1,
            null,
            null,
            null,
            content);
    InboundHandler.Received received =
        new InboundHandler.Received(id, accountId, senderId, channel, from, ourNumber, text);
    boolean window = format != null && format.serviceWindow() != null;
    return pool.withTransaction(
        tx ->
            MessageStore.claimInbound(tx, senderId, providerId)
                .compose(
                    fresh -> {
                      if (!fresh) {
                        return Future.succeededFuture(false);
                      }
                      return MessageStore.insert(
                              tx,
                              accountId,
                              "inbound",
                              "received",
                              List.of(message),
                              EventType.MESSAGE_RECEIVED)
                          .compose(v -> MessageStore.setProviderId(tx, id, providerId))
                          .compose(
                              v ->
                                  window
                                      ? ServiceWindows.open(tx, senderId, from)
                                      : Future.succeededFuture())
                          .compose(v -> run(tx, received, 0, false));
                    }));
  }

  private Future<Boolean> run(
      io.vertx.sqlclient.SqlClient tx, InboundHandler.Received m, int step, boolean queued) {
    if (step >= chain.size()) {
      return Future.succeededFuture(queued);
    }
    return chain
        .get(step)
        .handle(tx, m)
        .compose(
            handled ->
                handled.stop()
                    ? Future.succeededFuture(queued || handled.replyQueued())
                    : run(tx, m, step + 1, queued || handled.replyQueued()));
  }
}
