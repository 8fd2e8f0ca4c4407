package herald.inbound;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/**
 * One step of the inbound handler chain: it sees each inbound message in the transaction that
 * stores it, in chain order (opt-out keywords first), and may write in that transaction (a
 * blacklist entry, a queued reply, an event). A step that answers {@link Handled#stop()} ends the
 * chain for that message.
 */
public interface InboundHandler {
  /**
   * An inbound message as stored.
   *
   * @param ourNumber the address it was sent to (the sender's own when the provider gave none)
   */
  record Received(
      UUID messageId,
      UUID accountId,
      UUID senderId,
      String channel,
      String from,
      String ourNumber,
      String text) {}

  /**
   * What a step did.
   *
   * @param stop whether later steps skip this message (it was a keyword, say)
   * @param replyQueued whether it queued an outbound message (the sender's lane is woken)
   */
  record Handled(boolean stop, boolean replyQueued) {
    public static final Handled CONTINUE = new Handled(false, false);
  }

  Future<Handled> handle(SqlClient tx, Received message);
}
