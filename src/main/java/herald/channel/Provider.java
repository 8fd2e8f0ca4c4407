package herald.channel;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One sender's connection to its provider, opened by its {@link ProviderType} and driven by the
 * sender's outbound lane. Implementations own their connections and threads; {@link #start}, {@link
 * #send} and {@link #close} are called on the lane's event loop and their futures complete on it.
 * What the provider receives (receipts, inbound messages) goes to the {@link InboundSink} it was
 * opened with.
 */
public interface Provider {
  /** Starts connecting; never fails because the provider is down (sends report that instead). */
  Future<Void> start();

  /**
   * Sends one item (all its parts); the outcome says sent, retry, paused or failed. Should not
   * fail: errors are outcomes (a failed future counts as a transient {@code channel_error}).
   */
  Future<SendOutcome> send(OutboundItem item);

  /**
   * How many sends may be under way at once (SMPP: the window of outstanding submit_sm; voice: the
   * concurrent-call cap); the lane holds each slot until the send's outcome is recorded.
   */
  default int capacity() {
    return 50;
  }

  /**
   * The most sends a second the provider itself allows (voice: calls per second); the lane paces at
   * the lower of this and the sender's rate. Default: no limit of its own.
   */
  default int maxRatePerSecond() {
    return Integer.MAX_VALUE;
  }

  /**
   * Whether an outcome says the provider itself is in trouble (so the lane's guard counts it), not
   * one recipient. By default: every PAUSED and RETRY outcome.
   */
  default boolean isProviderFailure(SendOutcome outcome) {
    return outcome.kind() == SendOutcome.Kind.PAUSED || outcome.kind() == SendOutcome.Kind.RETRY;
  }

  /**
   * Connection state and provider-specific details for {@code GET /senders/{id}/status}; may be
   * called from any thread.
   */
  JsonObject status();

  /** Disconnects and releases threads. */
  Future<Void> close();
}
