package herald;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestHerald;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as a separate JVM with the embedded PostgreSQL, exactly as the README's
 * run command does, then kills it with SIGKILL, restarts it, and stops it with SIGTERM: data
 * survives, the postmaster orphaned by the kill is taken care of, and a graceful stop exits 0
 * leaving no PostgreSQL.
 */
class MainProcessTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static Path dataDir;
  private static int port;
  private static int smppPort;
  private static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void prepare() throws IOException {
    dataDir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "herald-main-");
    dataDir.toFile().setExecutable(true, false);
    dataDir.toFile().setReadable(true, false);
    port = TestHerald.freePort();
    smppPort = TestHerald.freePort();
  }

  @AfterAll
  static void cleanUp() throws IOException {
    for (Process process : started) {
      process.destroyForcibly();
    }
    for (long pid : postmasters()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Process launch() throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            classpath,
            "herald.Main");
    builder.environment().put("HERALD_DATA_DIR", dataDir.toString());
    builder.environment().put("HERALD_HTTP_PORT", Integer.toString(port));
    builder.environment().put("HERALD_ADMIN_PASSWORD", "main-process-pw");
    builder.environment().put("HERALD_PASSWORDS_BCRYPT_COST", "4");
    builder.environment().put("HERALD_SIMULATORS_SMPP_PORT", Integer.toString(smppPort));
    builder.redirectErrorStream(true);
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(dataDir.resolve("herald.out").toFile()));
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private static long awaitReady(Process process) throws Exception {
    long begin = System.nanoTime();
    while (System.nanoTime() - begin < Duration.ofSeconds(90).toNanos()) {
      assertThat(process.isAlive()).as("Herald exited early: " + log()).isTrue();
      try {
        if (call("GET", "/health/ready", null, null).statusCode() == 200) {
          return (System.nanoTime() - begin) / 1_000_000;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Herald was not ready in 90 s: " + log());
  }

  private static HttpResponse<String> call(String method, String path, String token, String json)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String login() throws Exception {
    HttpResponse<String> response =
        call(
            "POST",
            "/api/v1/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":\"main-process-pw\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String body = response.body();
    int start = body.indexOf("\"token\":\"") + 9;
    return body.substring(start, body.indexOf('"', start));
  }

  /** PIDs of PostgreSQL server processes working on this test's data dir. */
  private static List<Long> postmasters() throws IOException {
    List<Long> pids = new ArrayList<>();
    String marker = dataDir.resolve("pg").toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline =
              new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' ');
          if (cmdline.contains("postgres")
              && cmdline.contains(marker)
              && !cmdline.contains("pg_ctl")) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException gone) {
          // process ended while we looked
        }
      }
    }
    return pids;
  }

  /** Running, as opposed to gone or a zombie (PID 1 here does not always reap orphans). */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }

  private static String log() {
    try {
      return Files.readString(dataDir.resolve("herald.out"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Test
  void survivesKillMinus9KeepsDataLeavesNoOrphansAndStopsCleanlyOnSigterm() throws Exception {
    Process first = launch();
    long coldMillis = awaitReady(first);
    String token = login();
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/users",
            token,
            "{\"username\":\"survivor\",\"password\":\"survivor-pw\",\"role\":\"viewer\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    List<Long> before = postmasters();
    assertThat(before).hasSize(1);

    first.destroyForcibly().waitFor();
    // pg_ctl daemonised the postmaster, so it outlives the killed JVM until the next start handles
    // it.
    assertThat(running(before.get(0))).isTrue();

    Process second = launch();
    long warmMillis = awaitReady(second);
    List<Long> after = postmasters();
    assertThat(after)
        .as("exactly one postmaster after restart")
        .hasSize(1)
        .doesNotContain(before.get(0));
    assertThat(running(before.get(0))).isFalse();
    String again = login();
    assertThat(call("GET", "/api/v1/users?limit=200", again, null).body()).contains("\"survivor\"");

    second.destroy();
    assertThat(second.waitFor()).as(log()).isZero();
    assertThat(postmasters()).as("no PostgreSQL left after SIGTERM").isEmpty();
    assertThat(dataDir.resolve("pg").resolve("postmaster.pid")).doesNotExist();
    assertThat(log()).contains("Shutting down").contains("Stopped");
    System.out.printf(
        "MainProcessTest: cold start to ready %d ms, warm restart after kill -9 %d ms%n",
        coldMillis, warmMillis);
  }
}
