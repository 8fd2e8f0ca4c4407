package herald.sender;

import herald.channel.ChannelSender;
import herald.channel.ProviderType;
import herald.channel.registry.Channels;
import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * A sender: the unit that carries traffic and is paced (an SMPP account, a Twilio number, an
 * Android device). {@code secrets} (passwords, tokens, device keys) are kept apart and never leave
 * Herald.
 */
public record Sender(
    UUID id,
    UUID accountId,
    String name,
    String channel,
    String provider,
    JsonObject settings,
    JsonObject secrets,
    int ratePerSecond,
    boolean isDefault,
    boolean active,
    String createdAt,
    String updatedAt) {

  public static Sender from(Row row) {
    return new Sender(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("name"),
        row.getString("channel"),
        row.getString("provider"),
        row.getJsonObject("settings"),
        row.getJsonObject("secrets"),
        row.getInteger("rate_per_second"),
        row.getBoolean("is_default"),
        row.getBoolean("is_active"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  /** The public view: settings without secrets. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("channel", channel)
        .put("provider", provider)
        .put("settings", settings.copy())
        .put("rate_per_second", ratePerSecond)
        .put("is_default", isDefault)
        .put("is_active", active)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }

  /** The source address messages from this sender carry (its provider type says which key). */
  public String from() {
    ProviderType<?> type = Channels.type(provider);
    return type == null ? null : type.sourceAddress(settings);
  }

  /** What its provider sees of it. */
  public ChannelSender toChannelSender() {
    return new ChannelSender(id, accountId, name, channel, provider, settings, secrets);
  }

  /** Never shows the secrets. */
  @Override
  public String toString() {
    return "Sender[" + provider + " " + id + " " + name + "]";
  }
}
