package herald.channel.whatsapp.cloud;

import herald.channel.SendOutcome.Kind;
import java.util.Set;

/**
 * What a Cloud API error code means for Herald: the outcome kind of a send that got it and the
 * error code Herald records. Codes from Meta's error-code reference.
 */
final class CloudErrors {
  /** Throughput or pair rate limits and transient server errors: back off and send again. */
  static final Set<Integer> RETRY = Set.of(1, 2, 4, 80007, 130429, 131000, 131048, 131056, 133004);

  /** Bad or expired token, missing permission, locked account: the sender, not the message. */
  static final Set<Integer> SENDER = Set.of(0, 3, 10, 190, 131005, 131031);

  /** Codes about one recipient (the pair rate limit): they do not count against the sender. */
  static final Set<Integer> RECIPIENT_LEVEL = Set.of(131056);

  static final String OUTSIDE_WINDOW = "outside_customer_service_window";
  static final String UNDELIVERABLE = "undeliverable";
  static final String AUTH = "whatsapp_auth";

  private CloudErrors() {}

  /** Herald's error code for a Cloud API code (131047 and 131026 by name, others numbered). */
  static String code(int code) {
    return switch (code) {
      case 131047 -> OUTSIDE_WINDOW;
      case 131026 -> UNDELIVERABLE;
      default -> "whatsapp_" + code;
    };
  }

  /** The outcome of a send answered with HTTP {@code status} and Graph error {@code code}. */
  static Kind kind(int status, Integer code) {
    if (code != null && SENDER.contains(code) || status == 401 || status == 403) {
      return Kind.PAUSED;
    }
    if (code != null && RETRY.contains(code) || status == 429 || status >= 500) {
      return Kind.RETRY;
    }
    return Kind.FAILED;
  }
}
