package herald.channel.voice.ari;

import io.vertx.core.json.JsonObject;

/**
 * What a call's IVR run or agent bridge may do with the call it belongs to; implemented by {@link
 * AriProvider} for each live call. Everything runs on the lane's context.
 */
interface CallHost {
  /** Herald's call id. */
  String callId();

  /** The callee's (customer's) ARI channel id. */
  String channelId();

  /** The callee's number. */
  String number();

  /** The sender's ARI client. */
  AriClient ari();

  /** The sender's settings. */
  AriType.Settings settings();

  /** Whether the call asked for {@code record: true}. */
  boolean recordWanted();

  /** Writes the call's progress (in order with its other writes). */
  void write(String state, JsonObject detail);

  /** Hangs the customer's channel up (the call ends on its ChannelDestroyed). */
  void hangup();

  /** Runs {@code action} after {@code ms} unless the call has ended; answers the timer id. */
  long timer(long ms, Runnable action);

  /** Cancels a timer of {@link #timer}. */
  void cancel(long timerId);

  /** Bridges the caller to an agent ({@code {type, value, timeout_seconds}}). */
  void transfer(JsonObject agent);
}
