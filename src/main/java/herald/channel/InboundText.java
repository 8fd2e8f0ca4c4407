package herald.channel;

import java.util.UUID;

/**
 * A message a provider received for one of Herald's senders (an SMPP deliver_sm that is not a
 * receipt, a Twilio inbound webhook).
 *
 * @param to the address it was sent to; null or empty means the sender's own address
 */
public record InboundText(UUID senderId, String from, String to, String text) {}
