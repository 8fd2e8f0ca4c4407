package herald.sim.whatsapp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Media held by the simulator: files uploaded through {@code POST /{Phone-Number-ID}/media} and the
 * media of simulated inbound messages. Each belongs to one phone number. Download URLs are signed
 * with the app secret and expire after five minutes, as Meta's do.
 */
final class MediaStore {
  /** How long a media URL from {@code GET /{Media-ID}} can be used. */
  static final Duration URL_TTL = Duration.ofMinutes(5);

  static final String DOWNLOAD_PATH = "/whatsapp_business/attachments/";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** One stored file. */
  record Media(
      String id,
      String phoneNumberId,
      String mimeType,
      Buffer content,
      String sha256Hex,
      String sha256Base64) {}

  private final Map<String, Media> media = new ConcurrentHashMap<>();
  private final String appSecret;

  MediaStore(String appSecret) {
    this.appSecret = appSecret;
  }

  /** Stores a file and returns it with its new id. */
  Media add(String phoneNumberId, String mimeType, Buffer content) {
    byte[] digest = sha256(content.getBytes());
    String id;
    do {
      id =
          Long.toString(
              1_000_000_000_000_000L + (RANDOM.nextLong() >>> 1) % 9_000_000_000_000_000L);
    } while (media.containsKey(id));
    Media stored =
        new Media(
            id,
            phoneNumberId,
            mimeType,
            content,
            HexFormat.of().formatHex(digest),
            Base64.getEncoder().encodeToString(digest));
    media.put(id, stored);
    return stored;
  }

  /** The media with this id, if it exists and (when {@code phoneNumberId} is given) is its. */
  Optional<Media> get(String id, String phoneNumberId) {
    Media found = media.get(id);
    if (found == null || (phoneNumberId != null && !found.phoneNumberId().equals(phoneNumberId))) {
      return Optional.empty();
    }
    return Optional.of(found);
  }

  boolean delete(String id, String phoneNumberId) {
    return get(id, phoneNumberId).map(m -> media.remove(id) != null).orElse(false);
  }

  /** The answer of {@code GET /{Media-ID}}: a fresh download URL and the file's facts. */
  JsonObject describe(Media m, String baseUrl) {
    long expires = Instant.now().plus(URL_TTL).getEpochSecond();
    String url =
        baseUrl
            + DOWNLOAD_PATH
            + "?mid="
            + m.id()
            + "&ext="
            + expires
            + "&hash="
            + urlHash(m.id(), expires);
    return new JsonObject()
        .put("url", url)
        .put("mime_type", m.mimeType())
        .put("sha256", m.sha256Hex())
        .put("file_size", Integer.toString(m.content().length()))
        .put("id", m.id())
        .put("messaging_product", "whatsapp");
  }

  /** The media a download URL names, if its hash is right and it has not expired. */
  Optional<Media> resolveDownload(String mid, String ext, String hash) {
    if (mid == null || ext == null || hash == null || !ext.matches("^[0-9]{1,12}$")) {
      return Optional.empty();
    }
    long expires = Long.parseLong(ext);
    boolean valid =
        MessageDigest.isEqual(
            urlHash(mid, expires).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    if (!valid || Instant.now().getEpochSecond() > expires) {
      return Optional.empty();
    }
    return Optional.ofNullable(media.get(mid));
  }

  private String urlHash(String id, long expires) {
    return HubSignature.hex(appSecret, "media:" + id + ":" + expires).substring(0, 32);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
