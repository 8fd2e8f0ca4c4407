package herald.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import herald.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each test starts from an empty data dir, so each pays for extraction and initdb once. */
class EmbeddedPostgresTest {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresTest.class);

  private final List<EmbeddedPostgres> started = new ArrayList<>();
  private Path base;
  private Path dataDir;

  @BeforeEach
  void createDataDir() throws IOException {
    base = Files.createTempDirectory("herald-pg-test-");
    // createTempDirectory makes it 0700; as root the server user must be able to pass through.
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    dataDir = base.resolve("data");
  }

  @AfterEach
  void stopAndDelete() throws Exception {
    started.forEach(EmbeddedPostgres::close);
    // A test that failed after abandon() leaves a postmaster no instance will stop.
    PostmasterPid left = PostmasterPid.read(dataDir.resolve("pg"));
    if (left.state() == PostmasterPid.State.RUNNING) {
      ProcessHandle.of(left.pid()).ifPresent(ProcessHandle::destroy);
      Await.until(
          "the left postmaster " + left.pid() + " to stop",
          Duration.ofSeconds(10),
          () -> !PostmasterPid.isAlive(left.pid()));
    }
    PostgresBinaries.deleteRecursively(base);
  }

  @Test
  @DisplayName("accepts SCRAM password logins over TCP and keeps data across a restart")
  void startsServerAcceptingPasswordLoginsAndKeepsDataAcrossRestart() throws Exception {
    EmbeddedPostgres pg = start();
    assertThat(pg.host()).isEqualTo("127.0.0.1");
    assertThat(pg.user()).isEqualTo("herald");
    assertThat(pg.database()).isEqualTo("herald");
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("pg-password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (Connection c = connect(pg, pg.password());
        Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT rolpassword FROM pg_authid WHERE rolname = 'herald'"))
          .startsWith("SCRAM-SHA-256$");
      assertThat(single(s, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"))
          .isEqualTo("scram-sha-256");
      assertThat(single(s, "SHOW fsync")).isEqualTo("on");
      assertThat(single(s, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(single(s, "SHOW unix_socket_directories")).isEmpty();
      assertThat(single(s, "SHOW max_connections")).isEqualTo("200");
      s.execute("CREATE TABLE kept (v text)");
      s.execute("INSERT INTO kept VALUES ('survives restart')");
    }
    assertThatThrownBy(() -> connect(pg, pg.password() + "x"))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> assertThat(e.getSQLState()).isEqualTo("28P01")); // invalid_password

    pg.close();
    pg.close();
    assertThatThrownBy(() -> connect(pg, pg.password())).isInstanceOf(SQLException.class);

    long before = System.nanoTime();
    EmbeddedPostgres again = start();
    LOG.info("Warm start took {} ms", (System.nanoTime() - before) / 1_000_000);
    assertThat(again.password()).isEqualTo(pg.password());
    try (Connection c = connect(again, again.password());
        Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT v FROM kept")).isEqualTo("survives restart");
    }
  }

  @Test
  @DisplayName("recovers from a server left by a crashed JVM, refuses one a live JVM runs")
  void recoversFromServerLeftRunningByCrashedJvm() throws Exception {
    EmbeddedPostgres first = start();
    try (Connection c = connect(first, first.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v text)");
      s.execute("INSERT INTO kept VALUES ('survives crash')");
    }
    long oldPid = postmasterPid();
    assertThat(PostmasterPid.isAlive(oldPid)).isTrue();
    assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir))
        .isInstanceOf(EmbeddedPostgres.DataDirInUseException.class);

    first.abandon(); // what kill -9 of the JVM does: the lock goes, the postmaster stays
    EmbeddedPostgres second = start();

    assertThat(PostmasterPid.isAlive(oldPid)).as("old postmaster %d alive", oldPid).isFalse();
    assertThat(postmasterPid()).isNotEqualTo(oldPid);
    try (Connection c = connect(second, second.password());
        Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT v FROM kept")).isEqualTo("survives crash");
    }
    long newPid = postmasterPid();
    second.close();
    // pg_ctl stop -w returns once the postmaster removed its pid file, just before it exits.
    Await.until(
        "postmaster " + newPid + " to exit",
        Duration.ofSeconds(10),
        () -> !PostmasterPid.isAlive(newPid));
    assertThat(dataDir.resolve("pg/postmaster.pid")).doesNotExist();
  }

  @Test
  @DisplayName("refuses, as root, a data dir the server user cannot reach, naming the blocker")
  void refusesDataDirServerUserCannotReach() throws IOException {
    Assumptions.assumeTrue(new UnixSystem().getUid() == 0, "only root hands the server to nobody");
    Path locked = base.resolve("locked");
    Files.createDirectory(locked);
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));

    assertThatThrownBy(() -> EmbeddedPostgres.start(locked.resolve("data")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot enter " + locked + " ")
        .hasMessageContaining("HERALD_DATA_DIR");
    assertThat(locked.resolve("data/pg")).doesNotExist();
  }

  private EmbeddedPostgres start() throws IOException {
    EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir);
    started.add(pg);
    return pg;
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(
        Files.readAllLines(dataDir.resolve("pg/postmaster.pid"), StandardCharsets.US_ASCII)
            .get(0)
            .trim());
  }

  private static Connection connect(EmbeddedPostgres pg, String password) throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(pg.database()), pg.user(), password);
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as("a row from %s", sql).isTrue();
      return rs.getString(1);
    }
  }
}
