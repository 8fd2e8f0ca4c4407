package herald.outbound;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;

/**
 * A lane's capacity: at most {@code size} messages between being handed to the provider and having
 * their outcome recorded. The provider's own window (SMPP's outstanding submit_sm; a voice
 * provider's concurrent-call cap) is the same size, so after a crash at most this many messages can
 * have been accepted by the provider without Herald knowing, which bounds what a restart sends
 * twice.
 *
 * <p>Used on its lane's event loop only.
 */
final class SendWindow {
  private final int size;
  private final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
  private int used;

  SendWindow(int size) {
    this.size = Math.max(1, size);
  }

  /** Completes when a slot is free; the caller must {@link #release()} it. */
  Future<Void> acquire() {
    if (used < size) {
      used++;
      return Future.succeededFuture();
    }
    Promise<Void> slot = Promise.promise();
    waiting.add(slot);
    return slot.future();
  }

  /** Slots taken now (read by metrics from another thread: a stale value is fine). */
  int inUse() {
    return used;
  }

  int size() {
    return size;
  }

  /** Frees a slot, handing it straight to the longest waiter if there is one. */
  void release() {
    Promise<Void> next = waiting.poll();
    if (next != null) {
      next.complete();
    } else {
      used--;
    }
  }
}
