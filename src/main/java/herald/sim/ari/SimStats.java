package herald.sim.ari;

import herald.sim.ari.CallScript.Outcome;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters for tests; written on the event loop, read from any thread. */
final class SimStats {
  private final AtomicInteger live = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicLong originated = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong canceled = new AtomicLong();
  private final Map<Outcome, AtomicLong> failed = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> played = new ConcurrentHashMap<>();

  void play(String mediaUri) {
    played.computeIfAbsent(mediaUri, m -> new AtomicLong()).incrementAndGet();
  }

  long played(String mediaUri) {
    AtomicLong n = played.get(mediaUri);
    return n == null ? 0 : n.get();
  }

  void originated(int liveNow) {
    originated.incrementAndGet();
    live.set(liveNow);
    peak.accumulateAndGet(liveNow, Math::max);
  }

  void destroyed(int liveNow) {
    live.set(liveNow);
  }

  void answered() {
    answered.incrementAndGet();
  }

  void refused() {
    refused.incrementAndGet();
  }

  void canceled() {
    canceled.incrementAndGet();
  }

  void ended(Outcome outcome) {
    failed.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
  }

  int live() {
    return live.get();
  }

  int peak() {
    return peak.get();
  }

  /** Sets the peak back to the live count. */
  void resetPeak() {
    peak.set(live.get());
  }

  JsonObject toJson(int websockets) {
    JsonObject unanswered = new JsonObject();
    for (Outcome outcome : Outcome.values()) {
      if (outcome != Outcome.ANSWER) {
        AtomicLong count = failed.get(outcome);
        unanswered.put(outcome.name().toLowerCase(), count == null ? 0 : count.get());
      }
    }
    return new JsonObject()
        .put("live_channels", live.get())
        .put("peak_channels", peak.get())
        .put("originated", originated.get())
        .put("answered", answered.get())
        .put("canceled", canceled.get())
        .put("refused", refused.get())
        .put("unanswered", unanswered)
        .put("websockets", websockets)
        .put("played", playedJson());
  }

  private JsonObject playedJson() {
    JsonObject out = new JsonObject();
    new java.util.TreeMap<>(played).forEach((uri, n) -> out.put(uri, n.get()));
    return out;
  }
}
