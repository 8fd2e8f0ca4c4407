package herald.sim.whatsapp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** WhatsApp message ids: {@code wamid.} followed by base64, unique per message. */
final class WaIds {
  private WaIds() {}

  /** A new message id for a conversation with {@code waId}. */
  static String messageId(String waId) {
    String inner =
        "\u0015\u0018\u000b"
            + (waId == null ? "" : waId)
            + "\u0015\u0002\u0000\u0011\u0018\u0012"
            + Statuses.randomHex(9).toUpperCase()
            + "\u0000";
    return "wamid."
        + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.ISO_8859_1));
  }
}
