package herald.sim.twilio;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The simulator's message resources, keyed by SID. Thread-safe: a stored resource is never changed
 * in place (updates replace it with a changed copy) and callers only ever get copies.
 */
final class MessageStore {
  /** Twilio's RFC 2822 timestamps, always in GMT: {@code Thu, 24 Aug 2023 05:01:45 +0000}. */
  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, JsonObject> bySid = new ConcurrentHashMap<>();
  private final List<String> created = new CopyOnWriteArrayList<>();

  /** A new SID: the two-letter prefix ({@code SM}, {@code MM}) and 32 lower-case hex digits. */
  static String newSid(String prefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  /** The current time as Twilio writes it. */
  static String now() {
    return RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC));
  }

  /** Stores a resource made through the API; {@link #created()} lists it. */
  void addCreated(JsonObject resource) {
    String sid = resource.getString("sid");
    bySid.put(sid, resource.copy());
    created.add(sid);
  }

  /** Stores a resource that did not come through the API (an inbound message). */
  void addOther(JsonObject resource) {
    bySid.put(resource.getString("sid"), resource.copy());
  }

  Optional<JsonObject> get(String sid) {
    return Optional.ofNullable(bySid.get(sid)).map(JsonObject::copy);
  }

  /** Applies {@code change} to a copy of the resource and stores the result; empty if unknown. */
  Optional<JsonObject> update(String sid, UnaryOperator<JsonObject> change) {
    return Optional.ofNullable(bySid.computeIfPresent(sid, (key, old) -> change.apply(old.copy())))
        .map(JsonObject::copy);
  }

  /** Copies of the resources created through the API, oldest first, in their current state. */
  List<JsonObject> created() {
    return created.stream().map(bySid::get).map(JsonObject::copy).toList();
  }
}
