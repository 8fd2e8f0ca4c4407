package herald.channel;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * What a provider knows of a sender: its identity and its stored settings. The sender domain maps
 * its rows to this, so channels do not depend on it.
 *
 * @param settings validated public settings (with defaults filled in)
 * @param secrets the secret settings; never rendered
 */
public record ChannelSender(
    UUID id,
    UUID accountId,
    String name,
    String channel,
    String provider,
    JsonObject settings,
    JsonObject secrets) {

  @Override
  public String toString() {
    return "ChannelSender[" + provider + " " + id + " " + name + "]";
  }
}
