package herald.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoint secrets and the two signatures every delivery carries: Standard Webhooks' {@code
 * webhook-signature} ({@code v1,} + base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed with the
 * bytes the secret encodes) and seed 003's {@code X-Webhook-Signature} (hex HMAC-SHA256 of the
 * body, keyed with the secret string as shown, prefix included). Cheap enough for the event loop.
 */
public final class Signatures {
  static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9+/]+={0,2}");

  private Signatures() {}

  /** A new secret: {@code whsec_} and the base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * True for {@code whsec_} + base64 of 24 to 64 bytes, the form clients may bring their own in.
   */
  public static boolean isValidSecret(String secret) {
    if (secret == null || !SECRET.matcher(secret).matches()) {
      return false;
    }
    try {
      int length = key(secret).length;
      return length >= 24 && length <= 64;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] key(String secret) {
    return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
  }

  /** The {@code webhook-signature} value: one {@code v1,<base64>} per secret, space-separated. */
  public static String standard(List<String> secrets, String id, long timestamp, String body) {
    byte[] content = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (String secret : secrets) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key(secret), content)));
    }
    return out.toString();
  }

  /** The {@code X-Webhook-Signature} value: lowercase hex, keyed with the full secret string. */
  public static String legacy(String secret, String body) {
    return HexFormat.of()
        .formatHex(
            hmac(secret.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * One HMAC-SHA256 per thread: looking the algorithm up per signature cost almost as much as
   * signing.
   */
  private static final ThreadLocal<Mac> MAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
            }
          });

  private static byte[] hmac(byte[] key, byte[] content) {
    try {
      Mac mac = MAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
