package herald.campaign;

import herald.platform.http.JsonInput;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * When a recurring campaign runs (seed 003's {@code POST /campaigns/{id}/schedule}): once, daily,
 * weekly on a day of the week, or monthly on a day of the month, at a wall-clock time in a time
 * zone, between optional start and end dates. Wall-clock means a daily 09:00 run stays at 09:00
 * local across daylight-saving changes. A time that does not exist on a spring-forward day runs at
 * the first valid instant after it (02:30 becomes 03:30); on a fall-back day an ambiguous time runs
 * once, at its first occurrence. A monthly day past the month's end runs on its last day.
 *
 * @param dayOfWeek 1 (Monday) to 7 (Sunday), for weekly
 * @param dayOfMonth 1 to 31, for monthly
 * @param endDate last date (inclusive) a run may fall on; null for no end
 */
public record Recurrence(
    String frequency,
    LocalTime time,
    Integer dayOfWeek,
    Integer dayOfMonth,
    ZoneId zone,
    LocalDate startDate,
    LocalDate endDate,
    boolean active) {

  static final Set<String> FIELDS =
      Set.of(
          "frequency",
          "time",
          "day_of_week",
          "day_of_month",
          "timezone",
          "start_date",
          "end_date",
          "is_active",
          "active");
  private static final Set<String> FREQUENCIES = Set.of("once", "daily", "weekly", "monthly");

  /**
   * The first run strictly after {@code after}, or null when the schedule has ended or is not
   * active.
   */
  public Instant next(Instant after) {
    if (!active) {
      return null;
    }
    LocalDate from = after.atZone(zone).toLocalDate();
    if (startDate != null && startDate.isAfter(from)) {
      from = startDate;
    }
    // Checks day by day from the later of today and the start date: at most a little over a
    // month of days for a monthly schedule (31 + 1), and one of them is a run day.
    for (int i = 0; i <= 62; i++) {
      LocalDate day = from.plusDays(i);
      if (endDate != null && day.isAfter(endDate)) {
        return null;
      }
      if (!runsOn(day)) {
        continue;
      }
      Instant at = ZonedDateTime.of(day, time, zone).toInstant();
      if (at.isAfter(after)) {
        return at;
      }
      if ("once".equals(frequency)) {
        return null; // its one day has passed
      }
    }
    return null;
  }

  private boolean runsOn(LocalDate day) {
    return switch (frequency) {
      case "once" -> startDate == null || day.equals(startDate);
      case "daily" -> true;
      case "weekly" -> day.getDayOfWeek() == DayOfWeek.of(dayOfWeek);
      default ->
          day.getDayOfMonth() == Math.min(dayOfMonth, day.lengthOfMonth()); // monthly, clamped
    };
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("frequency", frequency)
        .put("time", time.toString())
        .put("day_of_week", dayOfWeek)
        .put("day_of_month", dayOfMonth)
        .put("timezone", zone.getId())
        .put("start_date", startDate == null ? null : startDate.toString())
        .put("end_date", endDate == null ? null : endDate.toString())
        .put("is_active", active);
  }

  static Recurrence fromJson(JsonObject json) {
    return new Recurrence(
        json.getString("frequency"),
        LocalTime.parse(json.getString("time")),
        json.getInteger("day_of_week"),
        json.getInteger("day_of_month"),
        ZoneId.of(json.getString("timezone")),
        json.getString("start_date") == null ? null : LocalDate.parse(json.getString("start_date")),
        json.getString("end_date") == null ? null : LocalDate.parse(json.getString("end_date")),
        json.getBoolean("is_active", true));
  }

  /**
   * Reads a schedule from request fields (prefix {@code field} names errors), reporting problems on
   * {@code in}; null when invalid.
   *
   * @param defaultZone the account's time zone, used when none is given
   */
  static Recurrence read(JsonInput in, String field, JsonObject json, ZoneId defaultZone) {
    int before = in.errorCount();
    for (String key : json.fieldNames()) {
      if (!FIELDS.contains(key)) {
        in.error(at(field, key), "unknown_field", "Unknown field '" + key + "'");
      }
    }
    String frequency = json.getValue("frequency") instanceof String f ? f : null;
    if (frequency == null || !FREQUENCIES.contains(frequency)) {
      in.error(
          at(field, "frequency"), "invalid_value", "must be one of once, daily, weekly, monthly");
    }
    LocalTime time = null;
    try {
      time = LocalTime.parse(String.valueOf(json.getValue("time")));
    } catch (DateTimeParseException e) {
      in.error(at(field, "time"), "invalid_format", "must be a 24-hour time such as 09:00");
    }
    Integer dow = integer(in, at(field, "day_of_week"), json.getValue("day_of_week"), 1, 7);
    Integer dom = integer(in, at(field, "day_of_month"), json.getValue("day_of_month"), 1, 31);
    if ("weekly".equals(frequency) && dow == null) {
      in.error(at(field, "day_of_week"), "required", "a weekly schedule needs day_of_week (1-7)");
    }
    if ("monthly".equals(frequency) && dom == null) {
      in.error(at(field, "day_of_month"), "required", "a monthly schedule needs day_of_month");
    }
    ZoneId zone = defaultZone;
    if (json.getValue("timezone") != null) {
      try {
        zone = ZoneId.of(String.valueOf(json.getValue("timezone")));
      } catch (DateTimeException e) {
        in.error(
            at(field, "timezone"), "invalid_value", "must be an IANA zone such as Europe/Paris");
      }
    }
    LocalDate start = date(in, at(field, "start_date"), json.getValue("start_date"));
    LocalDate end = date(in, at(field, "end_date"), json.getValue("end_date"));
    if (start != null && end != null && end.isBefore(start)) {
      in.error(at(field, "end_date"), "invalid_value", "must not be before start_date");
    }
    Object active =
        json.containsKey("is_active") ? json.getValue("is_active") : json.getValue("active");
    if (active != null && !(active instanceof Boolean)) {
      in.error(at(field, "is_active"), "invalid_type", "must be true or false");
    }
    if (in.errorCount() > before) {
      return null;
    }
    return new Recurrence(
        frequency, time, dow, dom, zone, start, end, !Boolean.FALSE.equals(active));
  }

  private static String at(String field, String key) {
    return field.isEmpty() ? key : field + "." + key;
  }

  private static Integer integer(JsonInput in, String field, Object value, int min, int max) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer n) || n < min || n > max) {
      in.error(field, "invalid_value", "must be a whole number from " + min + " to " + max);
      return null;
    }
    return n;
  }

  private static LocalDate date(JsonInput in, String field, Object value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      in.error(field, "invalid_format", "must be a date such as 2026-03-31");
      return null;
    }
  }
}
