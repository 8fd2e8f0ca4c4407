package herald.channel;

import java.util.concurrent.CompletableFuture;

/**
 * Where providers hand what they receive: delivery receipts and inbound messages. Thread-safe (a
 * provider may call it from a thread of its own); each future completes once what was handed over
 * is committed, so a provider acknowledges only what Herald has stored.
 */
public interface InboundSink {
  /** A receipt that arrived through {@code senderId}'s connection. */
  CompletableFuture<Void> receipt(java.util.UUID senderId, Receipt receipt);

  /**
   * A status report of a provider that reports every step (see {@link StatusUpdate}). Completes
   * with true once applied (or known not to be Herald's), false when its message is still being
   * recorded as sent: the provider should deliver it again later.
   */
  CompletableFuture<Boolean> status(java.util.UUID senderId, StatusUpdate update);

  /** An inbound message, stored and passed through the inbound handler chain. */
  CompletableFuture<Void> inbound(InboundText message);
}
