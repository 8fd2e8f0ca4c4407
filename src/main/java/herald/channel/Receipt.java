package herald.channel;

/**
 * A delivery receipt for one provider-side part (an SMPP message id, a Twilio message SID).
 *
 * @param delivered whether the handset got it; false for a final failure
 * @param status the provider's own final status word ({@code DELIVRD}, {@code undelivered})
 * @param errorCode the provider's error code, or null
 */
public record Receipt(String providerId, boolean delivered, String status, String errorCode) {}
