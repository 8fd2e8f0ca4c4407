package herald.channel.sms.twilio;

import herald.channel.Receipt;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * Reading Twilio's message status callbacks: the form Twilio POSTs to a message's {@code
 * StatusCallback} URL ({@code MessageSid}, {@code MessageStatus}, {@code ErrorCode}, ...) signed
 * with {@code X-Twilio-Signature}. Stateless and thread-safe.
 *
 * <p>A route should {@link #verify} first (answering 403 when it fails), then {@link
 * #parseStatusCallback}, hand a non-null receipt to the channel's receipt path and answer 2xx once
 * it is stored. Twilio does not retry a failed status callback by default, so an answer other than
 * 2xx loses that status.
 */
final class TwilioCallbacks {
  /** Final statuses that mean the handset got the message ({@code read} is WhatsApp's). */
  private static final Set<String> DELIVERED = Set.of("delivered", "read");

  /** Final statuses that mean it never will. */
  private static final Set<String> NOT_DELIVERED = Set.of("undelivered", "failed", "canceled");

  private TwilioCallbacks() {}

  /**
   * The delivery receipt a status callback carries.
   *
   * @param form the decoded POST form ({@code request.formAttributes()})
   * @return null for an intermediate status ({@code accepted, scheduled, queued, sending, sent},
   *     ...) or a form without {@code MessageSid}; otherwise a receipt for the message SID: {@code
   *     delivered=true} for {@code delivered} (and {@code read}), {@code delivered=false} for
   *     {@code undelivered}, {@code failed} and {@code canceled}, with {@code status} the Twilio
   *     status and {@code errorCode} the form's {@code ErrorCode} (e.g. {@code 30003}) or null
   */
  static Receipt parseStatusCallback(MultiMap form) {
    String sid = first(form, "MessageSid", "SmsSid");
    String status = first(form, "MessageStatus", "SmsStatus");
    if (sid == null || status == null) {
      return null;
    }
    status = status.toLowerCase(Locale.ROOT);
    if (DELIVERED.contains(status)) {
      return new Receipt(sid, true, status, null);
    }
    if (NOT_DELIVERED.contains(status)) {
      return new Receipt(sid, false, status, first(form, "ErrorCode"));
    }
    return null;
  }

  /**
   * Checks the {@code X-Twilio-Signature} of a webhook in constant time.
   *
   * @param authToken the sender's auth token (the HMAC key); null or blank never verifies
   * @param fullUrl the URL exactly as Twilio requested it: the configured public URL of Herald plus
   *     the request's path and query, not the URL as seen behind a proxy
   * @param form the decoded POST parameters
   * @param signatureHeader the header's value; null never verifies
   * @return true when the signature matches (Twilio's port variants of the URL are accepted)
   */
  static boolean verify(String authToken, String fullUrl, MultiMap form, String signatureHeader) {
    if (authToken == null || authToken.isBlank() || fullUrl == null || signatureHeader == null) {
      return false;
    }
    return TwilioSignature.verify(authToken, fullUrl, form, signatureHeader);
  }

  private static String first(MultiMap form, String... names) {
    for (String name : names) {
      String value = form.get(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }
}
