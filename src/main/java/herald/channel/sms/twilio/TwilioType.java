package herald.channel.sms.twilio;

import herald.channel.CallbackContext;
import herald.channel.ChannelSender;
import herald.channel.Provider;
import herald.channel.ProviderContext;
import herald.channel.ProviderType;
import herald.channel.SettingsInput;
import herald.channel.sms.Sms;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Twilio Programmable Messaging senders: one number each; senders with the same account SID share
 * one account. Mounts Twilio's status callback and inbound SMS routes.
 */
public final class TwilioType implements ProviderType<TwilioType.Settings> {
  private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-f]{32}");

  /** A Twilio sender's settings; {@code authToken} is the secret. */
  public record Settings(String accountSid, String authToken, String from, String baseUrl) {
    @Override
    public String toString() {
      return "TwilioSettings[" + accountSid + ", from=" + from + ", " + baseUrl + "]";
    }
  }

  @Override
  public String name() {
    return "twilio";
  }

  @Override
  public String channel() {
    return Sms.CHANNEL;
  }

  @Override
  public Set<String> keys() {
    return Set.of("account_sid", "auth_token", "from", "base_url");
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of("auth_token");
  }

  @Override
  public Settings read(SettingsInput in) {
    String sid = in.requiredString("account_sid", 34);
    if (sid != null && !ACCOUNT_SID.matcher(sid).matches()) {
      in.error("account_sid", "invalid_value", "account_sid is AC followed by 32 hex digits");
    }
    String token = in.requiredString("auth_token", 128);
    String from = in.requiredString("from", 32);
    String baseUrl = in.url("base_url", TwilioProvider.DEFAULT_BASE_URL);
    return new Settings(sid, token, from, baseUrl);
  }

  @Override
  public Settings settings(ChannelSender sender) {
    JsonObject s = sender.settings();
    return new Settings(
        s.getString("account_sid"),
        sender.secrets().getString("auth_token"),
        s.getString("from"),
        s.getString("base_url", TwilioProvider.DEFAULT_BASE_URL));
  }

  @Override
  public String accountKey(ChannelSender sender) {
    return "twilio|" + sender.settings().getString("account_sid");
  }

  @Override
  public String sourceAddress(JsonObject settings) {
    return settings.getString("from");
  }

  @Override
  public Provider open(ProviderContext context, ChannelSender sender) {
    return new TwilioProvider(
        sender, context.context(), TwilioRoutes.statusUrl(context.publicUrl(), sender.id()));
  }

  @Override
  public void mount(Router root, CallbackContext context) {
    new TwilioRoutes(context).mount(root);
  }

  /**
   * Mounts Twilio's inbound SMS handling (signature check, sender by AccountSid and To, the inbound
   * sink) at another {@code path}, answering {@code twiml}: for compatibility prefixes whose
   * clients configure their own webhook URL.
   */
  public static void mountInbound(Router root, CallbackContext context, String path, String twiml) {
    new TwilioRoutes(context).mountInbound(root, path, twiml);
  }
}
