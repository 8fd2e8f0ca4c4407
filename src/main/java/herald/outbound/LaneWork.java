package herald.outbound;

import herald.channel.OutboundItem;
import herald.channel.SendOutcome;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * What a lane sends and where its outcomes go: messages for the text channels, calls for voice.
 * Both run on the lane verticle's event loop.
 */
interface LaneWork {
  /** Claims up to {@code max} due items of the sender ({@code SKIP LOCKED}), oldest first. */
  Future<List<OutboundItem>> claim(UUID senderId, int max);

  /** Records one item's outcome; the lane holds the item's slot until this completes. */
  Future<Void> record(UUID senderId, OutboundItem item, SendOutcome outcome);

  /**
   * Whether sends last long (a call: until its channel is destroyed). Then a claimed batch stops
   * counting against the lane's overlapping batches once each of its items holds a slot, so the
   * capacity (the concurrent-call cap), not the batch count, bounds what is under way.
   */
  default boolean longSends() {
    return false;
  }
}
