package herald.outbound;

import herald.channel.OutboundItem;
import herald.channel.SendOutcome;
import herald.message.MessageQueueStore;
import herald.message.ReceiptStore;
import herald.platform.config.EngineConfig;
import herald.platform.database.GroupCommit;
import herald.platform.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of send outcomes: records each outcome as soon as the provider answers it, through
 * a {@link GroupCommit} keyed by sender (outcomes arriving while a record is under way go into the
 * next one; at most two under way, one transaction per sender each). Recording as the answers come
 * keeps the messages a crash could send twice (submitted, not yet recorded) to about the provider's
 * window, and lets most receipts find their message already sent. A transaction that fails on a
 * deadlock or serialization error is tried again (twice) rather than left to the stale sweep, which
 * would send those messages again.
 *
 * <p>Used on its lane verticle's event loop only.
 */
final class OutcomeRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);
  private static final GroupCommit.Options OPTIONS =
      new GroupCommit.Options(Duration.ZERO, 2, 2_000, false);
  private static final int RETRIES = 2;

  /** One outcome to record. */
  record Pending(OutboundItem item, SendOutcome outcome) {}

  private final MessageQueueStore queue;
  private final EngineConfig config;
  private final Metrics metrics;
  private final Function<UUID, String> channelOf;
  private final Consumer<List<ReceiptStore.Settled>> settled;
  private final GroupCommit<UUID, Pending, List<ReceiptStore.Settled>> group;

  /**
   * @param channelOf each sender's channel, for the counters
   * @param settled told about messages settled by receipts that had arrived before their sent
   *     record
   */
  OutcomeRecorder(
      Context context,
      MessageQueueStore queue,
      EngineConfig config,
      Metrics metrics,
      Function<UUID, String> channelOf,
      Consumer<List<ReceiptStore.Settled>> settled) {
    this.queue = queue;
    this.config = config;
    this.metrics = metrics;
    this.channelOf = channelOf;
    this.settled = settled;
    this.group = new GroupCommit<>(context, OPTIONS, (sender, batch) -> write(sender, batch, 0));
  }

  /** Completes once the outcome (sent, requeued or failed, with its event) is committed. */
  Future<Void> record(UUID senderId, OutboundItem item, SendOutcome outcome) {
    return group.submit(senderId, new Pending(item, outcome)).mapEmpty();
  }

  private Future<List<ReceiptStore.Settled>> write(
      UUID senderId, List<Pending> batch, int attempt) {
    return queue
        .record(
            senderId,
            batch.stream().map(Pending::outcome).toList(),
            batch.stream().map(Pending::item).toList(),
            config.maxAttempts(),
            config::backoff)
        .onSuccess(
            done -> {
              count(senderId, batch);
              settled.accept(done);
            })
        .recover(
            err -> {
              if (attempt < RETRIES && retryable(err)) {
                LOG.debug(
                    "Sender {}: recording outcomes again after {}", senderId, err.getMessage());
                return write(senderId, batch, attempt + 1);
              }
              return Future.failedFuture(err);
            });
  }

  /** Deadlock (40P01) or serialization failure (40001): the transaction is safe to repeat. */
  private static boolean retryable(Throwable err) {
    return err instanceof PgException pg
        && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
  }

  /** Counts the committed transitions of one sender's batch. */
  private void count(UUID senderId, List<Pending> batch) {
    int sent = 0;
    int requeued = 0;
    int failed = 0;
    for (Pending p : batch) {
      if (p.outcome().kind() == SendOutcome.Kind.SENT) {
        sent++;
      } else if (MessageQueueStore.givesUp(
          p.outcome(), p.item().attempts(), config.maxAttempts())) {
        failed++;
      } else {
        requeued++;
      }
    }
    String channel = channelOf.apply(senderId);
    metrics.messages(channel, senderId, "sent", sent);
    metrics.messages(channel, senderId, "requeued", requeued);
    metrics.messages(channel, senderId, "failed", failed);
  }
}
