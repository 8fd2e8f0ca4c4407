package herald.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Set;

/**
 * A kind of provider (SMPP, Twilio, an Android device, ...): everything Herald needs to validate
 * senders of it, open them and take its callbacks, without knowing it. Registered once in {@link
 * herald.channel.registry.Channels}. Implementations are stateless.
 *
 * @param <S> its typed settings, as {@link #read} validates them
 */
public interface ProviderType<S extends Record> {
  /** The {@code provider} value of its senders ({@code smpp}). */
  String name();

  /** The channel it carries ({@code sms}, {@code whatsapp}, {@code voice}). */
  String channel();

  /** Every settings key a sender of it may have, secrets included. */
  Set<String> keys();

  /** The keys that are secrets: accepted on input, stored apart, never rendered. */
  Set<String> secretKeys();

  /**
   * Validates merged settings (recording field errors on {@code in}, filling defaults into {@link
   * SettingsInput#values()}) and returns them typed, or null when there were errors.
   */
  S read(SettingsInput in);

  /** The typed settings of a stored sender (settings and secrets were validated when saved). */
  S settings(ChannelSender sender);

  /**
   * What identifies the provider account a sender connects with: senders with the same key share
   * one account (an SMPP login at an SMSC, a Twilio account SID), so a receipt may arrive on any of
   * their connections. Per sender when nothing is shared.
   */
  String accountKey(ChannelSender sender);

  /** The address its messages come from (a number, an alphanumeric sender id), or null. */
  String sourceAddress(JsonObject settings);

  /** Opens (does not start) a provider for one sender. */
  Provider open(ProviderContext context, ChannelSender sender);

  /**
   * Mounts its callback routes (status callbacks, inbound webhooks) on Herald's root router, each
   * with its own body handling and authentication. Default: none.
   */
  default void mount(Router root, CallbackContext context) {}

  /**
   * The message templates the provider holds for {@code sender}'s account (WhatsApp's approved,
   * pending and rejected templates), each as {@code {"name", "language", "status", "category",
   * "components"}}. Default: the provider has none (fails).
   */
  default Future<java.util.List<io.vertx.core.json.JsonObject>> templates(
      Vertx vertx, ChannelSender sender) {
    return Future.failedFuture(
        new UnsupportedOperationException(name() + " senders have no provider templates"));
  }

  /** Whether its senders take media uploads ({@link #uploadMedia}). Default: no. */
  default boolean acceptsMedia() {
    return false;
  }

  /**
   * Uploads a media file to the provider for later sends by {@code sender}.
   *
   * @param file the file, on local disk (streamed, not read into memory)
   * @param mimeType its type, as checked by its content
   * @return the provider's media id; fails when the provider refuses it or cannot be reached
   */
  default Future<String> uploadMedia(
      Vertx vertx,
      ChannelSender sender,
      java.nio.file.Path file,
      String fileName,
      String mimeType) {
    return Future.failedFuture(
        new UnsupportedOperationException(name() + " senders take no media uploads"));
  }
}
