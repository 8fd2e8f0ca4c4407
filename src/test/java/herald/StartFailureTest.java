package herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import herald.testing.HeraldProcess;
import herald.testing.TestHerald;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as a process of its own and breaks its start the ways operators do: a
 * taken HTTP port, a taken simulator port, an unreachable external database and a bad configuration
 * value each end the process within 20 s with a non-zero exit, one log line naming the setting, and
 * no PostgreSQL left running. As root, a data dir the PostgreSQL user cannot reach (a checkout
 * under /root) still starts, with the cluster kept elsewhere.
 */
class StartFailureTest {
  /**
   * A bound on "the process ends", not a speed claim: on a quiet machine each case exits in about 2
   * s, but a JVM start beside a busy parallel test run (load 10 and more on 2 cores) took 8 s.
   */
  private static final Duration LIMIT = Duration.ofSeconds(20);

  private static HeraldProcess herald;

  @BeforeAll
  static void warmUp() throws Exception {
    herald = new HeraldProcess("start-failure-pw", Map.of());
    // A first good run unpacks PostgreSQL and creates the cluster, so the failures below measure
    // Herald's reaction, not initdb.
    Process first = herald.launch();
    herald.awaitReady(first);
    first.destroy();
    assertThat(herald.awaitExit(first, Duration.ofSeconds(60))).as(herald.log()).isZero();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    herald.close();
  }

  @Test
  void aTakenHttpPortEndsTheProcessNamingHttpPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(herald.port())) {
      String log = failedStart(Map.of(), 1);
      assertThat(log)
          .contains("port " + herald.port() + " on 0.0.0.0 is already in use")
          .contains("(setting: http.port)")
          .contains("HERALD_HTTP_PORT");
    }
  }

  @Test
  void aTakenSimulatorPortEndsTheProcessNamingTheSimulatorPort() throws Exception {
    try (ServerSocket taken =
        new ServerSocket(herald.smppPort(), 50, InetAddress.getLoopbackAddress())) {
      String log = failedStart(Map.of(), 1);
      assertThat(log)
          .contains("port " + herald.smppPort() + " on 127.0.0.1 is already in use")
          .contains("(setting: simulators.smpp_port)");
    }
  }

  @Test
  void anUnreachableExternalDatabaseEndsTheProcessNamingDatabaseUrl() throws Exception {
    int nobodyListens = TestHerald.freePort();
    String log =
        failedStart(
            Map.of(
                "HERALD_DATABASE_URL",
                "postgresql://herald:secret@127.0.0.1:" + nobodyListens + "/herald"),
            1);
    assertThat(log)
        .contains("cannot use the database herald on 127.0.0.1:" + nobodyListens)
        .contains("(setting: database.url)");
  }

  @Test
  void aBadConfigurationValueEndsTheProcessWithExitCode2() throws Exception {
    String log = failedStart(Map.of("HERALD_HTTP_PORT", "eighty"), 2);
    assertThat(log).contains("http.port");
  }

  @Test
  void asRootADataDirNobodyCannotReachKeepsTheClusterUnderVarLibHerald() throws Exception {
    assumeTrue(new UnixSystem().getUid() == 0, "only root relocates the cluster");
    Path home = Files.createTempDirectory("herald-home-");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Path dataDir = home.resolve("checkout").resolve("data");
    Path config = home.resolve("herald.yaml");
    Files.writeString(config, "data_dir: " + dataDir + "\n");
    Path cluster = null;
    try {
      Process process =
          herald.launch(Map.of("HERALD_DATA_DIR", "", "HERALD_CONFIG", config.toString()));
      herald.awaitReady(process);
      herald.login();
      Matcher kept =
          Pattern.compile("its cluster is kept in (/var/lib/herald/\\S+) instead")
              .matcher(herald.log());
      assertThat(kept.find()).as(herald.log()).isTrue();
      cluster = Path.of(kept.group(1));
      assertThat(cluster.getFileName().toString()).matches(".*-checkout-data-[0-9a-f]{8}");
      assertThat(HeraldProcess.postmastersOn(cluster.resolve("pg"))).hasSize(1);
      assertThat(dataDir.resolve("pg")).doesNotExist();

      process.destroy();
      assertThat(herald.awaitExit(process, Duration.ofSeconds(60))).as(herald.log()).isZero();
      assertThat(HeraldProcess.postmastersOn(cluster.resolve("pg"))).isEmpty();
    } finally {
      delete(home);
      if (cluster != null) {
        delete(cluster);
      }
    }
  }

  /** Launches with the overrides, expects the exit code within {@link #LIMIT}; returns the log. */
  private static String failedStart(Map<String, String> overrides, int exitCode) throws Exception {
    int logged = herald.log().length();
    int before = count(herald.log());
    long started = System.nanoTime();
    Process process = herald.launch(overrides);
    int code = herald.awaitExit(process, LIMIT);
    long millis = (System.nanoTime() - started) / 1_000_000;
    String log = herald.log();
    assertThat(code).as(log).isEqualTo(exitCode);
    assertThat(count(log) - before).as("one 'cannot start' line: " + log).isEqualTo(1);
    assertThat(herald.postmasters()).as("no PostgreSQL left running").isEmpty();
    System.out.printf("StartFailureTest: exit %d after %d ms%n", code, millis);
    return log.substring(logged);
  }

  private static int count(String log) {
    return log.split("Herald cannot start", -1).length - 1;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
