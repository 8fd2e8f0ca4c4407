package herald.sim.smpp;

import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;

/**
 * The checks a strict SMSC makes on a submit_sm before accepting it, each failure mapped to the
 * SMPP 3.4 command_status a real SMSC answers with. Stateless and thread-safe.
 *
 * <p>What is accepted: the data_coding values of {@link #alphabet}; at most 140 octets of user
 * data, which for the 7-bit codings is 160 septets; with UDHI the header counts inside that limit
 * (rounded up to whole septets for 7-bit codings). Destinations are 1–20 digits (no '+': SMPP
 * carries the international form in the TON). schedule_delivery_time and validity_period are
 * ignored. service_type is empty or up to 5 printable ASCII characters (a C-Octet String of at most
 * 6 octets with its NUL), else ESME_RINVSERTYP.
 */
final class SubmitRules {
  static final int MAX_OCTETS = 140;
  static final int MAX_SEPTETS = 160;

  /** How the octets of a short_message encode its text. */
  enum Alphabet {
    /** GSM 03.38 default alphabet, one septet per octet. */
    GSM7,
    /** IA5 (ASCII), one character per octet. */
    IA5,
    /** 8-bit data: binary or Latin-1. */
    OCTETS,
    /** UCS-2, two octets per character. */
    UCS2
  }

  /** Longest service_type: 6 octets with the NUL. */
  static final int MAX_SERVICE_TYPE = 5;

  private static final int TON_ALPHANUMERIC = 5;
  private static final int TON_MAX = 6;
  private static final int MESSAGE_TYPE_BITS = 0x3C;
  private static final int ESME_DELIVERY_ACK = 0x08;
  private static final int ESME_MANUAL_ACK = 0x10;
  private static final int UDHI = 0x40;

  private SubmitRules() {}

  /**
   * Validates {@code sm}.
   *
   * @return the parsed user data header, or null when UDHI is not set
   * @throws ProcessRequestException carrying the command_status to answer with
   */
  static Udh check(SubmitSm sm) throws ProcessRequestException {
    String serviceType = sm.getServiceType() == null ? "" : sm.getServiceType();
    if (!cOctetString(serviceType, MAX_SERVICE_TYPE)) {
      throw reject("service_type '" + serviceType + "'", SMPPConstant.STAT_ESME_RINVSERTYP);
    }
    checkSource(sm);
    checkDestination(sm);
    checkFlags(sm);
    if (sm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD) != null) {
      // Many SMSCs take long text only as UDH-concatenated parts; this one is among them.
      throw reject("message_payload is not supported", SMPPConstant.STAT_ESME_RTLVNOTALLWD);
    }
    byte dcs = sm.getDataCoding();
    Alphabet alphabet = alphabet(dcs);
    if (alphabet == null) {
      throw reject("unsupported data_coding 0x%02X".formatted(dcs), SMPPConstant.STAT_ESME_RINVDCS);
    }
    byte[] message = sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage();
    Udh udh = null;
    if ((sm.getEsmClass() & UDHI) != 0) {
      try {
        udh = Udh.parse(message);
      } catch (IllegalArgumentException e) {
        throw reject("invalid UDH: " + e.getMessage(), SMPPConstant.STAT_ESME_RINVESMCLASS);
      }
    }
    checkLength(alphabet, message, udh);
    return udh;
  }

  private static void checkSource(SubmitSm sm) throws ProcessRequestException {
    int ton = sm.getSourceAddrTon();
    if (ton < 0 || ton > TON_MAX) {
      throw reject("source_addr_ton " + ton, SMPPConstant.STAT_ESME_RINVSRCTON);
    }
    if (!validNpi(sm.getSourceAddrNpi())) {
      throw reject("source_addr_npi " + sm.getSourceAddrNpi(), SMPPConstant.STAT_ESME_RINVSRCNPI);
    }
    String source = sm.getSourceAddr() == null ? "" : sm.getSourceAddr();
    boolean valid =
        ton == TON_ALPHANUMERIC
            ? source.length() >= 1 && source.length() <= 11 && printable(source)
            : source.isEmpty() || digits(source);
    if (!valid) {
      throw reject("source_addr '" + source + "'", SMPPConstant.STAT_ESME_RINVSRCADR);
    }
  }

  private static void checkDestination(SubmitSm sm) throws ProcessRequestException {
    int ton = sm.getDestAddrTon();
    if (ton < 0 || ton > TON_MAX) {
      throw reject("dest_addr_ton " + ton, SMPPConstant.STAT_ESME_RINVDSTTON);
    }
    if (!validNpi(sm.getDestAddrNpi())) {
      throw reject("dest_addr_npi " + sm.getDestAddrNpi(), SMPPConstant.STAT_ESME_RINVDSTNPI);
    }
    String destination = sm.getDestAddress();
    if (destination == null || ton == TON_ALPHANUMERIC || !digits(destination)) {
      throw reject("destination_addr '" + destination + "'", SMPPConstant.STAT_ESME_RINVDSTADR);
    }
  }

  private static void checkFlags(SubmitSm sm) throws ProcessRequestException {
    int messageType = sm.getEsmClass() & MESSAGE_TYPE_BITS;
    if (messageType != 0 && messageType != ESME_DELIVERY_ACK && messageType != ESME_MANUAL_ACK) {
      throw reject(
          "esm_class 0x%02X".formatted(sm.getEsmClass()), SMPPConstant.STAT_ESME_RINVESMCLASS);
    }
    int registered = sm.getRegisteredDelivery() & 0xFF;
    // Receipt bits 11 and bits 5-7 are reserved in SMPP 3.4.
    if ((registered & 0x03) == 0x03 || (registered & 0xE0) != 0) {
      throw reject(
          "registered_delivery 0x%02X".formatted(registered), SMPPConstant.STAT_ESME_RINVREGDLVFLG);
    }
    if ((sm.getPriorityFlag() & 0xFF) > 3) {
      throw reject("priority_flag " + sm.getPriorityFlag(), SMPPConstant.STAT_ESME_RINVPRTFLG);
    }
    if ((sm.getReplaceIfPresent() & 0xFF) > 1) {
      throw reject(
          "replace_if_present_flag " + sm.getReplaceIfPresent(),
          SMPPConstant.STAT_ESME_RINVREPFLAG);
    }
  }

  /**
   * The alphabet of an SMPP 3.4 data_coding this SMSC supports, or null: 0x00 (SMSC default, GSM
   * 7-bit here), 0x01 IA5, 0x02 and 0x04 binary, 0x03 Latin-1, 0x08 UCS-2, and the GSM message
   * class codings 0xF0–0xF3 (7-bit) and 0xF4–0xF7 (8-bit). Everything else, including 0x10–0xBF
   * which SMPP 3.4 reserves, is unsupported.
   */
  static Alphabet alphabet(byte dataCoding) {
    int dcs = dataCoding & 0xFF;
    return switch (dcs) {
      case 0x00, 0xF0, 0xF1, 0xF2, 0xF3 -> Alphabet.GSM7;
      case 0x01 -> Alphabet.IA5;
      case 0x02, 0x03, 0x04, 0xF4, 0xF5, 0xF6, 0xF7 -> Alphabet.OCTETS;
      case 0x08 -> Alphabet.UCS2;
      default -> null;
    };
  }

  private static void checkLength(Alphabet alphabet, byte[] message, Udh udh)
      throws ProcessRequestException {
    int headerOctets = udh == null ? 0 : udh.length();
    int payload = message.length - headerOctets;
    if (alphabet == Alphabet.GSM7 || alphabet == Alphabet.IA5) {
      int septets = (udh == null ? 0 : udh.septets()) + payload;
      if (septets > MAX_SEPTETS) {
        throw reject(septets + " septets", SMPPConstant.STAT_ESME_RINVMSGLEN);
      }
      for (int i = headerOctets; i < message.length; i++) {
        if ((message[i] & 0x80) != 0) {
          // Usually packed septets or UTF-8 sent as data_coding 0: the handset would show junk.
          throw reject(
              "octet 0x%02X is not a 7-bit character".formatted(message[i]),
              SMPPConstant.STAT_ESME_RINVDCS);
        }
      }
    } else if (message.length > MAX_OCTETS) {
      throw reject(message.length + " octets", SMPPConstant.STAT_ESME_RINVMSGLEN);
    } else if (alphabet == Alphabet.UCS2 && payload % 2 != 0) {
      throw reject("odd UCS-2 length " + payload, SMPPConstant.STAT_ESME_RINVMSGLEN);
    }
  }

  private static boolean validNpi(byte npi) {
    try {
      NumberingPlanIndicator.valueOf(npi);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean digits(String value) {
    if (value.isEmpty() || value.length() > 20) {
      return false;
    }
    return value.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * Whether {@code value} fits a C-Octet String field of {@code maxChars} characters plus its NUL
   * and holds only printable ASCII, as SMPP 3.4 requires of such fields (null counts as empty).
   */
  static boolean cOctetString(String value, int maxChars) {
    return value == null || (value.length() <= maxChars && printable(value));
  }

  private static boolean printable(String value) {
    return value.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
  }

  private static ProcessRequestException reject(String reason, int status) {
    return new ProcessRequestException(reason, status);
  }
}
