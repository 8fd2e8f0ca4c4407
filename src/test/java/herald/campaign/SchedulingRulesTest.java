package herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Recurrence, quiet hours, rate shares and A/B assignment, as pure rules. */
class SchedulingRulesTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Recurrence daily(String time) {
    return new Recurrence("daily", LocalTime.parse(time), null, null, NEW_YORK, null, null, true);
  }

  @Test
  void aTimeSkippedBySpringForwardRunsAnHourLaterAndAnAmbiguousOneRunsOnce() {
    // 8 March 2026: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day.
    assertThat(daily("02:30").next(Instant.parse("2026-03-08T06:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-08T07:30:00Z")); // 03:30 EDT
    // 1 November 2026: 01:30 happens twice; the run is at the first (EDT).
    Recurrence r = daily("01:30");
    Instant first = r.next(Instant.parse("2026-11-01T04:00:00Z"));
    assertThat(first).isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));
    assertThat(r.next(first)).isEqualTo(Instant.parse("2026-11-02T06:30:00Z")); // next day, EST
  }

  @Test
  void weeklyMonthlyOnceAndEndDates() {
    Recurrence weekly =
        new Recurrence("weekly", LocalTime.NOON, 1, null, NEW_YORK, null, null, true);
    assertThat(weekly.next(Instant.parse("2026-03-04T00:00:00Z"))) // a Wednesday
        .isEqualTo(Instant.parse("2026-03-09T16:00:00Z")); // Monday noon EDT
    Recurrence monthly =
        new Recurrence("monthly", LocalTime.NOON, null, 31, NEW_YORK, null, null, true);
    assertThat(monthly.next(Instant.parse("2026-02-01T00:00:00Z")))
        .as("day 31 runs on the last day of a short month")
        .isEqualTo(Instant.parse("2026-02-28T17:00:00Z"));
    Recurrence once =
        new Recurrence(
            "once",
            LocalTime.NOON,
            null,
            null,
            NEW_YORK,
            LocalDate.parse("2026-05-01"),
            null,
            true);
    Instant at = once.next(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(at).isEqualTo(Instant.parse("2026-05-01T16:00:00Z"));
    assertThat(once.next(at)).isNull();
    Recurrence ending =
        new Recurrence(
            "daily",
            LocalTime.NOON,
            null,
            null,
            NEW_YORK,
            null,
            LocalDate.parse("2026-05-01"),
            true);
    assertThat(ending.next(Instant.parse("2026-05-01T17:00:00Z"))).isNull();
    Recurrence inactive =
        new Recurrence("daily", LocalTime.NOON, null, null, NEW_YORK, null, null, false);
    assertThat(inactive.next(Instant.parse("2026-05-01T00:00:00Z"))).isNull();
  }

  @Test
  void quietHoursAcrossMidnightEndAtTheirEndInTheRecipientsZone() {
    QuietHours quiet = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), null);
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertThat(quiet.resumeAt(Instant.parse("2026-06-01T12:00:00Z"), paris)).isNull();
    // 23:30 in Paris (UTC+2): quiet until 08:00 the next morning
    assertThat(quiet.resumeAt(Instant.parse("2026-06-01T21:30:00Z"), paris))
        .isEqualTo(Instant.parse("2026-06-02T06:00:00Z"));
    // 06:00 in Paris: quiet until 08:00 the same morning
    assertThat(quiet.resumeAt(Instant.parse("2026-06-02T04:00:00Z"), paris))
        .isEqualTo(Instant.parse("2026-06-02T06:00:00Z"));
    QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(14, 0), null);
    assertThat(lunch.resumeAt(Instant.parse("2026-06-01T11:00:00Z"), paris))
        .isEqualTo(Instant.parse("2026-06-01T12:00:00Z"));
    assertThat(lunch.resumeAt(Instant.parse("2026-06-01T12:00:00Z"), paris)).isNull();
  }

  @Test
  void sendersAreSharedByWeightAndUnusedShareGoesToOthers() {
    UUID s = UUID.randomUUID();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    Map<UUID, Integer> rates = Map.of(s, 100);
    Map<UUID, Double> even =
        RateShares.allocate(
            List.of(
                new RateShares.Demand(a, List.of(s), null, 1),
                new RateShares.Demand(b, List.of(s), null, 1)),
            rates);
    assertThat(even.get(a)).isEqualTo(50.0);
    assertThat(even.get(b)).isEqualTo(50.0);
    Map<UUID, Double> weighted =
        RateShares.allocate(
            List.of(
                new RateShares.Demand(a, List.of(s), null, 3),
                new RateShares.Demand(b, List.of(s), null, 1)),
            rates);
    assertThat(weighted.get(a)).isEqualTo(75.0);
    assertThat(weighted.get(b)).isEqualTo(25.0);
    Map<UUID, Double> capped =
        RateShares.allocate(
            List.of(
                new RateShares.Demand(a, List.of(s), 10.0, 1),
                new RateShares.Demand(b, List.of(s), null, 1),
                new RateShares.Demand(c, List.of(s), null, 1)),
            rates);
    assertThat(capped.get(a)).isEqualTo(10.0);
    assertThat(capped.get(b)).isEqualTo(45.0);
    assertThat(capped.get(c)).isEqualTo(45.0);
    UUID s2 = UUID.randomUUID();
    Map<UUID, Integer> two = new HashMap<>(rates);
    two.put(s2, 40);
    Map<UUID, Double> pool =
        RateShares.allocate(List.of(new RateShares.Demand(a, List.of(s, s2), null, 1)), two);
    assertThat(pool.get(a)).as("turn by turn, the slower sender sets the pace").isEqualTo(80.0);
  }

  @Test
  void variantsSplitByPercentageAndStayWithTheirRecipient() {
    UUID campaign = UUID.randomUUID();
    List<Variant> ab = List.of(new Variant("A", "a", null, 30), new Variant("B", "b", null, 70));
    int a = 0;
    for (int i = 0; i < 10_000; i++) {
      String phone = "+1415555" + String.format("%04d", i);
      Variant v = Variant.assign(ab, campaign, phone);
      assertThat(Variant.assign(ab, campaign, phone)).isSameAs(v);
      if (v.name().equals("A")) {
        a++;
      }
    }
    assertThat(a).isBetween(2_800, 3_200);
  }
}
