package herald.testing;

import com.sun.security.auth.module.UnixSystem;
import herald.platform.database.EmbeddedPostgres;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * The one embedded PostgreSQL of a test JVM, started on first use and stopped by a shutdown hook.
 *
 * <p>Its data dir is {@code <java.io.tmpdir>/herald-test-<uid>/<slot>}, outside the project because
 * the project may sit under {@code /root}, which the server user {@code nobody} cannot enter when
 * tests run as root. The dir is reused across runs to skip extraction and initdb; a slot another
 * live test JVM is using is skipped, so parallel builds do not stop each other's server. Tests
 * should create their own database from {@link EmbeddedPostgres#createDatabase}.
 */
public final class TestPostgres {

  private static final int SLOTS = 8;
  private static EmbeddedPostgres instance;

  private TestPostgres() {}

  /** Returns the shared server, starting it on the first call. Blocking; thread-safe. */
  public static synchronized EmbeddedPostgres get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "test-postgres-stop"));
    }
    return instance;
  }

  /**
   * Creates an empty database on the shared server, named {@code prefix} and a random suffix, and
   * returns how to connect to it. Blocking.
   */
  public static PgConnectOptions newDatabase(String prefix) {
    EmbeddedPostgres pg = get();
    String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    pg.createDatabase(name, null);
    return new PgConnectOptions()
        .setHost(pg.host())
        .setPort(pg.port())
        .setDatabase(name)
        .setUser(pg.user())
        .setPassword(pg.password());
  }

  private static EmbeddedPostgres start() {
    Path root =
        Path.of(System.getProperty("java.io.tmpdir"), "herald-test-" + new UnixSystem().getUid());
    try {
      for (int slot = 0; ; slot++) {
        Path dataDir = root.resolve(Integer.toString(slot));
        Files.createDirectories(dataDir);
        // createDirectories obeys the umask; nobody must be able to pass through when we are root.
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
          return EmbeddedPostgres.start(dataDir);
        } catch (EmbeddedPostgres.DataDirInUseException e) {
          if (slot == SLOTS - 1) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the test PostgreSQL under " + root, e);
    }
  }
}
