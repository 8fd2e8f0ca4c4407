package herald.channel;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A claimed message on its way to a provider, handed from its lane to the provider in memory.
 *
 * @param encoding the body's wire encoding as stored ({@code gsm7}, {@code ucs2}); channels that
 *     have none ignore it
 * @param attempts send attempts including this one
 * @param content the channel's typed content (a WhatsApp message object), or null when the body is
 *     all there is (SMS)
 */
public record OutboundItem(
    UUID id,
    UUID accountId,
    String to,
    String from,
    String body,
    String encoding,
    int attempts,
    JsonObject content) {

  /** An item without typed content (SMS). */
  public OutboundItem(
      UUID id, UUID accountId, String to, String from, String body, String encoding, int attempts) {
    this(id, accountId, to, from, body, encoding, attempts, null);
  }
}
