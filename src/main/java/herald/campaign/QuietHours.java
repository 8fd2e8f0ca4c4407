package herald.campaign;

import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Hours in which a campaign sends nothing, such as 21:00 to 08:00. With a {@code zone} the whole
 * campaign pauses by that zone's clock; without one each recipient is judged by their own time zone
 * (the contact's, or the CSV's {@code timezone} column), falling back to the account's.
 *
 * @param zone the fixed zone, or null for the recipient's
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {
  private static final Set<String> FIELDS = Set.of("start", "end", "timezone");

  /**
   * When sending may resume for someone in {@code zone}, or null when {@code now} is outside quiet
   * hours there.
   */
  public Instant resumeAt(Instant now, ZoneId zone) {
    ZonedDateTime local = now.atZone(zone);
    LocalTime t = local.toLocalTime();
    boolean quiet =
        start.isBefore(end)
            ? !t.isBefore(start) && t.isBefore(end) // e.g. 12:00-14:00
            : !t.isBefore(start) || t.isBefore(end); // across midnight, e.g. 21:00-08:00
    if (!quiet) {
      return null;
    }
    ZonedDateTime resume = local.with(end);
    if (!resume.isAfter(local)) {
      resume = local.toLocalDate().plusDays(1).atTime(end).atZone(zone);
    }
    return resume.toInstant();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("start", start.toString())
        .put("end", end.toString())
        .put("timezone", zone == null ? null : zone.getId());
  }

  static QuietHours fromJson(JsonObject json) {
    return json == null
        ? null
        : new QuietHours(
            LocalTime.parse(json.getString("start")),
            LocalTime.parse(json.getString("end")),
            json.getString("timezone") == null ? null : ZoneId.of(json.getString("timezone")));
  }

  /** Reads quiet hours from a request, reporting problems on {@code in}; null when invalid. */
  static QuietHours read(JsonInput in, String field, JsonObject json) {
    int before = in.errorCount();
    for (String key : json.fieldNames()) {
      if (!FIELDS.contains(key)) {
        in.error(field + "." + key, "unknown_field", "Unknown field '" + key + "'");
      }
    }
    LocalTime start = time(in, field + ".start", json.getValue("start"));
    LocalTime end = time(in, field + ".end", json.getValue("end"));
    if (start != null && start.equals(end)) {
      in.error(field + ".end", "invalid_value", "quiet hours must not start and end together");
    }
    ZoneId zone = null;
    if (json.getValue("timezone") != null) {
      try {
        zone = ZoneId.of(String.valueOf(json.getValue("timezone")));
      } catch (DateTimeException e) {
        in.error(field + ".timezone", "invalid_value", "must be an IANA zone such as Europe/Paris");
      }
    }
    return in.errorCount() > before ? null : new QuietHours(start, end, zone);
  }

  private static LocalTime time(JsonInput in, String field, Object value) {
    try {
      return LocalTime.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      in.error(field, "invalid_format", "must be a 24-hour time such as 21:00");
      return null;
    }
  }
}
