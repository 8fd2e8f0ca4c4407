package herald.event;

import herald.platform.database.Outbox;
import java.util.HashMap;
import java.util.Map;

/**
 * Every event type Herald writes to the outbox, in one place: its wire name (the {@code type} of a
 * webhook body and of the {@code events} row) and what it means. Writers name their events with
 * these constants, never with strings; {@link EventCatalogue} serves them with an example payload,
 * and endpoint filters are checked against them.
 */
public enum EventType implements Outbox.Type {
  MESSAGE_QUEUED("message.queued", "A message was accepted and queued for sending."),
  MESSAGE_SENT("message.sent", "The provider accepted the message (SMSC or API)."),
  MESSAGE_DELIVERED("message.delivered", "The provider reported delivery to the handset."),
  MESSAGE_READ("message.read", "The recipient read the message (WhatsApp read receipts)."),
  MESSAGE_UNDELIVERED("message.undelivered", "The provider reported the message undeliverable."),
  MESSAGE_FAILED("message.failed", "Herald gave up sending: permanent error or no attempts left."),
  MESSAGE_RECEIVED("message.received", "An inbound message arrived on one of your senders."),
  MESSAGE_CANCELED(
      "message.canceled", "A queued message was canceled (by the API or a stopped campaign)."),
  CAMPAIGN_STARTED(
      "campaign.started", "A campaign (or one run of a recurring campaign) began sending."),
  CAMPAIGN_PAUSED("campaign.paused", "A running campaign was paused."),
  CAMPAIGN_RESUMED("campaign.resumed", "A paused campaign was resumed."),
  CAMPAIGN_COMPLETED(
      "campaign.completed", "Every recipient of a campaign was sent to, skipped or failed."),
  CAMPAIGN_STOPPED("campaign.stopped", "A campaign was stopped; what was not sent is canceled."),
  CAMPAIGN_FAILED(
      "campaign.failed", "A campaign could not go on (for example its sender was removed)."),
  BLACKLIST_ADDED("blacklist.added", "A number was put on the blacklist (for example by STOP)."),
  BLACKLIST_REMOVED(
      "blacklist.removed", "A number was taken off the blacklist (for example START)."),
  CONTACT_CREATED("contact.created", "A contact was created through the API."),
  CONTACT_UPDATED("contact.updated", "A contact was changed through the API."),
  CONTACT_DELETED("contact.deleted", "A contact was deleted."),
  CONTACT_GROUP_MEMBERS_ADDED(
      "contact_group.members_added",
      "Contacts joined a group (through the API or an import): the count, not the ids."),
  CONTACT_GROUP_MEMBERS_REMOVED(
      "contact_group.members_removed", "Contacts were taken out of a group: the count."),
  CONTACTS_IMPORTED(
      "contacts.imported",
      "A contact CSV import completed: the job with its counters, in the transaction that"
          + " committed the contacts."),
  CONTACTS_IMPORT_FAILED(
      "contacts.import_failed",
      "A contact CSV import failed and imported nothing: the job with its error."),
  CALL_QUEUED("call.queued", "A call was accepted and queued for its voice sender's lane."),
  CALL_RINGING("call.ringing", "The called party's phone is ringing."),
  CALL_ANSWERED("call.answered", "The call was answered."),
  CALL_COMPLETED(
      "call.completed",
      "An answered call ended (status completed, or machine when AMD heard a machine), with its"
          + " CDR id."),
  CALL_FAILED(
      "call.failed",
      "A call ended unanswered (busy, no_answer, failed) or was canceled, with its CDR id when it"
          + " was dialled."),
  CALL_IVR_CALLBACK(
      "call.ivr_callback",
      "A caller chose an IVR option that asks for a callback: the call with ivr (ivr_id, menu, key,"
          + " data)."),
  WEBHOOK_TEST("webhook.test", "Sent to one endpoint by POST /api/v1/webhooks/{id}/test."),
  WEBHOOK_DISABLED(
      "webhook.disabled",
      "An endpoint was disabled: it answered 410 Gone or kept failing for too long.");

  private static final Map<String, EventType> BY_TYPE = new HashMap<>();

  static {
    for (EventType t : values()) {
      BY_TYPE.put(t.type, t);
    }
  }

  private final String type;
  private final String description;

  EventType(String type, String description) {
    this.type = type;
    this.description = description;
  }

  /** The wire name, such as {@code message.queued}. */
  @Override
  public String type() {
    return type;
  }

  /** One sentence on when the event is written. */
  public String description() {
    return description;
  }

  /** The type with this wire name, or null when there is none. */
  public static EventType of(String type) {
    return BY_TYPE.get(type);
  }

  @Override
  public String toString() {
    return type;
  }
}
