package herald.testing;

import herald.Herald;
import herald.platform.config.ConfigLoader;
import herald.platform.config.HeraldConfig;
import herald.platform.database.EmbeddedPostgres;
import herald.platform.database.Migrations;
import herald.platform.metrics.Metrics;
import herald.sim.smpp.SmscSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Herald for one test class: its own freshly migrated database on the shared test
 * PostgreSQL, its own data dir (deleted on close), the real verticles on a free loopback port, and
 * a {@link TestClient} to call it over HTTP. Nothing is shared with another instance but the
 * PostgreSQL server, so test classes may run in parallel JVMs.
 */
public final class TestHerald implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-password-1";
  private static final String TEMPLATE = "herald_template";
  private static boolean templateReady;

  private final Vertx vertx;
  private final Herald herald;
  private final String database;
  private final Path dataDir;
  private final TestClient client;

  private TestHerald(Vertx vertx, Herald herald, String database, Path dataDir) {
    this.vertx = vertx;
    this.herald = herald;
    this.database = database;
    this.dataDir = dataDir;
    this.client = new TestClient(vertx, herald.port());
  }

  /** Starts Herald with test defaults (fast bcrypt, generous rate limits). */
  public static TestHerald start() {
    return start(new JsonObject());
  }

  /** Starts Herald with {@code overrides} deep-merged over the test defaults. */
  public static TestHerald start(JsonObject overrides) {
    return start(overrides, java.time.Clock.systemUTC());
  }

  /** {@link #start(JsonObject)} with the clock campaign schedules follow (tests move their own). */
  public static TestHerald start(JsonObject overrides, java.time.Clock clock) {
    return start(overrides, Map.of(), clock);
  }

  /**
   * Starts Herald with {@code overrides} deep-merged over the test defaults and written to a {@code
   * herald.yaml}, loaded by the real {@link ConfigLoader} with {@code env} as the environment: the
   * built-in defaults under it, unknown keys refused.
   */
  public static TestHerald start(
      JsonObject overrides, Map<String, String> env, java.time.Clock clock) {
    EmbeddedPostgres pg = TestPostgres.get();
    String database =
        "t_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 16)
                .toLowerCase(Locale.ROOT);
    pg.createDatabase(database, template(pg));
    return startOn(database, overrides, env, clock);
  }

  /**
   * Starts another Herald on the database of an earlier one (stopped or running), as a node that
   * replaces a stopped one or runs beside it.
   */
  public static TestHerald startOn(String database, JsonObject overrides) {
    return startOn(database, overrides, Map.of(), java.time.Clock.systemUTC());
  }

  /**
   * Starts another Herald node on this one's database (its own port and data dir), as a restart
   * after this one stopped, or a second node beside it.
   */
  public TestHerald restartOnSameDatabase(JsonObject overrides) {
    return startOn(database, overrides);
  }

  private static TestHerald startOn(
      String database, JsonObject overrides, Map<String, String> env, java.time.Clock clock) {
    EmbeddedPostgres pg = TestPostgres.get();
    Path dataDir;
    try {
      dataDir =
          Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "herald-data-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonObject config =
        new JsonObject()
            .put("data_dir", dataDir.toString())
            .put(
                "http",
                new JsonObject()
                    .put("host", "127.0.0.1")
                    .put("port", freePort())
                    .put("instances", 2))
            .put(
                "database",
                new JsonObject()
                    .put(
                        "url",
                        "postgresql://"
                            + pg.user()
                            + ":"
                            + pg.password()
                            + "@"
                            + pg.host()
                            + ":"
                            + pg.port()
                            + "/"
                            + database)
                    .put("pool_size", 8))
            .put("admin", new JsonObject().put("username", "admin").put("password", ADMIN_PASSWORD))
            .put("passwords", new JsonObject().put("bcrypt_cost", 4))
            .put("simulators", new JsonObject().put("smpp_port", 0).put("receipt_delay_ms", 50))
            .put(
                "webhooks",
                new JsonObject()
                    .put("allow_private_targets", true)
                    .put("breaker_reset_seconds", 1)
                    .put(
                        "retry_schedule_seconds", new io.vertx.core.json.JsonArray().add(1).add(1)))
            .put(
                "rate_limits",
                new JsonObject()
                    .put("login", limit(10_000, 60))
                    .put("sends", limit(10_000, 1))
                    .put("uploads", limit(10_000, 60))
                    .put("other", limit(100_000, 60)))
            .mergeIn(overrides, true);
    Metrics metrics = Metrics.create();
    Vertx vertx = metrics.newVertx();
    HeraldConfig loaded;
    try {
      loaded = load(vertx, config, env);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    Herald herald = Herald.start(vertx, loaded, clock, metrics).await();
    return new TestHerald(vertx, herald, database, dataDir);
  }

  /** JSON is YAML: the test settings become the operator's file, read as Herald reads one. */
  private static HeraldConfig load(Vertx vertx, JsonObject settings, Map<String, String> env) {
    Path file = null;
    try {
      file = Files.createTempFile("herald-test-", ".yaml");
      Files.writeString(file, settings.encodePrettily());
      return ConfigLoader.load(vertx, file, true, env).await();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temp file left behind
        }
      }
    }
  }

  private static JsonObject limit(int limit, int periodSeconds) {
    return new JsonObject().put("limit", limit).put("period_seconds", periodSeconds);
  }

  /**
   * A database migrated once per JVM, cloned for each test class (much faster than migrating each).
   */
  private static synchronized String template(EmbeddedPostgres pg) {
    if (!templateReady) {
      String name = TEMPLATE + "_" + ProcessHandle.current().pid();
      pg.createDatabase(name, null);
      Migrations.migrate(
          new PgConnectOptions()
              .setHost(pg.host())
              .setPort(pg.port())
              .setDatabase(name)
              .setUser(pg.user())
              .setPassword(pg.password()));
      templateName = name;
      templateReady = true;
    }
    return templateName;
  }

  private static String templateName;

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestClient client() {
    return client;
  }

  /**
   * The in-process SMSC simulator, once Herald's simulator sender has bound to it: readiness does
   * not wait for that bind, and a simulated MO needs a bound session.
   */
  public SmscSimulator boundSmsc() {
    SmscSimulator smsc = herald.simulators().smsc();
    Await.until(
        "Herald's SMPP sender bound", Duration.ofSeconds(30), () -> smsc.boundSessions() > 0);
    return smsc;
  }

  public Herald herald() {
    return herald;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** A sender and the account it belongs to. */
  public record Sender(java.util.UUID id, java.util.UUID accountId) {}

  /** The first sender by id: one of the simulator senders Herald seeds on a fresh database. */
  public Sender firstSender() {
    io.vertx.sqlclient.Row row =
        herald
            .platform()
            .pool()
            .query("SELECT id, account_id FROM senders ORDER BY id LIMIT 1")
            .execute()
            .await()
            .iterator()
            .next();
    return new Sender(row.getUUID("id"), row.getUUID("account_id"));
  }

  /** Name of this instance's database, for tests that inspect rows directly. */
  public String database() {
    return database;
  }

  @Override
  public void close() {
    try {
      herald.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (Exception e) {
      throw new IllegalStateException("Herald did not stop cleanly", e);
    }
  }
}
