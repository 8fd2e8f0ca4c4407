package herald.platform.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A parsed Prometheus text scrape: each series (name with its labels) and its value. */
record Scrape(Map<String, Double> series) {

  static Scrape parse(String text) {
    Map<String, Double> series = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new Scrape(series);
  }

  /** The value of one exact series, or 0 when it is absent. */
  double value(String exactSeries) {
    return series.getOrDefault(exactSeries, 0.0);
  }

  /** Metric names present (the part before the labels). */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    series.keySet().forEach(s -> names.add(s.contains("{") ? s.substring(0, s.indexOf('{')) : s));
    return names;
  }
}
