package herald.channel;

import io.vertx.core.json.JsonObject;

/**
 * A progress report on one sent message from a provider that reports every step (WhatsApp's {@code
 * sent}, {@code delivered}, {@code read} and {@code failed} status webhooks), as opposed to the one
 * final {@link Receipt} of SMS. Applying it is idempotent: a status that does not move the message
 * forward (a duplicate, or {@code sent} after Herald already recorded the send) changes nothing but
 * the pricing.
 *
 * @param providerId the provider's message id
 * @param status {@code sent}, {@code delivered}, {@code read} or {@code failed}
 * @param errorCode Herald's error code for {@code failed}, else null
 * @param errorMessage the provider's reason for {@code failed}, else null
 * @param pricing what the provider reported about billing (category, conversation), or null
 */
public record StatusUpdate(
    String providerId, String status, String errorCode, String errorMessage, JsonObject pricing) {}
