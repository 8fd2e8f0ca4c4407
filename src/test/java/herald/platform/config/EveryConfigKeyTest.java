package herald.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.platform.pacing.RetrySchedule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every component of {@link HeraldConfig}, recursively through its records, and checks for
 * each that it has a default in {@value ConfigLoader#DEFAULTS}, that the real {@link ConfigLoader}
 * takes a value for it from the environment ({@code HERALD_} + key path) into the loaded record,
 * and that {@code docs/operations.md} has its row with the right variable and default.
 *
 * <p>A component maps to the key of its name in snake_case, or to its {@link ConfigKey}; a nested
 * record is a mapping of keys.
 */
class EveryConfigKeyTest {
  /** Values for keys with a format a generic value would not pass. */
  private static final Map<String, String> SAMPLES =
      Map.of(
          "database.url", "postgresql://u:p@db.example:5433/h",
          "admin.password", "from-the-environment",
          "jwt.secret", "0123456789abcdef0123456789abcdef-env",
          "http.public_url", "https://herald.example.com",
          "campaigns.currency", "EUR");

  private static Vertx vertx;
  private static JsonObject defaults;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    defaults = ConfigLoader.defaults(vertx).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** One configuration key: its path and how to read its component from a loaded config. */
  record Key(String path, List<RecordComponent> components) {
    RecordComponent leaf() {
      return components.get(components.size() - 1);
    }

    Object read(HeraldConfig config) throws Exception {
      Object value = config;
      for (RecordComponent component : components) {
        value = component.getAccessor().invoke(value);
      }
      return value;
    }
  }

  /** Every leaf component of the configuration records, with its key. */
  static List<Key> keys() {
    List<Key> keys = new ArrayList<>();
    walk(HeraldConfig.class, "", new ArrayList<>(), keys);
    return keys;
  }

  private static void walk(
      Class<?> record, String prefix, List<RecordComponent> trail, List<Key> out) {
    for (RecordComponent component : record.getRecordComponents()) {
      ConfigKey named = component.getAnnotation(ConfigKey.class);
      String key = prefix + (named != null ? named.value() : snake(component.getName()));
      List<RecordComponent> path = new ArrayList<>(trail);
      path.add(component);
      if (component.getType().isRecord()) {
        walk(component.getType(), key + ".", path, out);
      } else {
        out.add(new Key(key, List.copyOf(path)));
      }
    }
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  /** The keys of the configuration records that {@code tree} has no entry for (not even null). */
  static List<String> missingDefaults(JsonObject tree) {
    List<String> missing = new ArrayList<>();
    for (Key key : keys()) {
      JsonObject node = tree;
      String[] parts = key.path().split("\\.");
      for (int i = 0; i < parts.length - 1 && node != null; i++) {
        node = node.getValue(parts[i]) instanceof JsonObject child ? child : null;
      }
      if (node == null || !node.containsKey(parts[parts.length - 1])) {
        missing.add(key.path());
      }
    }
    return missing;
  }

  private static Object defaultValue(String path) {
    Object node = defaults;
    for (String part : path.split("\\.")) {
      node = ((JsonObject) node).getValue(part);
    }
    return node;
  }

  @Test
  void everyComponentOfTheConfigRecordsHasADefault() {
    assertThat(keys()).hasSizeGreaterThan(50);
    assertThat(missingDefaults(defaults)).as("keys without a default in defaults.yaml").isEmpty();
  }

  @Test
  void aKeyMissingFromTheDefaultsIsReportedByTheCheckAndByTheLoader() {
    JsonObject withoutOne = defaults.copy();
    withoutOne.getJsonObject("campaigns").remove("instances");
    assertThat(missingDefaults(withoutOne)).containsExactly("campaigns.instances");
    assertThatThrownBy(() -> ConfigLoader.build(withoutOne, new JsonObject(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("campaigns.instances")
        .hasMessageContaining("defaults.yaml");
  }

  @Test
  void everyKeyIsTakenFromTheEnvironment() throws Exception {
    HeraldConfig plain = load(Map.of());
    List<String> failures = new ArrayList<>();
    for (Key key : keys()) {
      String env = ConfigLoader.envName(key.path());
      Object before = key.read(plain);
      String sample = sample(key, +1);
      HeraldConfig loaded;
      try {
        loaded = load(Map.of(env, sample));
      } catch (ConfigException outOfRange) {
        sample = sample(key, -1);
        loaded = load(Map.of(env, sample));
      }
      Object after = key.read(loaded);
      Object expected = expected(key, sample);
      if (!expected.equals(after) || expected.equals(before)) {
        failures.add(env + "=" + sample + " gave " + after + " (default " + before + ")");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void everyKeyHasItsRowInTheOperationsGuide() throws Exception {
    Map<String, String[]> rows = new HashMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `([a-z_.]+)` \\|([^|]*)\\|([^|]*)\\|")
            .matcher(Files.readString(Path.of("docs", "operations.md")));
    while (row.find()) {
      rows.put(row.group(1), new String[] {row.group(2).trim(), row.group(3).trim()});
    }
    List<String> wrong = new ArrayList<>();
    for (Key key : keys()) {
      String[] cells = rows.get(key.path());
      Object value = defaultValue(key.path());
      String documented =
          value == null
              ? "none"
              : "`"
                  + (value instanceof JsonArray list
                      ? "[" + String.join(", ", list.stream().map(String::valueOf).toList()) + "]"
                      : value.toString())
                  + "`";
      if (cells == null) {
        wrong.add(key.path() + ": no row");
      } else if (!cells[0].startsWith("`" + ConfigLoader.envName(key.path()) + "`")) {
        wrong.add(key.path() + ": variable column is " + cells[0]);
      } else if (!cells[1].startsWith(documented)) {
        wrong.add(key.path() + ": default column is " + cells[1] + ", defaults.yaml has " + value);
      }
    }
    assertThat(wrong).isEmpty();
  }

  private HeraldConfig load(Map<String, String> env) {
    return ConfigLoader.load(vertx, dir.resolve("absent.yaml"), false, env).await();
  }

  /** A valid value other than the default: numbers one step away, flags flipped. */
  private static String sample(Key key, int step) {
    if (SAMPLES.containsKey(key.path())) {
      return SAMPLES.get(key.path());
    }
    Class<?> type = key.leaf().getType();
    Object value = defaultValue(key.path());
    if (type == boolean.class) {
      return Boolean.toString(!Boolean.parseBoolean(String.valueOf(value)));
    }
    if (type == List.class || type == RetrySchedule.class) {
      return "7, 8";
    }
    if (type == double.class) {
      return Double.toString(Double.parseDouble(String.valueOf(value)) + step);
    }
    if (type == int.class || type == long.class || type == Duration.class) {
      if (value instanceof Number n) {
        return Long.toString(n.longValue() + step);
      }
      return type == Duration.class ? "90" : "7";
    }
    if (type == String.class || type == Path.class) {
      return value == null ? "from-the-environment" : value + "-env";
    }
    throw new AssertionError(key.path() + " has a type this test cannot set: " + type);
  }

  /** What the record holds after the environment set {@code sample}. */
  private static Object expected(Key key, String sample) {
    Class<?> type = key.leaf().getType();
    Type generic = key.leaf().getGenericType();
    if (type == boolean.class) {
      return Boolean.parseBoolean(sample);
    }
    if (type == int.class) {
      return Integer.parseInt(sample);
    }
    if (type == long.class) {
      return Long.parseLong(sample);
    }
    if (type == double.class) {
      return Double.parseDouble(sample);
    }
    if (type == Path.class) {
      return Path.of(sample).toAbsolutePath().normalize();
    }
    if (type == Duration.class) {
      long n = Long.parseLong(sample);
      return key.path().endsWith("_ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }
    if (type == List.class) {
      assertThat(generic.getTypeName()).isEqualTo("java.util.List<java.time.Duration>");
      return List.of(Duration.ofSeconds(7), Duration.ofSeconds(8));
    }
    if (type == RetrySchedule.class) {
      return RetrySchedule.ofSeconds(7, 8);
    }
    return sample;
  }
}
