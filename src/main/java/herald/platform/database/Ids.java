package herald.platform.database;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Public identifiers: UUIDv7 (RFC 9562). Time-ordered, so they index well and sort by creation,
 * with 74 random bits, so they cannot be guessed.
 */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static UUID newId() {
    long millis = System.currentTimeMillis();
    long randA = RANDOM.nextInt(1 << 12);
    long msb = (millis << 16) | 0x7000L | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** Parses an id from a URL or body; null when it is not a UUID (callers answer 404 or 422). */
  public static UUID parse(String text) {
    if (text == null || text.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
