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
}
