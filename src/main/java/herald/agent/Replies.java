package herald.agent;

import herald.channel.sms.Encoding;
import herald.event.EventType;
import herald.message.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Queues a reply to an inbound message on the sender and number it came in on, in the caller's
 * transaction, and fits reply texts to the channel: an SMS reply is cut to the agent's segment
 * limit, any reply to the tier's longest reply.
 */
public final class Replies {
  private static final String MORE = "...";

  private Replies() {}

  /**
   * Queues {@code text} to {@code to} from {@code ourNumber} through {@code senderId} (of {@code
   * channel}, which shapes the message) with id {@code messageId} ({@code message.queued} event
   * included). Like the opt-out confirmations it bypasses the blacklist: it answers a message the
   * number just sent.
   */
  public static Future<Void> queue(
      SqlClient tx,
      UUID messageId,
      UUID accountId,
      UUID senderId,
      String channel,
      String to,
      String ourNumber,
      String text,
      JsonObject metadata) {
    return MessageStore.insert(
        tx,
        accountId,
        "outbound",
        "queued",
        List.of(
            MessageStore.textReply(
                messageId,
                senderId,
                channel,
                to,
                ourNumber,
                text,
                metadata.copy().put("auto_reply", true))),
        EventType.MESSAGE_QUEUED);
  }

  /**
   * {@code text} cut to at most {@code maxChars} characters (when not null) and, on the SMS
   * channel, to {@code maxSegments} segments; a cut text ends with "...", after a whole word when
   * one fits.
   */
  public static String fit(String text, String channel, int maxSegments, Integer maxChars) {
    String out = text.strip();
    if (maxChars != null && out.length() > maxChars) {
      out = cut(out, Math.max(0, maxChars - MORE.length()));
    }
    if ("sms".equals(channel)) {
      Encoding encoding = Encoding.detect(out);
      if (encoding.segments(out) > maxSegments) {
        int low = 0;
        int high = out.length();
        while (low < high) {
          int mid = (low + high + 1) / 2;
          if (encoding.segments(out.substring(0, mid) + MORE) <= maxSegments) {
            low = mid;
          } else {
            high = mid - 1;
          }
        }
        out = cut(out, low);
      }
    }
    return out;
  }

  /** The first {@code length} characters, back to a word boundary when one is near, plus "...". */
  private static String cut(String text, int length) {
    if (text.length() <= length) {
      return text;
    }
    String head = text.substring(0, length);
    int space = head.lastIndexOf(' ');
    if (space > length * 2 / 3) {
      head = head.substring(0, space);
    }
    if (!head.isEmpty() && Character.isHighSurrogate(head.charAt(head.length() - 1))) {
      head = head.substring(0, head.length() - 1);
    }
    return head.stripTrailing() + MORE;
  }

  /**
   * The category a model's classification answer names: one of {@code categories}, compared without
   * case, surrounding space, quotes and final punctuation; null when it names none.
   */
  static String category(String answer, List<String> categories) {
    if (answer == null) {
      return null;
    }
    String cleaned =
        answer.strip().replaceAll("^[\\s\"'`*]+|[\\s\"'`*.!]+$", "").toLowerCase(Locale.ROOT);
    for (String category : categories) {
      if (category.toLowerCase(Locale.ROOT).equals(cleaned)) {
        return category;
      }
    }
    return null;
  }
}
