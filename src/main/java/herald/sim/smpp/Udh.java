package herald.sim.smpp;

/**
 * A user data header (3GPP TS 23.040 9.2.3.24) at the start of a short_message whose esm_class has
 * UDHI (0x40) set, with the concatenation element, if any, decoded.
 *
 * @param length octets the header occupies, the UDHL octet included
 * @param concatRef reference shared by the parts of one message (IEI 0x00: 0–255, IEI 0x08:
 *     0–65535), or null without a concatenation element
 * @param concatTotal number of parts, 1–255, or null
 * @param concatSeq this part's number, 1..concatTotal, or null
 */
record Udh(int length, Integer concatRef, Integer concatTotal, Integer concatSeq) {
  static final int IEI_CONCAT_8BIT = 0x00;
  static final int IEI_CONCAT_16BIT = 0x08;

  /** Octets of a header holding only an 8-bit-reference concatenation element. */
  static final int CONCAT_8BIT_LENGTH = 6;

  /**
   * Reads the header at the start of {@code shortMessage}.
   *
   * @throws IllegalArgumentException with the reason if the header is absent, overruns the message,
   *     has a malformed element, repeats the concatenation element, or numbers parts impossibly
   *     (total 0, sequence 0, or sequence above total)
   */
  static Udh parse(byte[] shortMessage) {
    if (shortMessage == null || shortMessage.length < 1) {
      throw new IllegalArgumentException("UDHI set but short_message is empty");
    }
    int udhl = shortMessage[0] & 0xFF;
    int end = 1 + udhl;
    if (udhl < 2 || end > shortMessage.length) {
      throw new IllegalArgumentException("UDHL " + udhl + " does not fit the short_message");
    }
    Integer ref = null;
    Integer total = null;
    Integer seq = null;
    int at = 1;
    while (at < end) {
      if (at + 2 > end) {
        throw new IllegalArgumentException("truncated information element at octet " + at);
      }
      int iei = shortMessage[at] & 0xFF;
      int iedl = shortMessage[at + 1] & 0xFF;
      int data = at + 2;
      if (data + iedl > end) {
        throw new IllegalArgumentException("element 0x%02X overruns the header".formatted(iei));
      }
      if (iei == IEI_CONCAT_8BIT || iei == IEI_CONCAT_16BIT) {
        int refOctets = iei == IEI_CONCAT_8BIT ? 1 : 2;
        if (iedl != refOctets + 2) {
          throw new IllegalArgumentException("concatenation element with length " + iedl);
        }
        if (ref != null) {
          throw new IllegalArgumentException("more than one concatenation element");
        }
        ref =
            refOctets == 1
                ? shortMessage[data] & 0xFF
                : (shortMessage[data] & 0xFF) << 8 | shortMessage[data + 1] & 0xFF;
        total = shortMessage[data + refOctets] & 0xFF;
        seq = shortMessage[data + refOctets + 1] & 0xFF;
        if (total == 0 || seq == 0 || seq > total) {
          throw new IllegalArgumentException("part " + seq + " of " + total);
        }
      }
      // Other elements (ports, national language shifts, ...) are legal and passed through.
      at = data + iedl;
    }
    return new Udh(end, ref, total, seq);
  }

  /**
   * Septets the header occupies in a 7-bit message: the header is octets, padded with fill bits to
   * the next septet boundary (TS 23.040 9.2.3.16).
   */
  int septets() {
    return (length * 8 + 6) / 7;
  }

  /** A header with one 8-bit-reference concatenation element (IEI 0x00). */
  static byte[] concat8(int ref, int total, int seq) {
    return new byte[] {5, IEI_CONCAT_8BIT, 3, (byte) ref, (byte) total, (byte) seq};
  }
}
