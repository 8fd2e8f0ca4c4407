package herald.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a provider type's callback routes get when Herald mounts them.
 *
 * @param sink where receipts and inbound messages go (answered once committed)
 * @param senders looks up the senders a callback names
 * @param publicUrl Herald's public base URL, as the provider calls it (for signatures); read per
 *     request, since it is known only once the HTTP server listens
 * @param started whether Herald has finished starting (inbound traffic waits until then)
 * @param media where inbound media files are kept; null when Herald keeps none
 */
public record CallbackContext(
    Vertx vertx,
    InboundSink sink,
    Senders senders,
    Supplier<String> publicUrl,
    BooleanSupplier started,
    MediaSink media) {

  /** A context without a media sink. */
  public CallbackContext(
      Vertx vertx,
      InboundSink sink,
      Senders senders,
      Supplier<String> publicUrl,
      BooleanSupplier started) {
    this(vertx, sink, senders, publicUrl, started, null);
  }

  /** The sender lookups a callback needs. */
  public interface Senders {
    /** Any sender with this id (active or not), or null. */
    Future<ChannelSender> byId(UUID id);

    /**
     * The first active sender of {@code provider} whose public settings contain {@code match} (JSON
     * containment), or null.
     */
    Future<ChannelSender> active(String provider, JsonObject match);
  }
}
