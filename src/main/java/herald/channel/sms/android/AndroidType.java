package herald.channel.sms.android;

import herald.channel.ChannelSender;
import herald.channel.Provider;
import herald.channel.ProviderContext;
import herald.channel.ProviderType;
import herald.channel.SettingsInput;
import herald.channel.sms.Sms;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Android phones running the SMS gateway app: one device per sender, nothing shared. */
public final class AndroidType implements ProviderType<AndroidType.Settings> {
  /** An Android sender's settings; {@code deviceKey} is the secret. */
  public record Settings(String deviceUrl, String deviceKey, String phoneNumber) {
    @Override
    public String toString() {
      return "AndroidSettings[" + deviceUrl + ", " + phoneNumber + "]";
    }
  }

  @Override
  public String name() {
    return "android";
  }

  @Override
  public String channel() {
    return Sms.CHANNEL;
  }

  @Override
  public Set<String> keys() {
    return Set.of("device_url", "device_key", "phone_number");
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of("device_key");
  }

  @Override
  public Settings read(SettingsInput in) {
    String url = in.url("device_url", null);
    String key = in.requiredString("device_key", 256);
    String phone = in.optionalString("phone_number", 32);
    return new Settings(url, key, phone);
  }

  @Override
  public Settings settings(ChannelSender sender) {
    return new Settings(
        sender.settings().getString("device_url"),
        sender.secrets().getString("device_key"),
        sender.settings().getString("phone_number"));
  }

  @Override
  public String accountKey(ChannelSender sender) {
    return "android|" + sender.id();
  }

  @Override
  public String sourceAddress(JsonObject settings) {
    return settings.getString("phone_number");
  }

  @Override
  public Provider open(ProviderContext context, ChannelSender sender) {
    return new AndroidProvider(sender, context.context());
  }
}
