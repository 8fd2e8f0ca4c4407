package herald.platform.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the configuration: the built-in defaults ({@value #DEFAULTS} on the classpath, the only
 * place a default is written), the operator's YAML file merged over them, then one environment
 * variable per key ({@link #envName}). The keys of the defaults are the keys Herald knows: a key in
 * the file that is not among them is an error, so a typo never passes silently.
 */
public final class ConfigLoader {
  /** Classpath resource holding every key with its default. */
  public static final String DEFAULTS = "herald/defaults.yaml";

  private ConfigLoader() {}

  /**
   * Loads and validates the configuration.
   *
   * @param file the operator's YAML file
   * @param required when true a missing file fails; when false (the default path) it is skipped
   * @param env environment variables, normally {@code System.getenv()}
   */
  public static Future<HeraldConfig> load(
      Vertx vertx, Path file, boolean required, Map<String, String> env) {
    if (!required && !Files.exists(file)) {
      return defaults(vertx).map(defaults -> build(defaults, new JsonObject(), env));
    }
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new ConfigException("config file " + file + " does not exist"));
    }
    return Future.all(defaults(vertx), read(vertx, file.toString()))
        .map(both -> build(both.resultAt(0), both.resultAt(1), env));
  }

  /** The built-in defaults: every key Herald knows, with its default value (null for none). */
  static Future<JsonObject> defaults(Vertx vertx) {
    return read(vertx, DEFAULTS);
  }

  /**
   * The environment variable that overrides a key: {@code http.port} → {@code HERALD_HTTP_PORT}.
   */
  public static String envName(String keyPath) {
    return "HERALD_" + keyPath.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  static HeraldConfig build(JsonObject defaults, JsonObject file, Map<String, String> env) {
    rejectUnknown(defaults, file, "");
    JsonObject merged = defaults.copy().mergeIn(file, true);
    applyEnvironment(defaults, merged, "", env);
    return HeraldConfig.from(merged);
  }

  private static void rejectUnknown(JsonObject known, JsonObject given, String prefix) {
    for (String key : given.fieldNames()) {
      String path = prefix + key;
      if (!known.containsKey(key)) {
        throw new ConfigException(path, "is not a Herald setting (see docs/operations.md)");
      }
      Object knownValue = known.getValue(key);
      if (knownValue instanceof JsonObject knownChild
          && given.getValue(key) instanceof JsonObject child) {
        rejectUnknown(knownChild, child, path + ".");
      }
    }
  }

  private static void applyEnvironment(
      JsonObject defaults, JsonObject target, String prefix, Map<String, String> env) {
    for (String key : defaults.fieldNames()) {
      String path = prefix + key;
      if (defaults.getValue(key) instanceof JsonObject child) {
        JsonObject targetChild = target.getJsonObject(key);
        if (targetChild == null) {
          targetChild = new JsonObject();
          target.put(key, targetChild);
        }
        applyEnvironment(child, targetChild, path + ".", env);
      } else {
        String value = env.get(envName(path));
        if (value != null) {
          target.put(key, value);
        }
      }
    }
  }

  private static Future<JsonObject> read(Vertx vertx, String path) {
    ConfigStoreOptions store =
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("yaml")
            .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false).addStore(store));
    return retriever
        .getConfig()
        .recover(
            err ->
                Future.failedFuture(
                    new ConfigException(
                        "cannot read config " + path + ": " + err.getMessage(), err)))
        .eventually(retriever::close);
  }
}
