package herald.channel;

import java.util.UUID;

/**
 * A claimed message on its way to a provider, handed from its lane to the provider in memory.
 *
 * @param encoding the body's wire encoding as stored ({@code gsm7}, {@code ucs2}); channels that
 *     have none ignore it
 * @param attempts send attempts including this one
 */
public record OutboundItem(
    UUID id, UUID accountId, String to, String from, String body, String encoding, int attempts) {}
