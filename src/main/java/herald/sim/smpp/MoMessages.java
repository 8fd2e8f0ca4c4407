package herald.sim.smpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the deliver_sm PDUs of a mobile-originated text, as a handset's network would send it: GSM
 * 7-bit (data_coding 0x00, unpacked) when every character is in the GSM alphabet, UCS-2 (0x08)
 * otherwise; a text longer than one SMS (160 septets, or 70 UCS-2 units) is split into parts of 153
 * septets or 67 units, each with a concatenation UDH (IEI 0x00) and UDHI set. Parts never split a
 * GSM escape sequence or a UTF-16 surrogate pair. Stateless and thread-safe.
 */
final class MoMessages {
  private static final int SINGLE_SEPTETS = 160;
  private static final int PART_SEPTETS = 153;
  private static final int SINGLE_OCTETS = 140;
  private static final int PART_OCTETS = 134;
  private static final byte DCS_GSM7 = 0x00;
  private static final byte DCS_UCS2 = 0x08;
  private static final byte ESM_UDHI = 0x40;

  private MoMessages() {}

  /**
   * The deliver_sm parts for {@code text} from {@code from} to {@code to}.
   *
   * @param ref concatenation reference for a multi-part text (only the low 8 bits are used)
   * @throws IllegalArgumentException if an address is empty or too long for SMPP, or the text needs
   *     more than 255 parts
   */
  static List<OutboundSm> parts(String from, String to, String text, int ref) {
    checkAddress("from", from);
    checkAddress("to", to);
    boolean gsm = Gsm7.canEncode(text);
    byte dcs = gsm ? DCS_GSM7 : DCS_UCS2;
    byte[] body = gsm ? Gsm7.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
    List<byte[]> chunks =
        body.length <= (gsm ? SINGLE_SEPTETS : SINGLE_OCTETS) ? List.of(body) : split(body, gsm);
    if (chunks.size() > 255) {
      throw new IllegalArgumentException("text needs " + chunks.size() + " parts, at most 255");
    }
    List<OutboundSm> parts = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      byte[] octets = chunks.get(i);
      byte esm = 0;
      if (chunks.size() > 1) {
        byte[] udh = Udh.concat8(ref, chunks.size(), i + 1);
        byte[] withUdh = Arrays.copyOf(udh, udh.length + octets.length);
        System.arraycopy(octets, 0, withUdh, udh.length, octets.length);
        octets = withUdh;
        esm = ESM_UDHI;
      }
      parts.add(
          new OutboundSm(
              false,
              "MO from " + from,
              ton(from),
              npi(from),
              from,
              ton(to),
              npi(to),
              to,
              esm,
              dcs,
              octets));
    }
    return parts;
  }

  private static List<byte[]> split(byte[] body, boolean gsm) {
    List<byte[]> chunks = new ArrayList<>();
    int at = 0;
    while (at < body.length) {
      int end = Math.min(body.length, at + (gsm ? PART_SEPTETS : PART_OCTETS));
      if (end < body.length) {
        if (gsm && body[end - 1] == Gsm7.ESCAPE) {
          end--; // keep the escape with the character it introduces
        } else if (!gsm && Character.isHighSurrogate(utf16At(body, end - 2))) {
          end -= 2;
        }
      }
      chunks.add(Arrays.copyOfRange(body, at, end));
      at = end;
    }
    return chunks;
  }

  private static char utf16At(byte[] octets, int at) {
    return (char) ((octets[at] & 0xFF) << 8 | octets[at + 1] & 0xFF);
  }

  private static void checkAddress(String name, String address) {
    if (address == null || address.isEmpty() || address.length() > (digits(address) ? 20 : 11)) {
      throw new IllegalArgumentException(name + " must be 1-20 digits or 1-11 characters");
    }
  }

  // Long digit strings are international numbers, short ones short codes, anything else a name.
  private static byte ton(String address) {
    if (!digits(address)) {
      return 5; // alphanumeric
    }
    return (byte) (address.length() > 6 ? 1 : 0); // international : unknown
  }

  private static byte npi(String address) {
    return (byte) (digits(address) ? 1 : 0); // ISDN : unknown
  }

  private static boolean digits(String address) {
    return address.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
