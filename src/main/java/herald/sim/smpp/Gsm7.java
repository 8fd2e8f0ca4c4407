package herald.sim.smpp;

import java.io.ByteArrayOutputStream;

/**
 * The GSM 03.38 default alphabet with its extension table, as SMPP carries it with data_coding 0:
 * one septet per octet (unpacked), an extension character as the escape 0x1B followed by its code.
 * Stateless and thread-safe.
 */
final class Gsm7 {
  /** Escape to the extension table; counts as a septet of its own. */
  static final int ESCAPE = 0x1B;

  // Index = septet value; the escape position holds a placeholder that never matches text.
  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\uFFFFÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  // Pairs of (character, code after the escape).
  private static final String EXTENSION = "\f\n^\u0014{(})\\/[<~=]>|@€e";

  static {
    if (BASIC.length() != 128) {
      throw new ExceptionInInitializerError("GSM basic table must have 128 entries");
    }
  }

  private Gsm7() {}

  /** True when every character of {@code text} is in the basic or the extension table. */
  static boolean canEncode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (basic(c) < 0 && extension(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Unpacked septets of {@code text}, extension characters as two septets.
   *
   * @throws IllegalArgumentException if a character is not in the alphabet
   */
  static byte[] encode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int code = basic(c);
      if (code >= 0) {
        out.write(code);
        continue;
      }
      code = extension(c);
      if (code < 0) {
        throw new IllegalArgumentException("not in the GSM 7-bit alphabet: U+%04X".formatted(+c));
      }
      out.write(ESCAPE);
      out.write(code);
    }
    return out.toByteArray();
  }

  /**
   * Text of unpacked septets {@code from} to the end of {@code septets}. An unknown extension code
   * reads as a space, as 3GPP TS 23.038 asks of receivers.
   */
  static String decode(byte[] septets, int from) {
    StringBuilder text = new StringBuilder(septets.length - from);
    for (int i = from; i < septets.length; i++) {
      int code = septets[i] & 0x7F;
      if (code == ESCAPE && i + 1 < septets.length) {
        int ext = septets[++i] & 0x7F;
        int at = indexOfCode(ext);
        text.append(at < 0 ? ' ' : EXTENSION.charAt(at));
      } else if (code != ESCAPE) {
        text.append(BASIC.charAt(code));
      }
    }
    return text.toString();
  }

  private static int basic(char c) {
    return c == '\uFFFF' ? -1 : BASIC.indexOf(c);
  }

  private static int extension(char c) {
    for (int i = 0; i < EXTENSION.length(); i += 2) {
      if (EXTENSION.charAt(i) == c) {
        return EXTENSION.charAt(i + 1);
      }
    }
    return -1;
  }

  private static int indexOfCode(int code) {
    for (int i = 1; i < EXTENSION.length(); i += 2) {
      if (EXTENSION.charAt(i) == code) {
        return i - 1;
      }
    }
    return -1;
  }
}
