package herald.campaign;

import herald.channel.registry.Channels;
import herald.channel.sms.Encoding;
import herald.contact.Contact;
import herald.message.MessageStore;
import herald.phone.PhoneNumbers;
import herald.platform.database.Ids;
import herald.sender.Sender;
import herald.template.Renderer;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns due recipients into messages, one decision each: skipped (blacklisted, a missing variable
 * under the {@code skip} policy, an empty or over-long text), deferred to the end of their quiet
 * hours, or a message rendered from its variant's content with the contact's fields, custom fields
 * and the recipient's own data, on the next sender in turn, at the next slot of the paced stream.
 * Pure computation: the caller reads and writes the database.
 */
final class Expansion {
  static final int MAX_BODY = 1600;

  private final Campaign campaign;
  private final List<Sender> senders;
  private final Map<UUID, String> templates;
  private final ZoneId accountZone;
  private int turn;

  /**
   * @param senders the campaign's senders (or the account's default), used in turn
   * @param templates content of the templates the campaign uses, by id
   * @param turn the sender turn to start at
   */
  Expansion(
      Campaign campaign,
      List<Sender> senders,
      Map<UUID, String> templates,
      ZoneId accountZone,
      int turn) {
    this.campaign = campaign;
    this.senders = senders;
    this.templates = templates;
    this.accountZone = accountZone;
    this.turn = turn;
  }

  /** Whose turn it is among the senders, carried over when the expansion is rebuilt. */
  int turn() {
    return turn;
  }

  List<UUID> senderIds() {
    return senders.stream().map(Sender::id).toList();
  }

  /** What became of each recipient, and the messages to insert. */
  record Batch(List<RecipientStore.Outcome> outcomes, List<MessageStore.NewMessage> messages) {}

  /**
   * @param firstSlot epoch milliseconds of the first message's slot
   * @param spacing milliseconds between slots
   */
  Batch expand(List<RecipientStore.Due> due, Instant now, double firstSlot, double spacing) {
    return expand(due, now, firstSlot, spacing, Map.of());
  }

  /**
   * @param openWindows for free-form content of a channel with a customer-service window: the
   *     campaign's senders each due recipient (by number) may be sent to now
   */
  Batch expand(
      List<RecipientStore.Due> due,
      Instant now,
      double firstSlot,
      double spacing,
      Map<String, java.util.Set<UUID>> openWindows) {
    List<RecipientStore.Outcome> outcomes = new ArrayList<>(due.size());
    List<MessageStore.NewMessage> messages = new ArrayList<>();
    CampaignSpec spec = campaign.spec();
    for (RecipientStore.Due r : due) {
      if (r.blacklisted()) {
        outcomes.add(skip(r, "blacklisted", null));
        continue;
      }
      Instant resume = quietUntil(r, now);
      if (resume != null) {
        outcomes.add(
            new RecipientStore.Outcome(r.seq(), "pending", null, null, null, null, resume));
        continue;
      }
      Variant variant =
          spec.variants().isEmpty()
              ? null
              : Variant.assign(spec.variants(), campaign.variantKey(), r.phone());
      if (spec.content() != null) {
        typed(r, firstSlot, spacing, openWindows, messages, outcomes);
        continue;
      }
      String content = content(variant);
      Renderer.Result rendered = Renderer.render(content, variables(r));
      String variantName = variant == null ? null : variant.name();
      if (!rendered.missing().isEmpty() && "skip".equals(spec.missingVariables())) {
        outcomes.add(skip(r, "missing_variable", variantName));
        continue;
      }
      String body = rendered.text().strip();
      if (body.isEmpty()) {
        outcomes.add(skip(r, "empty_message", variantName));
        continue;
      }
      if (body.length() > MAX_BODY) {
        outcomes.add(skip(r, "message_too_long", variantName));
        continue;
      }
      Sender sender = senders.get(Math.floorMod(turn++, senders.size()));
      Encoding encoding = Encoding.detect(body);
      UUID id = Ids.newId();
      Instant slot = Instant.ofEpochMilli((long) (firstSlot + messages.size() * spacing));
      messages.add(
          new MessageStore.NewMessage(
              id,
              sender.id(),
              r.phone(),
              sender.from(),
              body,
              encoding,
              encoding.segments(body),
              slot,
              variantName == null ? null : new JsonObject().put("campaign_variant", variantName),
              null));
      outcomes.add(
          new RecipientStore.Outcome(
              r.seq(), "queued", null, id, variantName, PhoneNumbers.operator(r.phone()), null));
    }
    return new Batch(outcomes, messages);
  }

  /**
   * A recipient of a campaign with typed content (WhatsApp): the content's texts rendered with the
   * recipient's variables, in the next slot of the paced stream. Free-form content goes on a sender
   * the recipient wrote to within its customer-service window (the next in turn that qualifies);
   * without one the recipient is skipped ({@code outside_customer_service_window}).
   */
  private void typed(
      RecipientStore.Due r,
      double firstSlot,
      double spacing,
      Map<String, java.util.Set<UUID>> openWindows,
      List<MessageStore.NewMessage> messages,
      List<RecipientStore.Outcome> outcomes) {
    CampaignSpec spec = campaign.spec();
    Renderer.Variables vars = variables(r);
    java.util.Set<String> missing = new java.util.TreeSet<>();
    List<herald.platform.http.FieldError> errors = new ArrayList<>();
    herald.channel.ContentFormat format = Channels.contentFormat(spec.channel());
    herald.channel.ContentFormat.Prepared prepared =
        format.personalize(
            spec.content(),
            text -> {
              Renderer.Result rendered = Renderer.render(text, vars);
              missing.addAll(rendered.missing());
              return rendered.text();
            },
            errors);
    if (!missing.isEmpty() && "skip".equals(spec.missingVariables())) {
      outcomes.add(skip(r, "missing_variable", null));
      return;
    }
    if (prepared == null) {
      outcomes.add(skip(r, errors.get(0).code(), null));
      return;
    }
    Sender sender = null;
    if (prepared.freeForm() && format.serviceWindow() != null) {
      java.util.Set<UUID> open = openWindows.getOrDefault(r.phone(), java.util.Set.of());
      for (int i = 0; i < senders.size() && sender == null; i++) {
        Sender candidate = senders.get(Math.floorMod(turn + i, senders.size()));
        if (open.contains(candidate.id())) {
          sender = candidate;
          turn += i + 1;
        }
      }
      if (sender == null) {
        outcomes.add(skip(r, OUTSIDE_WINDOW, null));
        return;
      }
    } else {
      sender = senders.get(Math.floorMod(turn++, senders.size()));
    }
    UUID id = Ids.newId();
    Instant slot = Instant.ofEpochMilli((long) (firstSlot + messages.size() * spacing));
    messages.add(
        new MessageStore.NewMessage(
            id,
            sender.id(),
            r.phone(),
            sender.from(),
            prepared.body(),
            null,
            1,
            slot,
            null,
            null,
            prepared.content()));
    outcomes.add(
        new RecipientStore.Outcome(
            r.seq(), "queued", null, id, null, PhoneNumbers.operator(r.phone()), null));
  }

  /** Why a recipient of free-form content outside the customer-service window is skipped. */
  static final String OUTSIDE_WINDOW = "outside_customer_service_window";

  /**
   * Whether the campaign sends free-form content on a channel with a customer-service window, so
   * each recipient's open windows must be looked up before {@link #expand}.
   */
  boolean needsWindows() {
    CampaignSpec spec = campaign.spec();
    if (spec.content() == null) {
      return false;
    }
    herald.channel.ContentFormat format = Channels.contentFormat(spec.channel());
    if (format.serviceWindow() == null) {
      return false;
    }
    herald.channel.ContentFormat.Prepared p =
        format.personalize(spec.content(), t -> t, new ArrayList<>());
    return p != null && p.freeForm();
  }

  /** The channel's customer-service window, or null. */
  java.time.Duration serviceWindow() {
    return Channels.contentFormat(campaign.spec().channel()).serviceWindow();
  }

  private static RecipientStore.Outcome skip(RecipientStore.Due r, String reason, String variant) {
    return new RecipientStore.Outcome(r.seq(), "skipped", reason, null, variant, null, null);
  }

  private String content(Variant variant) {
    if (variant != null) {
      return variant.message() != null ? variant.message() : templates.get(variant.templateId());
    }
    CampaignSpec spec = campaign.spec();
    return spec.message() != null ? spec.message() : templates.get(spec.templateId());
  }

  /** When quiet hours judged by the recipient's own zone end, or null when they may be sent to. */
  private Instant quietUntil(RecipientStore.Due r, Instant now) {
    QuietHours quiet = campaign.spec().quietHours();
    if (quiet == null || quiet.zone() != null) {
      return null; // none, or campaign-wide (the runner pauses the whole stream)
    }
    return quiet.resumeAt(now, zoneOf(r));
  }

  private ZoneId zoneOf(RecipientStore.Due r) {
    String zone = r.timezone();
    if (zone == null && r.contact() != null) {
      zone = r.contact().getString("timezone");
    }
    if (zone != null) {
      try {
        return ZoneId.of(zone);
      } catch (DateTimeException e) {
        // an unknown zone in the data: judge by the account's
      }
    }
    return accountZone;
  }

  static Renderer.Variables variables(RecipientStore.Due r) {
    Renderer.Variables vars;
    JsonObject c = r.contact();
    if (c != null) {
      vars =
          Renderer.Variables.of(
              new Contact(
                  null,
                  null,
                  r.phone(),
                  c.getString("name"),
                  c.getString("first_name"),
                  c.getString("last_name"),
                  c.getString("email"),
                  "active",
                  c.getString("timezone"),
                  null,
                  c.getJsonObject("custom_fields", new JsonObject()),
                  List.of(),
                  null,
                  null));
    } else {
      vars = Renderer.Variables.of(new JsonObject().put("phone_number", r.phone()));
    }
    return r.data() == null ? vars : vars.with(r.data());
  }
}
