package herald.sim.twilio;

/**
 * Counts SMS segments the way carriers bill them (3GPP TS 23.038 and 23.040): GSM 7-bit when every
 * character is in the default alphabet or its extension table (extension characters take two
 * septets: the escape and the character), 160 septets in one segment and 153 per segment once
 * concatenated; otherwise UCS-2, 70 UTF-16 units in one segment and 67 per part. An escape sequence
 * or a surrogate pair is never split across two segments.
 */
final class Segments {
  /** The GSM 03.38 default alphabet, without the escape (0x1B). */
  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  /** The extension table: each costs two septets. */
  private static final String EXTENDED = "\f^{}\\[~]|€";

  private Segments() {}

  /** True when the text can be sent in the GSM 7-bit alphabet. */
  static boolean isGsm7(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (BASIC.indexOf(c) < 0 && EXTENDED.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The number of segments; an empty text (a media-only message) counts as one. */
  static int count(String text) {
    return isGsm7(text) ? count(text, true, 160, 153) : count(text, false, 70, 67);
  }

  private static int count(String text, boolean gsm, int single, int perPart) {
    int total = 0;
    for (int i = 0; i < text.length(); i += gsm ? 1 : Character.charCount(text.codePointAt(i))) {
      total += width(text, i, gsm);
    }
    if (total <= single) {
      return 1;
    }
    int segments = 1;
    int used = 0;
    for (int i = 0; i < text.length(); i += gsm ? 1 : Character.charCount(text.codePointAt(i))) {
      int width = width(text, i, gsm);
      if (used + width > perPart) {
        segments++;
        used = 0;
      }
      used += width;
    }
    return segments;
  }

  /** Septets (GSM) or UTF-16 units (UCS-2) of the character at {@code index}. */
  private static int width(String text, int index, boolean gsm) {
    if (gsm) {
      return EXTENDED.indexOf(text.charAt(index)) >= 0 ? 2 : 1;
    }
    return Character.charCount(text.codePointAt(index));
  }
}
