package herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code herald.Main} run as a JVM of its own, as the README's run command runs it, on a data dir
 * of this object's: for tests that kill Herald with SIGKILL, restart it on the same data, and stop
 * it with SIGTERM. {@link #close()} ends every process it started and the PostgreSQL servers left
 * on its data dir, then deletes the dir.
 */
public final class HeraldProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dataDir;
  private final int port = TestHerald.freePort();
  private final int smppPort = TestHerald.freePort();
  private final String adminPassword;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<Process> started = new ArrayList<>();

  /**
   * @param extraEnv further {@code HERALD_*} settings for every launch
   */
  public HeraldProcess(String adminPassword, Map<String, String> extraEnv) throws IOException {
    this.adminPassword = adminPassword;
    dataDir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "herald-proc-");
    // The embedded server runs as nobody when the tests run as root: it must get in.
    dataDir.toFile().setExecutable(true, false);
    dataDir.toFile().setReadable(true, false);
    env.put("HERALD_DATA_DIR", dataDir.toString());
    env.put("HERALD_HTTP_PORT", Integer.toString(port));
    env.put("HERALD_ADMIN_PASSWORD", adminPassword);
    env.put("HERALD_PASSWORDS_BCRYPT_COST", "4");
    env.put("HERALD_SIMULATORS_SMPP_PORT", Integer.toString(smppPort));
    env.putAll(extraEnv);
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Starts Herald (output appended to {@code herald.out} in the data dir). */
  public Process launch() throws IOException {
    return launch(Map.of());
  }

  /**
   * Starts Herald with some settings changed for this launch only: each entry replaces the
   * variable, and an empty value removes it.
   */
  public Process launch(Map<String, String> overrides) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            classpath,
            "herald.Main");
    builder.environment().putAll(env);
    overrides.forEach(
        (key, value) -> {
          if (value.isEmpty()) {
            builder.environment().remove(key);
          } else {
            builder.environment().put(key, value);
          }
        });
    builder.redirectErrorStream(true);
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(dataDir.resolve("herald.out").toFile()));
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** Waits up to 90 s for {@code /health/ready} 200; returns the milliseconds it took. */
  public long awaitReady(Process process) {
    long begin = System.nanoTime();
    try {
      Await.until(
          "Herald's /health/ready to answer 200",
          Duration.ofSeconds(90),
          () -> {
            assertThat(process.isAlive()).as("Herald exited early: " + log()).isTrue();
            try {
              return call("GET", "/health/ready", null, null).statusCode();
            } catch (IOException notYet) {
              return "not listening yet";
            }
          },
          status -> status.equals(200));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + log(), e);
    }
    return (System.nanoTime() - begin) / 1_000_000;
  }

  /** The HTTP port every launch listens on (unless overridden). */
  public int port() {
    return port;
  }

  /** The SMPP simulator's port of every launch (unless overridden). */
  public int smppPort() {
    return smppPort;
  }

  /** Waits for the process to end; returns its exit code, or fails after {@code limit}. */
  public int awaitExit(Process process, Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      String log = log();
      throw new AssertionError(
          "Herald still ran after "
              + limit
              + "; the end of its log:\n"
              + log.substring(Math.max(0, log.length() - 6000)));
    }
    return process.exitValue();
  }

  /** One HTTP call to the running Herald; {@code json} and {@code token} may be null. */
  public HttpResponse<String> call(String method, String path, String token, String json)
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

  /**
   * A call that must succeed: fails the test, with the answer, on a status of 300 or more. Returns
   * the answer's JSON body.
   */
  public JsonObject ok(String method, String path, String token, JsonObject body) throws Exception {
    HttpResponse<String> response = call(method, path, token, body == null ? null : body.encode());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isLessThan(300);
    return new JsonObject(response.body());
  }

  /**
   * {@link Await#until}, with the last 8,000 characters of Herald's log in the failure message: a
   * process's state is otherwise invisible to the test.
   */
  public void await(String what, Duration limit, Await.Condition done) {
    try {
      Await.until(what, limit, done);
    } catch (AssertionError e) {
      String log = log();
      throw new AssertionError(
          e.getMessage() + "\n" + log.substring(Math.max(0, log.length() - 8000)), e);
    }
  }

  /** Logs in as admin; returns the bearer token. */
  public String login() throws Exception {
    HttpResponse<String> response =
        call(
            "POST",
            "/api/v1/auth/login",
            null,
            new JsonObject().put("username", "admin").put("password", adminPassword).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("token");
  }

  /** PIDs of PostgreSQL server processes working on this data dir. */
  public List<Long> postmasters() throws IOException {
    return postmastersOn(dataDir.resolve("pg"));
  }

  /** PIDs of PostgreSQL server processes working on the cluster in {@code pgDir}. */
  public static List<Long> postmastersOn(Path pgDir) throws IOException {
    List<Long> pids = new ArrayList<>();
    String marker = pgDir.toString();
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
    // A child the postmaster has just forked shows its parent's command line until it sets its own
    // title, so it would count twice: keep only processes whose parent is not one of them.
    List<Long> candidates = List.copyOf(pids);
    pids.removeIf(pid -> candidates.contains(parentOf(pid)));
    return pids;
  }

  private static long parentOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String afterName = stat.substring(stat.lastIndexOf(')') + 2);
      return Long.parseLong(afterName.split(" ")[1]);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  /** Running, as opposed to gone or a zombie (PID 1 here does not always reap orphans). */
  public static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }

  /** What Herald printed so far. */
  public String log() {
    try {
      return Files.readString(dataDir.resolve("herald.out"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() throws Exception {
    for (Process process : started) {
      process.destroyForcibly().waitFor();
    }
    for (long pid : postmasters()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    // a stopping postmaster still writes into the data dir
    Await.until(
        "the postmasters on " + dataDir + " to stop",
        Duration.ofSeconds(15),
        () -> postmasters().stream().noneMatch(HeraldProcess::running));
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
