package herald.platform.config;

/**
 * Replies to the opt-out keywords of inbound SMS. STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT
 * put the sender's number on the account's blacklist and confirm once; START and UNSTOP take it
 * off; HELP and INFO answer with {@code helpText}.
 */
public record SmsConfig(String stopReply, String startReply, String helpText) {

  static SmsConfig from(ConfigNode node) {
    return new SmsConfig(
        node.string("stop_reply"), node.string("start_reply"), node.string("help_text"));
  }
}
