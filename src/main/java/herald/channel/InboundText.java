package herald.channel;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A message a provider received for one of Herald's senders (an SMPP deliver_sm that is not a
 * receipt, a Twilio inbound webhook, a WhatsApp {@code messages} webhook).
 *
 * @param to the address it was sent to; null or empty means the sender's own address
 * @param text what the handler chain reads (the text, a caption, a button's title); never null
 * @param providerId the provider's id of the message when it has one that a redelivery repeats (a
 *     WhatsApp {@code wamid}): a second message with the same id from the same sender is dropped;
 *     null when the provider has none
 * @param content the channel's typed content (a WhatsApp message object with its media references),
 *     or null when the text is all there is (SMS)
 */
public record InboundText(
    UUID senderId, String from, String to, String text, String providerId, JsonObject content) {

  /** A text-only message without a provider id (SMS). */
  public InboundText(UUID senderId, String from, String to, String text) {
    this(senderId, from, to, text, null, null);
  }
}
