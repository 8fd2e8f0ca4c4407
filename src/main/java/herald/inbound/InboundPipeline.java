package herald.inbound;

import herald.channel.ChannelSender;
import herald.channel.InboundSink;
import herald.channel.InboundText;
import herald.channel.ProviderType;
import herald.channel.Receipt;
import herald.channel.StatusUpdate;
import herald.channel.registry.Channels;
import herald.message.ReceiptStore;
import herald.platform.bus.Addresses;
import herald.platform.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The inbound sink of one lane verticle: receipts of every provider go to a {@link ReceiptWriter}
 * (group commit), inbound messages to {@link InboundMessages} (stored, then the handler chain);
 * when a step queued a reply, the sender's lane is woken. Thread-safe: providers call it on their
 * own threads, work runs on {@code context}.
 */
public final class InboundPipeline implements InboundSink {
  /** The senders it serves, as the lane verticle's registry knows them. */
  public interface Senders {
    /** The active sender of this id from the registry, or null. */
    ChannelSender get(UUID id);

    /**
     * The active sender of this id, from the database when the registry has not loaded it yet (a
     * sender created a moment ago), or null.
     */
    Future<ChannelSender> load(UUID id);

    /** The active senders sharing {@code id}'s provider account, itself included. */
    List<UUID> sharingAccount(UUID id);
  }

  private final Context context;
  private final Senders senders;
  private final Metrics metrics;
  private final ReceiptWriter receipts;
  private final InboundMessages messages;
  private final ReceiptStore statuses;

  public InboundPipeline(
      Context context, Pool pool, Senders senders, Metrics metrics, List<InboundHandler> chain) {
    this.context = context;
    this.senders = senders;
    this.metrics = metrics;
    this.messages = new InboundMessages(pool, chain);
    this.statuses = new ReceiptStore(pool);
    this.receipts = new ReceiptWriter(context, statuses, senders::sharingAccount, this::count);
  }

  @Override
  public CompletableFuture<Void> receipt(UUID senderId, Receipt receipt) {
    return receipts
        .add(senderId, receipt)
        .<Void>mapEmpty()
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public CompletableFuture<Boolean> status(UUID senderId, StatusUpdate update) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    context.runOnContext(
        v ->
            statuses
                .applyStatus(senderId, update)
                .onSuccess(done::complete)
                .onFailure(done::completeExceptionally));
    return done;
  }

  @Override
  public CompletableFuture<Void> inbound(InboundText m) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v ->
            senders
                .load(m.senderId())
                .compose(sender -> store(sender, m))
                .onSuccess(x -> done.complete(null))
                .onFailure(done::completeExceptionally));
    return done;
  }

  private Future<Void> store(ChannelSender sender, InboundText m) {
    if (sender == null) {
      return Future.failedFuture("unknown sender " + m.senderId());
    }
    ProviderType<?> type = Channels.type(sender.provider());
    String ourNumber =
        m.to() == null || m.to().isEmpty()
            ? (type == null ? null : type.sourceAddress(sender.settings()))
            : m.to();
    return messages
        .store(
            sender.accountId(),
            sender.id(),
            sender.channel(),
            m.from(),
            ourNumber,
            m.text(),
            m.providerId(),
            m.content())
        .map(
            replyQueued -> {
              if (replyQueued) {
                context
                    .owner()
                    .eventBus()
                    .publish(Addresses.MESSAGES_QUEUED, sender.id().toString());
              }
              return null;
            });
  }

  /** Counts messages settled by receipts (delivered, undelivered) and records their lag. */
  void count(List<ReceiptStore.Settled> settled) {
    for (ReceiptStore.Settled s : settled) {
      String channel = channelOf(s.senderId());
      metrics.messages(channel, s.senderId(), s.status(), 1);
      metrics.receiptLag(channel, s.senderId(), s.lagSeconds());
    }
  }

  private String channelOf(UUID senderId) {
    ChannelSender sender = senders.get(senderId);
    return sender == null ? Channels.DEFAULT_CHANNEL : sender.channel();
  }

  /** The settled-message counter, for the outcome recorder's receipts applied at sent time. */
  public java.util.function.Consumer<List<ReceiptStore.Settled>> settledCounter() {
    return this::count;
  }
}
