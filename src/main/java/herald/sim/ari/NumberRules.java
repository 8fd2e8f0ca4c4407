package herald.sim.ari;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Per-number call scripts: the longest prefix of the dialled number wins. Thread-safe. */
final class NumberRules {
  private final Map<String, CallScript> byPrefix = new ConcurrentHashMap<>();

  NumberRules(Map<String, CallScript> initial) {
    byPrefix.putAll(initial);
  }

  void put(String prefix, CallScript script) {
    byPrefix.put(prefix, script);
  }

  boolean remove(String prefix) {
    return byPrefix.remove(prefix) != null;
  }

  CallScript scriptFor(String number, Supplier<CallScript> otherwise) {
    String best = null;
    for (String prefix : byPrefix.keySet()) {
      if (number.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    CallScript script = best == null ? null : byPrefix.get(best);
    return script != null ? script : otherwise.get();
  }
}
