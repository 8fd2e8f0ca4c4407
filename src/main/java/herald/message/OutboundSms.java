package herald.message;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A claimed message on its way to a provider. */
public record OutboundSms(
    UUID id, UUID accountId, String to, String from, String body, String encoding, int attempts) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("account_id", accountId.toString())
        .put("to", to)
        .put("from", from)
        .put("body", body)
        .put("encoding", encoding)
        .put("attempts", attempts);
  }

  public static OutboundSms fromJson(JsonObject json) {
    return new OutboundSms(
        UUID.fromString(json.getString("id")),
        UUID.fromString(json.getString("account_id")),
        json.getString("to"),
        json.getString("from"),
        json.getString("body"),
        json.getString("encoding"),
        json.getInteger("attempts"));
  }
}
