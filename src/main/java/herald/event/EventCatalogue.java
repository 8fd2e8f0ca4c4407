package herald.event;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * The event catalogue as consumers see it: every {@link EventType} with its description and an
 * example of its {@code data}. Webhook endpoint filters are checked against it: an exact type, a
 * prefix such as {@code message.*}, or {@code *}.
 */
public final class EventCatalogue {
  private EventCatalogue() {}

  /** True for {@code *}, an exact known type, or {@code <prefix>.*} matching a known type. */
  public static boolean isValidFilter(String filter) {
    if (filter.equals("*") || EventType.of(filter) != null) {
      return true;
    }
    if (filter.endsWith(".*") && filter.length() > 2) {
      String prefix = filter.substring(0, filter.length() - 1);
      return Arrays.stream(EventType.values()).anyMatch(t -> t.type().startsWith(prefix));
    }
    return false;
  }

  /** The catalogue as served by {@code GET /api/v1/webhooks/events}. */
  public static JsonObject toJson() {
    JsonArray data = new JsonArray();
    for (EventType type : EventType.values()) {
      data.add(
          new JsonObject()
              .put("type", type.type())
              .put("description", type.description())
              .put("example", example(type.type())));
    }
    return new JsonObject().put("data", data);
  }

  /** An example of the {@code data} of an event of this type (wire name). */
  public static JsonObject example(String type) {
    String id = "01980c4e-9d6f-7b3a-a1c2-3d4e5f607182";
    if (type.startsWith("message.")) {
      String status = type.substring("message.".length());
      boolean inbound = status.equals("received");
      boolean failed = status.equals("failed") || status.equals("undelivered");
      return new JsonObject()
          .put("id", id)
          .put("status", status)
          .put("direction", inbound ? "inbound" : "outbound")
          .put("channel", "sms")
          .put("to", inbound ? "12345" : "+14155550100")
          .put("from", inbound ? "+14155550100" : "12345")
          .put("sender_id", "01980c4e-1111-7aaa-8bbb-cccccccccccc")
          .put("campaign_id", null)
          .put("segments", 1)
          .put("encoding", "GSM-7")
          .put("attempts", inbound ? 0 : 1)
          .put("provider_message_id", status.equals("queued") ? null : "5f3a9c")
          .put("error_code", failed ? "UNDELIV" : null)
          .put("error_message", failed ? "undeliverable" : null)
          .put("metadata", new JsonObject().put("order", "A-1001"))
          .put("body", inbound ? "STOP" : null)
          .put("timestamp", "2026-01-31T12:00:00.000000Z");
    }
    if (type.startsWith("call.")) {
      String status =
          switch (type) {
            case "call.queued" -> "queued";
            case "call.ringing" -> "ringing";
            case "call.answered" -> "answered";
            case "call.completed" -> "completed";
            default -> "busy";
          };
      boolean ended = status.equals("completed") || status.equals("busy");
      boolean answered = status.equals("answered") || status.equals("completed");
      JsonObject data =
          new JsonObject()
              .put("id", id)
              .put("sender_id", "01980c4e-1111-7aaa-8bbb-cccccccccccc")
              .put("to", "+14155550100")
              .put("caller_id", "\"Herald\" <+14155550199>")
              .put("status", status)
              .put("channel_id", status.equals("queued") ? null : "herald-" + id + "-1")
              .put("attempts", status.equals("queued") ? 0 : 1)
              .put("hangup_cause", ended ? (answered ? 16 : 17) : null)
              .put("hangup_cause_text", ended ? (answered ? "Normal Clearing" : "User busy") : null)
              .put("dtmf", "")
              .put("answered_at", answered ? "2026-01-31T12:00:05Z" : null)
              .put("ended_at", ended ? "2026-01-31T12:01:05Z" : null);
      if (ended) {
        data.put("cdr_id", "01980c4e-3333-7aaa-8bbb-cccccccccccc");
      }
      return data;
    }
    if (type.startsWith("campaign.")) {
      String status =
          switch (type) {
            case "campaign.started", "campaign.resumed" -> "running";
            default -> type.substring("campaign.".length());
          };
      JsonObject data =
          new JsonObject()
              .put("id", id)
              .put("name", "Black Friday")
              .put("status", status)
              .put("parent_id", null);
      if (type.equals("campaign.completed")) {
        data.put("total", 1000)
            .put("pending", 0)
            .put("queued", 0)
            .put("sent", 990)
            .put("delivered", 975)
            .put("failed", 4)
            .put("canceled", 0)
            .put("skipped", 6)
            .put("skipped_by_reason", new JsonObject().put("blacklisted", 5).put("duplicate", 1))
            .put("percentage", 100.0);
      }
      if (type.equals("campaign.failed")) {
        data.put("error", "no active sms sender for this campaign");
      }
      return data;
    }
    return switch (type) {
      case "blacklist.added" ->
          new JsonObject()
              .put("id", id)
              .put("phone_number", "+14155550100")
              .put("reason", "replied STOP")
              .put("source", "inbound_stop")
              .put("message_id", "01980c4e-2222-7aaa-8bbb-cccccccccccc");
      case "blacklist.removed" ->
          new JsonObject()
              .put("id", id)
              .put("phone_number", "+14155550100")
              .put("message_id", "01980c4e-2222-7aaa-8bbb-cccccccccccc");
      case "contact.created", "contact.updated", "contact.deleted" ->
          new JsonObject()
              .put("id", id)
              .put("phone_number", "+14155550100")
              .put("name", "Ada Lovelace")
              .put("first_name", "Ada")
              .put("last_name", "Lovelace")
              .put("email", "ada@example.com")
              .put("status", "active")
              .put("timezone", "Europe/London")
              .put("language", "en")
              .put("custom_fields", new JsonObject().put("company", "ACME"))
              .put("group_ids", new JsonArray())
              .put("created_at", "2026-01-31T12:00:00Z")
              .put("updated_at", "2026-01-31T12:00:00Z");
      case "contact_group.members_added", "contact_group.members_removed" ->
          new JsonObject()
              .put("group_id", id)
              .put("count", 250)
              .put("member_count", 1250)
              .put("source", "api");
      case "contacts.imported", "contacts.import_failed" -> {
        boolean failed = type.endsWith("failed");
        yield new JsonObject()
            .put("id", id)
            .put("type", "contacts.import")
            .put("state", failed ? "failed" : "completed")
            .put("progress", failed ? 40 : 100)
            .put(
                "params",
                new JsonObject()
                    .put("file_name", "contacts.csv")
                    .put("group_id", null)
                    .put("on_duplicate", "skip")
                    .put("on_error", failed ? "reject" : "skip"))
            .put("size_bytes", 98_935_150)
            .put("rows_read", failed ? 400_000 : 1_000_000)
            .put("imported", failed ? 0 : 990_000)
            .put("updated", 0)
            .put("skipped", failed ? 0 : 3_333)
            .put("failed", failed ? 12 : 6_667)
            .put(
                "error",
                failed
                    ? new JsonObject()
                        .put("code", "invalid_rows")
                        .put(
                            "detail",
                            "12 rows are invalid and on_error=reject, so nothing was imported")
                    : null)
            .put("errors_url", "/api/v1/jobs/" + id + "/errors.csv")
            .put("created_at", "2026-01-31T12:00:00Z")
            .put("started_at", "2026-01-31T12:00:01Z")
            .put("finished_at", "2026-01-31T12:00:21Z");
      }
      case "webhook.test" ->
          new JsonObject()
              .put("message", "This is a test webhook delivery")
              .put("webhook_id", id)
              .put("webhook_name", "My integration");
      default ->
          new JsonObject()
              .put("webhook_id", id)
              .put("webhook_name", "My integration")
              .put("url", "https://example.com/hooks")
              .put("reason", "gone")
              .put("detail", "the endpoint answered 410 Gone");
    };
  }
}
