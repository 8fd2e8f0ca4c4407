package herald.channel.voice.ari;

import herald.channel.ChannelSender;
import herald.channel.Provider;
import herald.channel.ProviderContext;
import herald.channel.ProviderType;
import herald.channel.SettingsInput;
import herald.channel.voice.Voice;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Voice senders on an Asterisk trunk through ARI: calls are originated into the sender's Stasis
 * application and followed on its {@code /ari/events} WebSocket. The lane's capacity is the
 * concurrent-call cap and its rate the calls-per-second cap.
 */
public final class AriType implements ProviderType<AriType.Settings> {
  private static final Pattern APP = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  private static final Pattern VARIABLE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

  /**
   * An ARI sender's settings; {@code password} is the secret.
   *
   * @param baseUrl the ARI base URL, such as {@code http://pbx:8088/ari}
   * @param app the Stasis application (one per sender: a second socket for it replaces the first)
   * @param endpoint the dial string with {@code {number}} for the callee, such as {@code
   *     PJSIP/{number}@trunk}
   * @param callerId the caller ID of every call, or null for the trunk's
   * @param maxConcurrentCalls calls up at once at most (the lane's capacity)
   * @param callsPerSecond originates a second at most (the lane's rate)
   * @param maxCallSeconds an answered call with nothing left to do is hung up after this long
   * @param amdVariable the originate variable that asks the dialplan to run AMD before Stasis
   * @param agentContext the dialplan context of agent extensions ({@code Local/{ext}@context})
   * @param queueContext the dialplan context that puts a call in a queue ({@code
   *     Local/{queue}@context})
   */
  public record Settings(
      String baseUrl,
      String username,
      String password,
      String app,
      String endpoint,
      String callerId,
      int maxConcurrentCalls,
      int callsPerSecond,
      int maxCallSeconds,
      String amdVariable,
      String agentContext,
      String queueContext) {
    @Override
    public String toString() {
      return "AriSettings[" + baseUrl + ", app=" + app + ", " + endpoint + "]";
    }
  }

  @Override
  public String name() {
    return "ari";
  }

  @Override
  public String channel() {
    return Voice.CHANNEL;
  }

  @Override
  public Set<String> keys() {
    return Set.of(
        "base_url",
        "username",
        "password",
        "app",
        "endpoint",
        "caller_id",
        "max_concurrent_calls",
        "calls_per_second",
        "max_call_seconds",
        "amd_variable",
        "agent_context",
        "queue_context");
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of("password");
  }

  @Override
  public Settings read(SettingsInput in) {
    String baseUrl = in.url("base_url", null);
    String username = in.requiredString("username", 128);
    String password = in.requiredString("password", 256);
    String app = in.requiredString("app", 64);
    if (app != null && !APP.matcher(app).matches()) {
      in.error("app", "invalid_value", "settings.app may hold letters, digits, '_', '.', '-'");
    }
    String endpoint = in.requiredString("endpoint", 200);
    if (endpoint != null && (!endpoint.contains("{number}") || endpoint.indexOf('/') <= 0)) {
      in.error(
          "endpoint",
          "invalid_value",
          "settings.endpoint is a dial string with {number}, such as PJSIP/{number}@trunk");
    }
    String callerId = in.optionalString("caller_id", 128);
    int cap = in.integer("max_concurrent_calls", 10, 1, 1000);
    int cps = in.integer("calls_per_second", 5, 1, 1000);
    int maxCall = in.integer("max_call_seconds", 3600, 10, 86_400);
    String amd = in.optionalString("amd_variable", 64);
    if (amd == null) {
      amd = "AMD_ENABLED";
      in.values().put("amd_variable", amd);
    } else if (!VARIABLE.matcher(amd).matches()) {
      in.error("amd_variable", "invalid_value", "settings.amd_variable is a variable name");
    }
    String agentContext = context(in, "agent_context", "herald-agents");
    String queueContext = context(in, "queue_context", "herald-queues");
    return new Settings(
        baseUrl,
        username,
        password,
        app,
        endpoint,
        callerId,
        cap,
        cps,
        maxCall,
        amd,
        agentContext,
        queueContext);
  }

  private static String context(SettingsInput in, String key, String dflt) {
    String value = in.optionalString(key, 80);
    if (value == null) {
      in.values().put(key, dflt);
      return dflt;
    }
    if (!APP.matcher(value).matches()) {
      in.error(key, "invalid_value", "settings." + key + " is a dialplan context name");
    }
    return value;
  }

  @Override
  public Settings settings(ChannelSender sender) {
    JsonObject s = sender.settings();
    return new Settings(
        s.getString("base_url"),
        s.getString("username"),
        sender.secrets().getString("password"),
        s.getString("app"),
        s.getString("endpoint"),
        s.getString("caller_id"),
        s.getInteger("max_concurrent_calls", 10),
        s.getInteger("calls_per_second", 5),
        s.getInteger("max_call_seconds", 3600),
        s.getString("amd_variable", "AMD_ENABLED"),
        s.getString("agent_context", "herald-agents"),
        s.getString("queue_context", "herald-queues"));
  }

  /** Calls of one sender are followed on its own Stasis application: nothing is shared. */
  @Override
  public String accountKey(ChannelSender sender) {
    return "ari|" + sender.id();
  }

  @Override
  public String sourceAddress(JsonObject settings) {
    return settings.getString("caller_id");
  }

  @Override
  public Provider open(ProviderContext context, ChannelSender sender) {
    return new AriProvider(context, sender, settings(sender));
  }
}
