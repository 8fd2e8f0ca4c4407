package herald.channel.voice;

/** The voice channel: calls placed through a voice provider (Asterisk ARI). */
public final class Voice {
  /** The channel name of voice senders, calls and campaigns. */
  public static final String CHANNEL = "voice";

  private Voice() {}
}
