package herald.webhook;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint: where an account's events go, which ones, and how they are delivered. The
 * secret is shown only when created or rotated; {@link #toJson()} never includes it.
 *
 * @param senderId when set, only events about messages of this sender (seed 002's per-session
 *     webhook)
 * @param previousSecret the secret before the last rotation, still signing until {@code
 *     previousSecretUntil}; null when none
 * @param rateLimitPerSecond most requests per second to this endpoint, or null for no limit
 * @param ordered deliver one at a time in event order
 * @param failingSince start of the current failure streak, or null
 */
public record Endpoint(
    UUID id,
    UUID accountId,
    UUID senderId,
    String name,
    String url,
    List<String> events,
    String secret,
    String previousSecret,
    Instant previousSecretUntil,
    int retryLimit,
    int timeoutSeconds,
    Integer rateLimitPerSecond,
    boolean ordered,
    boolean active,
    String disabledReason,
    Instant failingSince,
    String createdAt,
    String updatedAt) {

  static final String COLUMNS =
      "id, account_id, sender_id, name, url, events, secret, previous_secret,"
          + " previous_secret_until, retry_limit, timeout_seconds, rate_limit_per_second, ordered,"
          + " is_active, disabled_reason, failing_since, created_at, updated_at";

  static Endpoint from(Row row) {
    return new Endpoint(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("sender_id"),
        row.getString("name"),
        row.getString("url"),
        Arrays.asList(row.getArrayOfStrings("events")),
        row.getString("secret"),
        row.getString("previous_secret"),
        instant(row, "previous_secret_until"),
        row.getInteger("retry_limit"),
        row.getInteger("timeout_seconds"),
        row.getInteger("rate_limit_per_second"),
        row.getBoolean("ordered"),
        row.getBoolean("is_active"),
        row.getString("disabled_reason"),
        instant(row, "failing_since"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  /** The secrets that sign a request made at {@code now}: the current one first. */
  List<String> signingSecrets(Instant now) {
    return previousSecret != null
            && previousSecretUntil != null
            && now.isBefore(previousSecretUntil)
        ? List.of(secret, previousSecret)
        : List.of(secret);
  }

  Endpoint withActive(boolean isActive, String reason) {
    return new Endpoint(
        id,
        accountId,
        senderId,
        name,
        url,
        events,
        secret,
        previousSecret,
        previousSecretUntil,
        retryLimit,
        timeoutSeconds,
        rateLimitPerSecond,
        ordered,
        isActive,
        isActive ? null : reason,
        isActive ? null : failingSince,
        createdAt,
        updatedAt);
  }

  /** The public view, without secrets. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("url", url)
        .put("events", new JsonArray(events))
        .put("sender_id", senderId == null ? null : senderId.toString())
        .put("retry_limit", retryLimit)
        .put("timeout_seconds", timeoutSeconds)
        .put("rate_limit_per_second", rateLimitPerSecond)
        .put("ordered", ordered)
        .put("is_active", active)
        .put("disabled_reason", disabledReason)
        .put("failing_since", failingSince == null ? null : failingSince.toString())
        .put(
            "previous_secret_expires_at",
            previousSecret == null || previousSecretUntil == null
                ? null
                : previousSecretUntil.toString())
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
