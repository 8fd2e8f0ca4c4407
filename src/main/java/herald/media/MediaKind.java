package herald.media;

import io.vertx.core.buffer.Buffer;

/**
 * The media files Herald accepts, recognised by their leading bytes (never by the name or the type
 * the client declares), with WhatsApp's size limit for each: JPEG and PNG images (5 MB), WebP
 * stickers (100 KB, 500 KB animated), MP4 video (16 MB), MP3 and OGG audio (16 MB) and PDF
 * documents (100 MB).
 *
 * @param mimeType the type sent to the provider
 * @param messageType the WhatsApp message type it can be sent as
 */
public record MediaKind(String mimeType, String messageType, long maxBytes) {
  static final long MB = 1024L * 1024L;

  /** The largest file of any kind (documents). */
  public static final long MAX_BYTES = 100 * MB;

  /** How many leading bytes {@link #detect} looks at. */
  static final int HEAD = 64;

  /** The kind of a file from its first {@value #HEAD} bytes, or null when it is none of them. */
  public static MediaKind detect(Buffer head) {
    byte[] b = head.getBytes(0, Math.min(head.length(), HEAD));
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return new MediaKind("image/jpeg", "image", 5 * MB);
    }
    if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return new MediaKind("image/png", "image", 5 * MB);
    }
    if (starts(b, 'R', 'I', 'F', 'F') && at(b, 8, "WEBP")) {
      boolean animated =
          new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("ANIM");
      return new MediaKind("image/webp", "sticker", animated ? 500 * 1024L : 100 * 1024L);
    }
    if (starts(b, '%', 'P', 'D', 'F', '-')) {
      return new MediaKind("application/pdf", "document", 100 * MB);
    }
    if (at(b, 4, "ftyp")) {
      return new MediaKind("video/mp4", "video", 16 * MB);
    }
    if (starts(b, 'O', 'g', 'g', 'S')) {
      return new MediaKind("audio/ogg", "audio", 16 * MB);
    }
    if (starts(b, 'I', 'D', '3')
        || (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0)) {
      return new MediaKind("audio/mpeg", "audio", 16 * MB);
    }
    return null;
  }

  /** The message types media of this MIME type may be sent as (documents take any file). */
  public static boolean sendableAs(String mimeType, String messageType) {
    return switch (messageType) {
      case "image" -> mimeType.equals("image/jpeg") || mimeType.equals("image/png");
      case "sticker" -> mimeType.equals("image/webp");
      case "video" -> mimeType.equals("video/mp4");
      case "audio" -> mimeType.equals("audio/ogg") || mimeType.equals("audio/mpeg");
      case "document" -> mimeType.equals("application/pdf");
      default -> false;
    };
  }

  private static boolean starts(byte[] b, int... expected) {
    if (b.length < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((b[i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean at(byte[] b, int offset, String ascii) {
    if (b.length < offset + ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[offset + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
