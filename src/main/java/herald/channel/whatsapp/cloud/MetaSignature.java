package herald.channel.whatsapp.cloud;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's webhook signature: {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw
 * request body keyed with the app secret. Stateless and thread-safe.
 */
final class MetaSignature {
  static final String HEADER = "X-Hub-Signature-256";

  private MetaSignature() {}

  /**
   * Whether {@code header} is the signature of {@code body} under {@code appSecret}, compared in
   * constant time; a null or blank secret or header never verifies.
   */
  static boolean verify(String appSecret, byte[] body, String header) {
    if (appSecret == null || appSecret.isBlank() || header == null) {
      return false;
    }
    String expected = "sha256=" + HexFormat.of().formatHex(hmac(appSecret, body));
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        header.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] hmac(String key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
