package herald.channel.sms;

import herald.message.OutboundSms;
import herald.message.SendOutcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One sender's connection to an SMS provider. Implementations own their connections and threads;
 * the futures they return complete on the channel verticle's event loop.
 */
interface SmsProvider {
  /** Starts connecting; never fails because the provider is down (sends report that instead). */
  Future<Void> start();

  /** Sends one message (all its parts); the outcome says sent, retry, paused or failed. */
  Future<SendOutcome> send(OutboundSms message);

  /**
   * How many sends may be under way at once (SMPP: the window of outstanding submit_sm); the
   * channel holds each slot until the send's outcome is recorded.
   */
  default int window() {
    return 50;
  }

  /** Connection state and provider-specific details for {@code GET /senders/{id}/status}. */
  JsonObject status();

  /** Disconnects and releases threads. */
  Future<Void> close();
}
