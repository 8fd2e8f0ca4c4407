package herald.channel.sms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SMS text encoding per 3GPP TS 23.038: GSM 7-bit default alphabet (with its extension table, whose
 * characters take two septets) when every character fits, UCS-2 otherwise. Splits long texts into
 * concatenated segments exactly as handsets count them: 160/153 septets, 70/67 UTF-16 units, never
 * splitting an escape sequence or a surrogate pair across two segments.
 */
public enum Encoding {
  GSM_7("GSM-7", 160, 153),
  UCS_2("UCS-2", 70, 67);

  /** The basic GSM 03.38 table: index = septet value. */
  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  /** Extension table characters and their septet after the 0x1B escape. */
  private static final String EXTENDED = "\f^{}\\[~]|€";

  private static final byte[] EXTENDED_CODES = {
    0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65
  };

  private final String wireName;
  private final int single;
  private final int multi;

  Encoding(String wireName, int single, int multi) {
    this.wireName = wireName;
    this.single = single;
    this.multi = multi;
  }

  /** The name used in the API and the database: {@code GSM-7} or {@code UCS-2}. */
  public String wireName() {
    return wireName;
  }

  public static Encoding fromWire(String name) {
    return name.equals(GSM_7.wireName) ? GSM_7 : UCS_2;
  }

  /** GSM-7 when every character is in the default alphabet or its extension, else UCS-2. */
  public static Encoding detect(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u001b' || (BASIC.indexOf(c) < 0 && EXTENDED.indexOf(c) < 0)) {
        return UCS_2;
      }
    }
    return GSM_7;
  }

  /**
   * Length in this encoding's units: septets for GSM-7 (extension characters count 2), UTF-16 units
   * for UCS-2.
   */
  public int units(String text) {
    if (this == UCS_2) {
      return text.length();
    }
    int septets = 0;
    for (int i = 0; i < text.length(); i++) {
      septets += EXTENDED.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
    }
    return septets;
  }

  /** The texts of the segments a handset would receive; one element when it fits a single SMS. */
  public List<String> split(String text) {
    if (units(text) <= single) {
      return List.of(text);
    }
    List<String> parts = new ArrayList<>();
    int start = 0;
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int width = this == GSM_7 ? (EXTENDED.indexOf(c) >= 0 ? 2 : 1) : 1;
      boolean pairStart = this == UCS_2 && Character.isHighSurrogate(c) && i + 1 < text.length();
      int needed = pairStart ? 2 : width;
      if (used + needed > multi) {
        parts.add(text.substring(start, i));
        start = i;
        used = 0;
      }
      used += width;
      if (pairStart) {
        used += 1;
        i++;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Number of SMS segments the text takes. */
  public int segments(String text) {
    return split(text).size();
  }

  /**
   * The octets of {@code text} for SMPP's {@code short_message}: unpacked GSM 03.38 septets (one
   * per octet, extension characters escaped with 0x1B) for GSM-7, UTF-16BE for UCS-2.
   */
  public byte[] encode(String text) {
    if (this == UCS_2) {
      return text.getBytes(StandardCharsets.UTF_16BE);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int basic = BASIC.indexOf(c);
      if (basic >= 0) {
        out.write(basic);
      } else {
        out.write(0x1B);
        out.write(EXTENDED_CODES[EXTENDED.indexOf(c)]);
      }
    }
    return out.toByteArray();
  }

  /** Decodes {@link #encode} output (and SMPP MO texts in the default alphabet). */
  public String decode(byte[] octets) {
    if (this == UCS_2) {
      return new String(octets, StandardCharsets.UTF_16BE);
    }
    StringBuilder text = new StringBuilder(octets.length);
    for (int i = 0; i < octets.length; i++) {
      int septet = octets[i] & 0x7F;
      if (septet == 0x1B && i + 1 < octets.length) {
        int code = octets[++i] & 0x7F;
        int index = indexOf(EXTENDED_CODES, (byte) code);
        text.append(index >= 0 ? EXTENDED.charAt(index) : ' ');
      } else {
        text.append(BASIC.charAt(septet));
      }
    }
    return text.toString();
  }

  private static int indexOf(byte[] values, byte value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
