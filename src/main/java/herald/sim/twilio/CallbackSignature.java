package herald.sim.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Twilio signs the requests it sends: the callback URL followed by every form parameter, name
 * then value, in case-sensitive order of name; HMAC-SHA1 keyed with the account's auth token;
 * base64 in {@code X-Twilio-Signature}. The simulator's own implementation of Twilio's published
 * algorithm, so a mistake in Herald's verifier cannot hide behind a shared signer.
 */
final class CallbackSignature {
  static final String HEADER = "X-Twilio-Signature";

  private CallbackSignature() {}

  static String of(String authToken, String url, Map<String, String> form) {
    String signed =
        url
            + form.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(e -> e.getKey() + e.getValue())
                .reduce("", String::concat);
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}
