package herald.webhook;

import herald.event.EventCatalogue;
import herald.platform.config.WebhookConfig;
import herald.platform.database.Ids;
import herald.platform.http.JsonInput;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The fields of an endpoint as given in a request, validated; null means "not given" (PUT keeps the
 * stored value). Every problem becomes a field error on the {@link JsonInput}.
 */
record EndpointInput(
    String name,
    String url,
    List<String> events,
    String secret,
    Integer retryLimit,
    Integer timeoutSeconds,
    Boolean active,
    Integer rateLimit,
    boolean rateLimitGiven,
    Boolean ordered,
    UUID senderId,
    boolean senderGiven) {

  static final Set<String> CREATE_FIELDS =
      Set.of(
          "name",
          "url",
          "events",
          "secret",
          "retry_limit",
          "timeout_seconds",
          "is_active",
          "rate_limit_per_second",
          "ordered",
          "sender_id");
  static final Set<String> UPDATE_FIELDS =
      Set.of(
          "name",
          "url",
          "events",
          "retry_limit",
          "timeout_seconds",
          "is_active",
          "rate_limit_per_second",
          "ordered",
          "sender_id");

  static EndpointInput read(JsonInput in, boolean create) {
    String name = create ? in.requiredString("name", 1, 200) : in.optionalString("name", 1, 200);
    String url = create ? in.requiredString("url", 1, 2048) : in.optionalString("url", 1, 2048);
    if (url != null) {
      String problem = Targets.formProblem(url);
      if (problem != null) {
        in.error("url", "invalid_url", problem);
        url = null;
      }
    }
    List<String> events = in.optionalStringList("events", 50, 100);
    if (create && in.missing("events")) {
      in.error("events", "required", "'events' is required: event types, 'message.*' or '*'");
    } else if (events != null) {
      if (events.isEmpty()) {
        in.error("events", "invalid_value", "'events' needs at least one event type");
      }
      for (int i = 0; i < events.size(); i++) {
        if (!EventCatalogue.isValidFilter(events.get(i))) {
          in.error(
              "events[" + i + "]",
              "unknown_event",
              "'"
                  + events.get(i)
                  + "' is not an event type (see GET /api/v1/webhooks/events), a prefix such as"
                  + " 'message.*', or '*'");
        }
      }
      events = List.copyOf(new LinkedHashSet<>(events));
    }
    String secret = create ? in.optionalString("secret", 1, 200) : null;
    if (secret != null && !Signatures.isValidSecret(secret)) {
      in.error(
          "secret",
          "invalid_secret",
          "secret must be 'whsec_' followed by the base64 of 24 to 64 random bytes; leave it out"
              + " to have one generated");
      secret = null;
    }
    Integer retryLimit = in.optionalInteger("retry_limit", null, 0, 50);
    Integer timeout = in.optionalInteger("timeout_seconds", null, 1, 60);
    Boolean active = in.optionalBoolean("is_active", null);
    Integer rate = in.optionalInteger("rate_limit_per_second", null, 1, 100_000);
    Boolean ordered = in.optionalBoolean("ordered", null);
    String senderText = in.optionalString("sender_id", 1, 64);
    UUID senderId = senderText == null ? null : Ids.parse(senderText);
    if (senderText != null && senderId == null) {
      in.error("sender_id", "invalid_format", "sender_id must be the id of one of your senders");
    }
    return new EndpointInput(
        name,
        url,
        events,
        secret,
        retryLimit,
        timeout,
        active,
        rate,
        in.has("rate_limit_per_second"),
        ordered,
        senderId,
        in.has("sender_id"));
  }

  /** A new endpoint from this input, with defaults for what was not given. */
  Endpoint create(UUID id, UUID accountId, WebhookConfig config) {
    return new Endpoint(
        id,
        accountId,
        senderId,
        name,
        url,
        events,
        secret != null ? secret : Signatures.newSecret(),
        null,
        null,
        retryLimit != null ? retryLimit : Math.min(50, config.retrySchedule().size()),
        timeoutSeconds != null ? timeoutSeconds : config.defaultTimeoutSeconds(),
        rateLimit,
        ordered != null && ordered,
        active == null || active,
        null,
        null,
        null,
        null);
  }

  /** {@code before} with the given fields replaced. */
  Endpoint applyTo(Endpoint before) {
    boolean isActive = active != null ? active : before.active();
    return new Endpoint(
        before.id(),
        before.accountId(),
        senderGiven ? senderId : before.senderId(),
        name != null ? name : before.name(),
        url != null ? url : before.url(),
        events != null ? events : before.events(),
        before.secret(),
        before.previousSecret(),
        before.previousSecretUntil(),
        retryLimit != null ? retryLimit : before.retryLimit(),
        timeoutSeconds != null ? timeoutSeconds : before.timeoutSeconds(),
        rateLimitGiven ? rateLimit : before.rateLimitPerSecond(),
        ordered != null ? ordered : before.ordered(),
        isActive,
        isActive ? null : (before.active() ? "disabled_by_user" : before.disabledReason()),
        before.failingSince(),
        before.createdAt(),
        before.updatedAt());
  }
}
