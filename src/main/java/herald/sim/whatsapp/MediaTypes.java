package herald.sim.whatsapp;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The media the Cloud API accepts: which MIME types belong to which message type, the size limit of
 * each, and a check that a file's bytes really are of its declared type (by its leading magic
 * bytes, as a media service would).
 */
final class MediaTypes {
  private MediaTypes() {}

  static final long MB = 1024L * 1024L;

  /** The largest upload any type allows (documents). */
  static final long MAX_UPLOAD = 100 * MB;

  private static final Map<String, String> KIND_BY_MIME =
      Map.ofEntries(
          Map.entry("audio/aac", "audio"),
          Map.entry("audio/amr", "audio"),
          Map.entry("audio/mpeg", "audio"),
          Map.entry("audio/mp4", "audio"),
          Map.entry("audio/ogg", "audio"),
          Map.entry("text/plain", "document"),
          Map.entry("application/pdf", "document"),
          Map.entry("application/msword", "document"),
          Map.entry("application/vnd.ms-excel", "document"),
          Map.entry("application/vnd.ms-powerpoint", "document"),
          Map.entry(
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "document"),
          Map.entry(
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document"),
          Map.entry(
              "application/vnd.openxmlformats-officedocument.presentationml.presentation",
              "document"),
          Map.entry("image/jpeg", "image"),
          Map.entry("image/png", "image"),
          Map.entry("image/webp", "sticker"),
          Map.entry("video/3gpp", "video"),
          Map.entry("video/mp4", "video"));

  /** Message types that carry media. */
  static final Set<String> MEDIA_MESSAGE_TYPES =
      Set.of("audio", "document", "image", "sticker", "video");

  /** The message type a MIME type can be sent as ({@code image}, ...), or null if unsupported. */
  static String kindOf(String mimeType) {
    return mimeType == null ? null : KIND_BY_MIME.get(mimeType);
  }

  /** Whether media of {@code mimeType} may be sent as a message of {@code messageType}. */
  static boolean sendableAs(String mimeType, String messageType) {
    String kind = kindOf(mimeType);
    // Meta lets any supported image go out as an image; a webp is only a sticker.
    return messageType.equals(kind);
  }

  /** The size limit of a MIME type, in bytes. */
  static long limit(String mimeType, Buffer content) {
    return switch (kindOf(mimeType)) {
      case "audio", "video" -> 16 * MB;
      case "image" -> 5 * MB;
      case "sticker" -> isAnimatedWebp(content) ? 500 * 1024L : 100 * 1024L;
      default -> 100 * MB;
    };
  }

  /** Whether the bytes look like a file of {@code mimeType}. */
  static boolean contentMatches(String mimeType, Buffer content) {
    byte[] head = content.getBytes(0, Math.min(content.length(), 16));
    return switch (mimeType) {
      case "image/jpeg" -> startsWith(head, 0xFF, 0xD8, 0xFF);
      case "image/png" -> startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
      case "image/webp" -> startsWith(head, 'R', 'I', 'F', 'F') && at(head, 8, "WEBP");
      case "audio/ogg" -> startsWith(head, 'O', 'g', 'g', 'S');
      case "audio/amr" -> startsWith(head, '#', '!', 'A', 'M', 'R');
      case "audio/aac" -> head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xF6) == 0xF0;
      case "audio/mpeg" ->
          startsWith(head, 'I', 'D', '3')
              || (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0);
      case "audio/mp4", "video/mp4", "video/3gpp" -> at(head, 4, "ftyp");
      case "application/pdf" -> startsWith(head, '%', 'P', 'D', 'F', '-');
      case "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint" ->
          startsWith(head, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1);
      case "text/plain" -> isText(content);
      default -> startsWith(head, 'P', 'K', 0x03, 0x04);
    };
  }

  static boolean isAnimatedWebp(Buffer content) {
    int limit = Math.min(content.length(), 64);
    return content.getString(0, limit, "ISO-8859-1").contains("ANIM");
  }

  private static boolean isText(Buffer content) {
    byte[] bytes = content.getBytes();
    for (byte b : bytes) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean startsWith(byte[] head, int... expected) {
    if (head.length < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((head[i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean at(byte[] head, int offset, String ascii) {
    if (head.length < offset + ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (head[offset + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A small file of the given type, for simulated inbound media without content of its own. */
  static Buffer sample(String mimeType) {
    return switch (mimeType) {
      case "image/jpeg" ->
          bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0xFF, 0xD9);
      case "image/png" -> bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0);
      case "image/webp" -> Buffer.buffer("RIFF\u0004\0\0\0WEBPVP8 ", "ISO-8859-1");
      case "audio/ogg" -> Buffer.buffer("OggS\0\u0002\0\0\0\0\0\0\0\0", "ISO-8859-1");
      case "audio/amr" -> Buffer.buffer("#!AMR\n");
      case "audio/aac" -> bytes(0xFF, 0xF1, 0x50, 0x80, 0x01, 0x7F, 0xFC);
      case "audio/mpeg" -> Buffer.buffer("ID3\u0004\0\0\0\0\0\0", "ISO-8859-1");
      case "audio/mp4", "video/mp4" -> Buffer.buffer("\0\0\0\u0018ftypmp42", "ISO-8859-1");
      case "video/3gpp" -> Buffer.buffer("\0\0\0\u0018ftyp3gp4", "ISO-8859-1");
      case "application/pdf" -> Buffer.buffer("%PDF-1.4\n%%EOF\n");
      case "text/plain" -> Buffer.buffer("Simulated document.\n");
      case "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint" ->
          bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0);
      default -> bytes('P', 'K', 0x03, 0x04, 0, 0);
    };
  }

  private static Buffer bytes(int... values) {
    Buffer buffer = Buffer.buffer(values.length);
    for (int v : values) {
      buffer.appendByte((byte) v);
    }
    return buffer;
  }
}
