package herald.channel;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * Where provider callbacks keep the media files that arrive with inbound messages: stored for the
 * sender's account and served to it through the API.
 */
public interface MediaSink {
  /**
   * Stores a file {@code sender} received.
   *
   * @param providerMediaId the provider's id of the file, or null
   * @param fileName the name the user gave it, or null
   * @return Herald's media id, once the file and its record are stored
   */
  Future<UUID> received(
      ChannelSender sender,
      String providerMediaId,
      String mimeType,
      String fileName,
      Buffer content);
}
