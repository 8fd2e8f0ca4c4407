package herald.channel;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * What a provider did with one message.
 *
 * @param kind {@code SENT} (accepted, {@code providerIds} one per part), {@code RETRY} (transient:
 *     try again later), {@code PAUSED} (the provider is unavailable, e.g. circuit open: try again
 *     without counting an attempt) or {@code FAILED} (permanent: the provider's reason in the error
 *     fields)
 * @param detail what the channel reports with the outcome beyond the fields above (a call's
 *     timeline, disposition and hang-up cause), or null
 */
public record SendOutcome(
    UUID messageId,
    Kind kind,
    List<String> providerIds,
    String errorCode,
    String errorMessage,
    JsonObject detail) {

  /** An outcome without detail. */
  public SendOutcome(
      UUID messageId, Kind kind, List<String> providerIds, String errorCode, String errorMessage) {
    this(messageId, kind, providerIds, errorCode, errorMessage, null);
  }

  public enum Kind {
    SENT,
    RETRY,
    PAUSED,
    FAILED
  }

  public static SendOutcome sent(UUID id, List<String> providerIds) {
    return new SendOutcome(id, Kind.SENT, providerIds, null, null);
  }

  public static SendOutcome of(UUID id, Kind kind, String code, String message) {
    return new SendOutcome(id, kind, List.of(), code, message);
  }

  /** This outcome with {@code detail}. */
  public SendOutcome withDetail(JsonObject detail) {
    return new SendOutcome(messageId, kind, providerIds, errorCode, errorMessage, detail);
  }
}
