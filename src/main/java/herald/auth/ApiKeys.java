package herald.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API key material. A key is {@code hk_<prefix>_<secret>}: the prefix (12 characters) finds the row
 * and is shown in lists; the whole key is stored only as its SHA-256 hash. Keys carry 192 random
 * bits, so a fast hash is safe here, unlike passwords, and keeps per-request authentication cheap.
 */
public final class ApiKeys {
  public static final String MARK = "hk_";
  private static final int PREFIX_LENGTH = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new key: the text shown once, and what is stored. */
  public record Generated(String key, String prefix, byte[] hash) {}

  private ApiKeys() {}

  public static Generated generate() {
    byte[] prefixBytes = new byte[9];
    byte[] secretBytes = new byte[24];
    RANDOM.nextBytes(prefixBytes);
    RANDOM.nextBytes(secretBytes);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String prefix = b64.encodeToString(prefixBytes).replace('-', 'x').replace('_', 'y');
    String key = MARK + prefix + "_" + b64.encodeToString(secretBytes);
    return new Generated(key, prefix, hash(key));
  }

  /** The prefix of a presented key, or null when it is not shaped like one of ours. */
  public static String prefixOf(String key) {
    if (key.length() < MARK.length() + PREFIX_LENGTH + 2
        || !key.startsWith(MARK)
        || key.charAt(MARK.length() + PREFIX_LENGTH) != '_') {
      return null;
    }
    return key.substring(MARK.length(), MARK.length() + PREFIX_LENGTH);
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Constant-time comparison of a presented key with a stored hash. */
  public static boolean matches(String key, byte[] storedHash) {
    return MessageDigest.isEqual(hash(key), storedHash);
  }
}
