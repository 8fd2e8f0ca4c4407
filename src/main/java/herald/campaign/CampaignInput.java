package herald.campaign;

import herald.channel.registry.Channels;
import herald.phone.PhoneNumbers;
import herald.platform.database.Ids;
import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a campaign from a request body, with the field names of the seeds as aliases: seed 003's
 * {@code message_content}, seed 002's {@code scheduledAt}, {@code message: {type, content}}, {@code
 * recipients: [{number, ...}]} and {@code settings.delayBetweenMessages}. Every problem is reported
 * at once as a 422 field error.
 */
final class CampaignInput {
  static final Set<String> FIELDS =
      Set.of(
          "name",
          "channel",
          "sender_id",
          "sender_ids",
          "message",
          "message_content",
          "template_id",
          "variants",
          "audience",
          "group_ids",
          "contact_ids",
          "recipients",
          "scheduled_at",
          "scheduledAt",
          "start_at",
          "recurrence",
          "rate_per_second",
          "delay_between_messages_ms",
          "settings",
          "weight",
          "quiet_hours",
          "max_attempts",
          "retry_delay_seconds",
          "missing_variables",
          "content",
          "voice");
  static final int MAX_INLINE_RECIPIENTS = 100_000;
  static final int MAX_IDS = 1000;

  private CampaignInput() {}

  /**
   * A WhatsApp campaign's {@code content}: a template or a free-form message (text, media, ...),
   * validated by the channel's format; free-form content goes only to recipients inside the 24-hour
   * window (the others are skipped when their turn comes). Refused for SMS campaigns. Null when
   * absent.
   */
  static JsonObject content(JsonInput in, String channel) {
    JsonObject content = in.optionalObject("content");
    if (content == null) {
      if ("whatsapp".equals(channel)) {
        in.error("content", "required", "a WhatsApp campaign sends a message: give 'content'");
      }
      return null;
    }
    if (!"whatsapp".equals(channel)) {
      in.error(
          "content", "not_supported", "'content' is for WhatsApp campaigns; SMS uses 'message'");
      return null;
    }
    List<herald.platform.http.FieldError> errors = new ArrayList<>();
    herald.channel.ContentFormat.Prepared prepared =
        Channels.contentFormat(channel).prepare(null, content, errors);
    if (prepared == null) {
      errors.forEach(e -> in.error(e.field(), e.code(), e.detail()));
      return null;
    }
    return prepared.content();
  }

  /** A campaign read from a request, and its inline recipients (null when none were given). */
  record Parsed(CampaignSpec spec, List<RecipientStore.NewRecipient> recipients) {}

  static Parsed read(JsonInput in, String defaultRegion, ZoneId accountZone) {
    String name = in.requiredString("name", 1, 200);
    String channel = in.optionalEnum("channel", Set.of("sms", "whatsapp", "voice"));
    JsonObject content = content(in, channel);
    List<UUID> senders = ids(in, "sender_ids");
    if (in.value("sender_id") != null) {
      UUID one = in.value("sender_id") instanceof String s ? Ids.parse(s) : null;
      if (one == null) {
        in.error("sender_id", "invalid_value", "'sender_id' must be a sender id");
      } else if (!senders.contains(one)) {
        senders = new ArrayList<>(senders);
        senders.add(0, one);
      }
    }
    String message = message(in);
    UUID templateId = optionalId(in, "template_id");
    if (message != null && templateId != null) {
      in.error("message", "conflict", "give either 'message' or 'template_id', not both");
    }
    List<Variant> variants = variants(in);
    if (content != null && (message != null || templateId != null || !variants.isEmpty())) {
      in.error(
          "content",
          "conflict",
          "a WhatsApp campaign's message is its 'content'; no 'message', 'template_id' or variants");
    }
    JsonObject audience = in.optionalObject("audience");
    List<UUID> groups = ids(in, "group_ids");
    List<UUID> contacts = ids(in, "contact_ids");
    if (audience != null) {
      for (String key : audience.fieldNames()) {
        if (!Set.of("group_ids", "contact_ids").contains(key)) {
          in.error("audience." + key, "unknown_field", "Unknown field '" + key + "'");
        }
      }
      groups = union(groups, idList(in, "audience.group_ids", audience.getValue("group_ids")));
      contacts =
          union(contacts, idList(in, "audience.contact_ids", audience.getValue("contact_ids")));
    }
    Instant startAt = in.optionalInstant(in.has("scheduledAt") ? "scheduledAt" : "scheduled_at");
    if (in.has("start_at")) {
      startAt = in.optionalInstant("start_at");
    }
    Recurrence recurrence = null;
    JsonObject recurrenceJson = in.optionalObject("recurrence");
    if (recurrenceJson != null) {
      recurrence = Recurrence.read(in, "recurrence", recurrenceJson, accountZone);
    }
    Double rate = rate(in);
    Integer delay = in.optionalInteger("delay_between_messages_ms", null, 0, 3_600_000);
    JsonObject settings = in.optionalObject("settings");
    if (settings != null) {
      Object d = settings.getValue("delayBetweenMessages");
      if (!(d instanceof Integer ms) || ms < 0 || ms > 3_600_000 || settings.size() != 1) {
        in.error(
            "settings",
            "invalid_value",
            "'settings' takes only delayBetweenMessages, in milliseconds (0 to 3600000)");
      } else if (delay == null) {
        delay = ms;
      }
    }
    Integer weight = in.optionalInteger("weight", 1, 1, 100);
    QuietHours quiet = null;
    JsonObject quietJson = in.optionalObject("quiet_hours");
    if (quietJson != null) {
      quiet = QuietHours.read(in, "quiet_hours", quietJson);
    }
    Integer maxAttempts = in.optionalInteger("max_attempts", 1, 1, 10);
    Integer retryDelay = in.optionalInteger("retry_delay_seconds", 300, 0, 7 * 86_400);
    String missing = in.optionalEnum("missing_variables", Set.of("blank", "skip"));
    List<RecipientStore.NewRecipient> recipients = recipients(in, defaultRegion);
    JsonObject voiceJson = in.optionalObject("voice");
    if ("voice".equals(channel)) {
      if (message != null || templateId != null || !variants.isEmpty()) {
        in.error(
            "message",
            "not_supported",
            "a voice campaign calls with 'voice' (a sound to play); no message, template or"
                + " variants");
      }
      if (voiceJson == null) {
        in.error("voice", "required", "a voice campaign needs 'voice' with at least 'play'");
      } else {
        content = VoiceSpec.read(in, voiceJson, retryDelay == null ? 300 : retryDelay).stored();
      }
    } else if (voiceJson != null) {
      in.error("voice", "not_supported", "'voice' is for campaigns with channel 'voice'");
    }
    in.check();
    CampaignSpec spec =
        new CampaignSpec(
            name,
            channel == null ? Channels.DEFAULT_CHANNEL : channel,
            List.copyOf(senders),
            message,
            templateId,
            variants,
            groups,
            contacts,
            startAt,
            recurrence,
            rate,
            delay,
            weight,
            quiet,
            maxAttempts,
            retryDelay,
            missing == null ? "blank" : missing,
            content);
    return new Parsed(spec, recipients);
  }

  /**
   * {@code message} as text or seed 002's {@code {type: text, content}}, or {@code
   * message_content}.
   */
  static String message(JsonInput in) {
    Object value = in.has("message") ? in.value("message") : in.value("message_content");
    String field = in.has("message") ? "message" : "message_content";
    if (value instanceof JsonObject object) {
      if (!"text".equals(object.getString("type", "text"))
          || !(object.getValue("content") instanceof String)) {
        in.error(
            field,
            "invalid_value",
            "a message object must be {\"type\": \"text\", \"content\": ...}");
        return null;
      }
      value = object.getString("content");
    }
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank() || text.length() > Expansion.MAX_BODY) {
      in.error(field, "invalid_value", "'" + field + "' must be text of 1 to 1600 characters");
      return null;
    }
    return text;
  }

  private static Double rate(JsonInput in) {
    Object value = in.value("rate_per_second");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() < 0.01 || n.doubleValue() > 100_000) {
      in.error("rate_per_second", "invalid_value", "must be a number from 0.01 to 100000");
      return null;
    }
    return n.doubleValue();
  }

  static List<Variant> variants(JsonInput in) {
    Object value = in.value("variants");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() < 2 || array.size() > 10) {
      in.error("variants", "invalid_value", "'variants' must be an array of 2 to 10 variants");
      return List.of();
    }
    List<Variant> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int sum = 0;
    for (int i = 0; i < array.size(); i++) {
      String field = "variants[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject v)) {
        in.error(field, "invalid_type", "each variant must be an object");
        continue;
      }
      Object nameValue = v.containsKey("name") ? v.getValue("name") : v.getValue("variant_name");
      String name = nameValue instanceof String s && !s.isBlank() ? s.trim() : null;
      if (name == null || name.length() > 100 || !names.add(name)) {
        in.error(field + ".name", "invalid_value", "each variant needs a unique name");
      }
      Object text = v.getValue("message");
      UUID template = v.getValue("template_id") instanceof String s ? Ids.parse(s) : null;
      if ((text == null) == (v.getValue("template_id") == null)
          || (text != null && (!(text instanceof String t) || t.isBlank() || t.length() > 1600))
          || (v.getValue("template_id") != null && template == null)) {
        in.error(
            field, "invalid_value", "each variant needs either a 'message' or a 'template_id'");
      }
      Object pct = v.getValue("percentage");
      if (!(pct instanceof Integer p) || p < 1 || p > 99) {
        in.error(field + ".percentage", "invalid_value", "must be a whole number from 1 to 99");
      } else {
        sum += p;
        out.add(new Variant(name, text instanceof String t ? t : null, template, p));
      }
    }
    if (out.size() == array.size() && sum != 100) {
      in.error("variants", "invalid_value", "variant percentages must sum to 100, not " + sum);
    }
    return out;
  }

  /**
   * Inline recipients: phone-number strings (seed 003) or objects with {@code number}, {@code
   * phone} or {@code phone_number}, an optional {@code timezone}, and any other fields as their
   * variables (seed 002). Invalid numbers are kept as skipped recipients.
   */
  static List<RecipientStore.NewRecipient> recipients(JsonInput in, String region) {
    Object value = in.value("recipients");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_INLINE_RECIPIENTS) {
      in.error(
          "recipients",
          "invalid_value",
          "'recipients' must be an array of at most " + MAX_INLINE_RECIPIENTS + " recipients");
      return null;
    }
    List<RecipientStore.NewRecipient> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String phone;
      JsonObject data = null;
      String zone = null;
      if (item instanceof String s) {
        phone = s;
      } else if (item instanceof JsonObject o) {
        data = o.copy();
        phone = firstText(data, "number", "phone", "phone_number");
        Object tz = data.remove("timezone");
        zone = tz instanceof String t ? t : null;
      } else {
        in.error("recipients[" + i + "]", "invalid_type", "must be a number or an object");
        continue;
      }
      if (phone == null) {
        in.error("recipients[" + i + "]", "required", "each recipient needs a phone number");
        continue;
      }
      PhoneNumbers.Parsed parsed = PhoneNumbers.parse(phone, region);
      out.add(
          parsed.ok()
              ? new RecipientStore.NewRecipient(parsed.e164(), data, zone, null)
              : new RecipientStore.NewRecipient(
                  phone.length() > 64 ? phone.substring(0, 64) : phone,
                  data,
                  zone,
                  "invalid_number"));
    }
    return out;
  }

  private static String firstText(JsonObject data, String... keys) {
    for (String key : keys) {
      if (data.getValue(key) instanceof String s && !s.isBlank()) {
        return s;
      }
    }
    return null;
  }

  private static UUID optionalId(JsonInput in, String field) {
    Object value = in.value(field);
    if (value == null) {
      return null;
    }
    UUID id = value instanceof String s ? Ids.parse(s) : null;
    if (id == null) {
      in.error(field, "invalid_value", "'" + field + "' must be an id");
    }
    return id;
  }

  private static List<UUID> ids(JsonInput in, String field) {
    return idList(in, field, in.value(field));
  }

  private static List<UUID> idList(JsonInput in, String field, Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_IDS) {
      in.error(field, "invalid_value", "'" + field + "' must be an array of at most 1000 ids");
      return List.of();
    }
    List<UUID> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      UUID id = array.getValue(i) instanceof String s ? Ids.parse(s) : null;
      if (id == null) {
        in.error(field + "[" + i + "]", "invalid_value", "must be an id");
      } else if (!out.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  private static List<UUID> union(List<UUID> a, List<UUID> b) {
    List<UUID> out = new ArrayList<>(a);
    b.stream().filter(id -> !out.contains(id)).forEach(out::add);
    return out;
  }
}
