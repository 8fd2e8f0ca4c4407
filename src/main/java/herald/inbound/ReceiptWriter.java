package herald.inbound;

import herald.channel.Receipt;
import herald.message.ReceiptStore;
import herald.platform.database.GroupCommit;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Applies delivery receipts through a {@link GroupCommit}: one transaction per receiving sender per
 * flush, at most two flushes under way, so receipts arriving meanwhile wait and make the next batch
 * larger (the busier the provider, the fewer transactions per receipt). Each receipt's future
 * completes when it is committed.
 */
final class ReceiptWriter {
  private static final GroupCommit.Options OPTIONS =
      new GroupCommit.Options(Duration.ZERO, 2, 2_000, false);

  private final GroupCommit<UUID, Receipt, List<ReceiptStore.Settled>> group;

  /**
   * @param siblings the senders sharing a sender's provider account (receipts may arrive on any of
   *     their connections), itself included
   * @param settled told about the messages each committed batch settled
   */
  ReceiptWriter(
      Context context,
      ReceiptStore receipts,
      Function<UUID, List<UUID>> siblings,
      Consumer<List<ReceiptStore.Settled>> settled) {
    this.group =
        new GroupCommit<>(
            context,
            OPTIONS,
            (senderId, batch) ->
                receipts
                    .applyReceipts(senderId, siblings.apply(senderId), batch)
                    .onSuccess(settled::accept));
  }

  /** Thread-safe; completes (on the writer's context) once the receipt is committed. */
  Future<List<ReceiptStore.Settled>> add(UUID senderId, Receipt receipt) {
    return group.submit(senderId, receipt);
  }
}
