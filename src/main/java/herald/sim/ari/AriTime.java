package herald.sim.ari;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Asterisk's JSON time format: milliseconds and a numeric zone without colon, in UTC here. */
final class AriTime {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

  private AriTime() {}

  static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  static String now() {
    return format(Instant.now());
  }
}
