package herald.channel.sms;

/** The SMS channel: its name, as messages and senders carry it. */
public final class Sms {
  /** The channel's name in the {@code channel} column of messages and senders. */
  public static final String CHANNEL = "sms";

  private Sms() {}
}
