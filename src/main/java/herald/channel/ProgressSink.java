package herald.channel;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * Where a provider reports what happens to an outbound item that takes time, before its outcome: a
 * call ringing, answered, a key pressed. The item's end is its {@link SendOutcome}, recorded by its
 * lane. Called on the provider's context; each future completes once the change is committed.
 */
public interface ProgressSink {
  /** A sink that stores nothing, for channels whose items have no interim states. */
  ProgressSink NONE = (senderId, itemId, state, detail) -> Future.succeededFuture();

  /**
   * Item {@code itemId} of {@code senderId} reached {@code state} (a channel's own word, such as
   * {@code ringing}, {@code answered}, {@code dtmf}); {@code detail} carries what goes with it.
   */
  Future<Void> progress(UUID senderId, UUID itemId, String state, JsonObject detail);

  /**
   * Of {@code itemIds}, live items of {@code senderId}, those whose stop was asked for (a call's
   * {@code DELETE} taken by another node, whose event bus does not reach this one). Providers whose
   * items last long poll it. Default: none.
   */
  default Future<Set<UUID>> stopRequested(UUID senderId, Collection<UUID> itemIds) {
    return Future.succeededFuture(Set.of());
  }
}
