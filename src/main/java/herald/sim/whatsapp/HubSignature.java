package herald.sim.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's webhook signature: {@code X-Hub-Signature-256: sha256=<hex>}, the lower-case hex
 * HMAC-SHA256 of the raw request body keyed with the app secret.
 */
final class HubSignature {
  static final String HEADER = "X-Hub-Signature-256";

  private HubSignature() {}

  /** The header value for {@code body}. */
  static String header(String appSecret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmac(appSecret, body));
  }

  /** The hex HMAC-SHA256 of a UTF-8 string. */
  static String hex(String key, String data) {
    return HexFormat.of().formatHex(hmac(key, data.getBytes(StandardCharsets.UTF_8)));
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
