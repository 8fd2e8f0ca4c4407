package herald.platform.config;

/**
 * Replies to the opt-out keywords of inbound SMS. STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT
 * put the sender's number on the account's blacklist and confirm once; START and UNSTOP take it
 * off; HELP and INFO answer with {@code helpText}.
 */
public record SmsConfig(String stopReply, String startReply, String helpText) {

  static SmsConfig from(ConfigNode node) {
    return new SmsConfig(
        node.string(
            "stop_reply",
            "You are unsubscribed and will receive no more messages. Reply START to resubscribe."),
        node.string("start_reply", "You are subscribed again. Reply STOP to unsubscribe."),
        node.string("help_text", "Reply STOP to unsubscribe, START to resubscribe."));
  }
}
