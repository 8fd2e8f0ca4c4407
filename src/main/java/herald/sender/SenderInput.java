package herald.sender;

import herald.channel.registry.Channels;
import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonObject;

/**
 * Validates a sender's channel, provider and settings through the provider registry ({@link
 * Channels}), which splits them into public settings and secrets. Every problem becomes a field
 * error ({@code provider}, {@code channel}, {@code settings.<key>}).
 */
final class SenderInput {
  private SenderInput() {}

  /**
   * Validates {@code given} for {@code provider}, merged over {@code current} (for PATCH; {@link
   * Channels.Split#empty()} for create). {@code channel} (null: the provider's own) must be the
   * channel the provider carries. Returns null when there were errors (already recorded on {@code
   * in}).
   */
  static Channels.Split read(
      JsonInput in, String channel, String provider, JsonObject given, Channels.Split current) {
    var type = Channels.type(provider);
    if (type != null && channel != null && !type.channel().equals(channel)) {
      in.error(
          "provider",
          "invalid_value",
          "provider " + provider + " carries " + type.channel() + ", not " + channel);
    }
    return Channels.validate(in, provider, given, current);
  }
}
