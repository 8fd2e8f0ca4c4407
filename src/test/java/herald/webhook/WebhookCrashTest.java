package herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestHerald;
import io.vertx.core.Vertx;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as its own JVM, kills it with SIGKILL while webhook deliveries are on
 * the wire, and restarts it on the same data directory: every event still reaches the receiver, and
 * a delivery that was in flight is sent again with the same webhook-id.
 */
class WebhookCrashTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final int EVENTS = 150;
  private static Path dataDir;
  private static int port;
  private static int smppPort;
  private static final List<Process> started = new ArrayList<>();
  private static Vertx vertx;

  @BeforeAll
  static void prepare() throws IOException {
    dataDir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "herald-crash-");
    dataDir.toFile().setExecutable(true, false);
    dataDir.toFile().setReadable(true, false);
    port = TestHerald.freePort();
    smppPort = TestHerald.freePort();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (Process process : started) {
      process.destroyForcibly().waitFor();
    }
    for (long pid : postmasters()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!postmasters().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100); // a stopping postmaster still writes into the data dir
    }
    vertx.close().await();
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
    Map<String, String> env = builder.environment();
    env.put("HERALD_DATA_DIR", dataDir.toString());
    env.put("HERALD_HTTP_PORT", Integer.toString(port));
    env.put("HERALD_ADMIN_PASSWORD", "crash-test-pw");
    env.put("HERALD_PASSWORDS_BCRYPT_COST", "4");
    env.put("HERALD_SIMULATORS_SMPP_PORT", Integer.toString(smppPort));
    env.put("HERALD_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    env.put("HERALD_WEBHOOKS_RETRY_SCHEDULE", "1s,1s,2s");
    env.put("HERALD_RATE_LIMITS_OTHER_LIMIT", "100000");
    builder.redirectErrorStream(true);
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(dataDir.resolve("herald.out").toFile()));
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private static void awaitReady(Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("Herald exited early: " + log()).isTrue();
      try {
        if (call("GET", "/health/ready", null, null).statusCode() == 200) {
          return;
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
            "{\"username\":\"admin\",\"password\":\"crash-test-pw\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("token");
  }

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

  private static String log() {
    try {
      return Files.readString(dataDir.resolve("herald.out"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Test
  void aDispatcherKilledMidFlightLosesNoDeliveryAndResendsWithTheSameWebhookId() throws Exception {
    try (TestReceiver receiver = TestReceiver.start(vertx)) {
      receiver.delay(5000); // answers late, so the kill finds every request slot on the wire
      Process first = launch();
      awaitReady(first);
      String token = login();
      HttpResponse<String> created =
          call(
              "POST",
              "/api/v1/webhooks",
              token,
              new JsonObject()
                  .put("name", "crash")
                  .put("url", receiver.url())
                  .put("events", new io.vertx.core.json.JsonArray().add("webhook.test"))
                  .put("timeout_seconds", 6)
                  .put("retry_limit", 20)
                  .encode());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = new JsonObject(created.body()).getString("id");
      Set<String> events = new HashSet<>();
      for (int i = 0; i < EVENTS; i++) {
        HttpResponse<String> sent = call("POST", "/api/v1/webhooks/" + id + "/test", token, null);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        events.add(new JsonObject(sent.body()).getString("event_id"));
      }
      TestReceiver.await(
          "deliveries on the wire", Duration.ofSeconds(30), () -> receiver.received().size() >= 32);

      first.destroyForcibly().waitFor();
      long killed = System.nanoTime();
      // On the wire when the process died: received, not yet answered.
      Set<String> cutOff = receiver.unansweredAt(killed);
      assertThat(cutOff).as("requests on the wire at the kill").isNotEmpty();
      assertThat(receiver.countsById()).as("the kill came mid-way").hasSizeLessThan(EVENTS);
      receiver.delay(0);

      Process second = launch();
      awaitReady(second);
      TestReceiver.await(
          "every event after the restart",
          Duration.ofSeconds(90),
          () -> eventsSeen(receiver).containsAll(events));

      assertThat(eventsSeen(receiver)).isEqualTo(events);
      Map<String, Set<String>> eventsById = new HashMap<>();
      receiver
          .received()
          .forEach(
              r ->
                  eventsById
                      .computeIfAbsent(r.id(), k -> new HashSet<>())
                      .add(new JsonObject(r.body()).getString("id")));
      assertThat(eventsById.values()).as("one webhook-id, one event").allMatch(s -> s.size() == 1);
      assertThat(eventsById).hasSize(EVENTS);
      Map<String, Integer> counts = receiver.countsById();
      assertThat(cutOff)
          .as("deliveries cut off by the kill came again, with their webhook-id")
          .allMatch(webhookId -> counts.get(webhookId) >= 2);

      second.destroy();
      assertThat(second.waitFor()).as(log()).isZero();
    }
  }

  private static Set<String> eventsSeen(TestReceiver receiver) {
    Set<String> seen = new HashSet<>();
    receiver.received().forEach(r -> seen.add(new JsonObject(r.body()).getString("id")));
    return seen;
  }
}
