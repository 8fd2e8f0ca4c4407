package herald.channel.sms.smpp;

import herald.channel.ChannelSender;
import herald.channel.Provider;
import herald.channel.ProviderContext;
import herald.channel.ProviderType;
import herald.channel.SettingsInput;
import herald.channel.sms.Sms;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SMPP 3.4 senders: a transceiver bind per sender; senders with the same login at the same SMSC
 * share one account (receipts may arrive on any of their binds).
 */
public final class SmppType implements ProviderType<SmppType.Settings> {
  // SMPP 3.4 C-Octet Strings: the spec's sizes count the NUL (system_id 16 octets, password 9,
  // system_type 13, service_type 6). A real SMSC refuses longer ones; jsmpp's composer will not
  // even encode them.
  private static final int MAX_SYSTEM_ID = 15;
  private static final int MAX_PASSWORD = 8;
  private static final int MAX_SYSTEM_TYPE = 12;
  private static final int MAX_SERVICE_TYPE = 5;
  private static final Pattern SOURCE = Pattern.compile("\\+?[0-9]{3,15}|[A-Za-z0-9 ]{1,11}");

  /** An SMPP sender's settings; {@code password} is the secret. */
  public record Settings(
      String host,
      int port,
      String systemId,
      String password,
      String systemType,
      String serviceType,
      int priorityFlag,
      String sourceAddr,
      int sourceTon,
      int sourceNpi,
      int destTon,
      int destNpi,
      int window,
      int enquireLinkSeconds) {
    @Override
    public String toString() {
      return "SmppSettings[" + systemId + "@" + host + ":" + port + ", window=" + window + "]";
    }
  }

  @Override
  public String name() {
    return "smpp";
  }

  @Override
  public String channel() {
    return Sms.CHANNEL;
  }

  @Override
  public Set<String> keys() {
    return Set.of(
        "host",
        "port",
        "system_id",
        "password",
        "system_type",
        "service_type",
        "priority_flag",
        "source_addr",
        "source_ton",
        "source_npi",
        "dest_ton",
        "dest_npi",
        "window",
        "enquire_link_seconds");
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of("password");
  }

  @Override
  public Settings read(SettingsInput in) {
    String host = in.requiredString("host", 255);
    String systemId = cOctetString(in, "system_id", MAX_SYSTEM_ID, true);
    String password = cOctetString(in, "password", MAX_PASSWORD, true);
    String systemType = cOctetString(in, "system_type", MAX_SYSTEM_TYPE, false);
    String serviceType = cOctetString(in, "service_type", MAX_SERVICE_TYPE, false);
    int priority = in.integer("priority_flag", 0, 0, 3);
    String source = in.requiredString("source_addr", 21);
    if (source != null && !SOURCE.matcher(source).matches()) {
      in.error(
          "source_addr",
          "invalid_value",
          "source_addr must be a number or up to 11 letters and digits");
    }
    int port = in.integer("port", 2775, 1, 65535);
    boolean alphanumeric = source != null && !source.matches("\\+?[0-9]+");
    int sourceTon = in.integer("source_ton", alphanumeric ? 5 : 1, 0, 6);
    int sourceNpi = in.integer("source_npi", alphanumeric ? 0 : 1, 0, 18);
    int destTon = in.integer("dest_ton", 1, 0, 6);
    int destNpi = in.integer("dest_npi", 1, 0, 18);
    int window = in.integer("window", 10, 1, 1000);
    int enquireLink = in.integer("enquire_link_seconds", 30, 5, 3600);
    return new Settings(
        host,
        port,
        systemId,
        password,
        systemType,
        serviceType,
        priority,
        source,
        sourceTon,
        sourceNpi,
        destTon,
        destNpi,
        window,
        enquireLink);
  }

  /**
   * An SMPP C-Octet String setting: up to {@code max} printable ASCII characters (0x20-0x7E), as
   * the protocol carries it. Optional ones may be absent or empty (the field is then sent empty).
   */
  private static String cOctetString(SettingsInput in, String key, int max, boolean required) {
    Object value = in.values().getValue(key);
    String field = "settings." + key;
    String rule = "up to " + max + " printable ASCII characters (SMPP 3.4 " + key + ")";
    if (value == null) {
      if (required) {
        in.error(key, "required", field + " is required: " + rule);
      }
    } else if (!(value instanceof String text) || (required && text.isBlank())) {
      in.error(key, "invalid_value", field + " must be a string of " + rule);
    } else if (text.length() > max) {
      in.error(
          key,
          "invalid_value",
          field + " is " + text.length() + " characters; SMPP 3.4 allows " + rule);
    } else if (!text.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
      in.error(key, "invalid_value", field + " must be " + rule);
    } else {
      return text;
    }
    return null;
  }

  @Override
  public Settings settings(ChannelSender sender) {
    JsonObject s = sender.settings();
    return new Settings(
        s.getString("host"),
        s.getInteger("port", 2775),
        s.getString("system_id"),
        sender.secrets().getString("password"),
        s.getString("system_type", ""),
        s.getString("service_type", ""),
        s.getInteger("priority_flag", 0),
        s.getString("source_addr"),
        s.getInteger("source_ton", 1),
        s.getInteger("source_npi", 1),
        s.getInteger("dest_ton", 1),
        s.getInteger("dest_npi", 1),
        s.getInteger("window", 10),
        s.getInteger("enquire_link_seconds", 30));
  }

  @Override
  public String accountKey(ChannelSender sender) {
    Settings s = settings(sender);
    return "smpp|" + s.host() + "|" + s.port() + "|" + s.systemId();
  }

  @Override
  public String sourceAddress(JsonObject settings) {
    return settings.getString("source_addr");
  }

  @Override
  public Provider open(ProviderContext context, ChannelSender sender) {
    return new SmppProvider(
        sender,
        settings(sender),
        context.context(),
        new SmppReceiver(context.sink(), context.context()));
  }
}
