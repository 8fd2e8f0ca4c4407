package herald.channel.registry;

import herald.channel.CallbackContext;
import herald.channel.ChannelSender;
import herald.channel.ContentFormat;
import herald.channel.ProviderType;
import herald.channel.SettingsInput;
import herald.channel.sms.Sms;
import herald.channel.sms.SmsFormat;
import herald.channel.sms.android.AndroidType;
import herald.channel.sms.smpp.SmppType;
import herald.channel.sms.twilio.TwilioType;
import herald.channel.voice.ari.AriType;
import herald.channel.whatsapp.WhatsAppFormat;
import herald.channel.whatsapp.cloud.WhatsAppCloudType;
import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of provider types: the one place a provider is added to Herald. Everything else
 * (sender validation, opening providers in lanes, mounting callback routes) goes through it.
 */
public final class Channels {
  /** The channel of a send or a sender whose request names none. */
  public static final String DEFAULT_CHANNEL = Sms.CHANNEL;

  private static final Map<String, ProviderType<?>> TYPES = new LinkedHashMap<>();
  private static final Map<String, ContentFormat> FORMATS = new LinkedHashMap<>();

  static {
    register(new SmppType());
    register(new TwilioType());
    register(new AndroidType());
    register(new WhatsAppCloudType());
    format(new SmsFormat());
    format(new WhatsAppFormat());
    register(new AriType());
  }

  private Channels() {}

  private static void register(ProviderType<?> type) {
    if (TYPES.putIfAbsent(type.name(), type) != null) {
      throw new IllegalStateException("provider " + type.name() + " is registered twice");
    }
  }

  private static void format(ContentFormat format) {
    if (FORMATS.putIfAbsent(format.channel(), format) != null) {
      throw new IllegalStateException("channel " + format.channel() + " has two formats");
    }
  }

  /**
   * What messages of {@code channel} may hold, or null when no registered provider carries the
   * channel or it has no message format (it cannot be sent through {@code POST /messages}).
   */
  public static ContentFormat contentFormat(String channel) {
    ContentFormat format = channel == null ? null : FORMATS.get(channel);
    return format != null && channels().contains(channel) ? format : null;
  }

  /** The registered type of this name, or null. */
  public static ProviderType<?> type(String provider) {
    return provider == null ? null : TYPES.get(provider);
  }

  /** Every registered type, in registration order. */
  public static List<ProviderType<?>> types() {
    return List.copyOf(TYPES.values());
  }

  /** The provider names of one channel, sorted. */
  public static Set<String> providers(String channel) {
    Set<String> names = new TreeSet<>();
    TYPES.values().stream()
        .filter(t -> t.channel().equals(channel))
        .forEach(t -> names.add(t.name()));
    return names;
  }

  /** The channels some registered provider carries, sorted. */
  public static Set<String> channels() {
    Set<String> names = new TreeSet<>();
    TYPES.values().forEach(t -> names.add(t.channel()));
    return names;
  }

  /** A sender's settings split into what may be shown and what is secret. */
  public record Split(JsonObject settings, JsonObject secrets) {
    public static Split empty() {
      return new Split(new JsonObject(), new JsonObject());
    }

    @Override
    public String toString() {
      return "Split[settings=" + settings.encode() + ", secrets=" + secrets.fieldNames() + "]";
    }
  }

  /**
   * Validates {@code given} settings of a {@code provider} sender, merged over {@code current} (a
   * PATCH; {@link Split#empty()} on create). Problems become field errors on {@code in}: {@code
   * provider} when it is not registered, {@code settings.<key>} otherwise. Returns null when there
   * were errors.
   */
  public static Split validate(JsonInput in, String provider, JsonObject given, Split current) {
    ProviderType<?> type = type(provider);
    if (type == null) {
      in.error(
          "provider",
          "invalid_value",
          "'provider' must be one of "
              + String.join(", ", TYPES.keySet().stream().sorted().toList()));
      return null;
    }
    JsonObject merged = current.settings().copy().mergeIn(current.secrets());
    int before = in.errorCount();
    for (String key : given.fieldNames()) {
      if (!type.keys().contains(key)) {
        in.error(
            "settings." + key,
            "unknown_field",
            "'" + key + "' is not a setting of " + provider + " senders");
      } else {
        merged.put(key, given.getValue(key));
      }
    }
    type.read(new SettingsInput(in, merged));
    if (in.errorCount() > before) {
      return null;
    }
    JsonObject settings = new JsonObject();
    JsonObject secrets = new JsonObject();
    merged.forEach(
        e ->
            (type.secretKeys().contains(e.getKey()) ? secrets : settings)
                .put(e.getKey(), e.getValue()));
    return new Split(settings, secrets);
  }

  /** The account key of a sender (see {@link ProviderType#accountKey}). */
  public static String accountKey(ChannelSender sender) {
    ProviderType<?> type = type(sender.provider());
    return type == null ? sender.provider() + "|" + sender.id() : type.accountKey(sender);
  }

  /** Mounts every provider type's callback routes; call before the {@code /api/v1} sub-router. */
  public static void mount(Router root, CallbackContext context) {
    TYPES.values().forEach(type -> type.mount(root, context));
  }
}
