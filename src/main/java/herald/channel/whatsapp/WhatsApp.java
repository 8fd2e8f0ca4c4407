package herald.channel.whatsapp;

/** The WhatsApp channel: its name, as messages and senders carry it. */
public final class WhatsApp {
  /** The channel's name in the {@code channel} column of messages and senders. */
  public static final String CHANNEL = "whatsapp";

  private WhatsApp() {}
}
