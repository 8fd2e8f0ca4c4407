package herald.agent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.llm.LlmSimConfig;
import herald.sim.llm.LlmSimulator;
import herald.sim.smpp.SmscConfig;
import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.HeraldProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as its own JVM against an SMSC simulator and a model simulator in this
 * JVM, kills it with SIGKILL while 200 agent tasks wait for the model, and restarts it on the same
 * data: every task completes with exactly one reply, in PostgreSQL (through the API) and at the
 * SMSC, and the tasks answered before the kill are not answered again.
 */
@Tag("serial")
class AgentKillTest {
  private static final int BEFORE = 50;
  private static final int IN_FLIGHT = 200;
  private static final int WAITING = 50;
  private static final String OUR_NUMBER = "5550300";

  /** Seconds a claimed task stays with its worker: the restarted node waits this out. */
  private static final int LEASE_SECONDS = 15;

  private static Vertx simVertx;
  private static SmscSimulator smsc;
  private static LlmSimulator llm;
  private static HeraldProcess herald;

  @BeforeAll
  static void prepare() throws Exception {
    smsc =
        SmscSimulator.start(
            SmscConfig.localDefaults()
                .withBehaviour(Duration.ofMillis(1), 0, Duration.ofMillis(50), 0));
    simVertx = Vertx.vertx();
    llm =
        LlmSimulator.start(
                simVertx, LlmSimConfig.loopback("sk-kill").withLatency(Duration.ofMillis(50)))
            .await();
    herald =
        new HeraldProcess(
            "agent-kill-pw",
            Map.of(
                "HERALD_SIMULATORS_ENABLED", "false",
                "HERALD_RATE_LIMITS_OTHER_LIMIT", "100000",
                "HERALD_AGENTS_BATCH_SIZE", Integer.toString(IN_FLIGHT),
                "HERALD_AGENTS_POLL_MS", "200",
                "HERALD_AGENTS_LEASE_SECONDS", Integer.toString(LEASE_SECONDS),
                "HERALD_CLUSTER_LEASE_MS", "4000",
                "HERALD_CLUSTER_RENEW_INTERVAL_MS", "1000"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    herald.close();
    llm.close().await();
    simVertx.close().await();
    smsc.close();
  }

  private static JsonObject call(String method, String path, String token, JsonObject body)
      throws Exception {
    return herald.ok(method, path, token, body);
  }

  private static void await(String what, Duration limit, Await.Condition done) {
    herald.await(what, limit, done);
  }

  private static String user(int i) {
    return String.format("1415561%04d", i);
  }

  /** Replies the SMSC accepted, by destination. */
  private static Map<String, List<String>> repliesByUser() {
    return smsc.submitted().stream()
        .filter(s -> s.destination().startsWith("1415561"))
        .collect(
            Collectors.groupingBy(
                SmscSimulator.Submitted::destination,
                Collectors.mapping(
                    s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1),
                    Collectors.toList())));
  }

  private static void sendMos(int from, int to) {
    for (int i = from; i < to; i++) {
      smsc.sendMo(user(i), OUR_NUMBER, "question " + i);
    }
  }

  /** Every row of a cursor-paged list. */
  private static List<JsonObject> all(String token, String path) throws Exception {
    List<JsonObject> rows = new java.util.ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          call(
              "GET",
              path
                  + (path.contains("?") ? "&" : "?")
                  + "limit=200"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              token,
              null);
      JsonArray data = page.getJsonArray("data");
      for (int i = 0; i < data.size(); i++) {
        rows.add(data.getJsonObject(i));
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    return rows;
  }

  @Test
  void twoHundredTasksInFlightAtAKillEachCompleteWithExactlyOneReplyAfterTheRestart()
      throws Exception {
    try {
      killAndRestart();
    } catch (Throwable e) {
      // what the process saw, for the report (its data dir is deleted with it)
      String log = herald.log();
      System.out.println("Herald's log: " + log.substring(Math.max(0, log.length() - 30000)));
      throw e;
    }
  }

  private void killAndRestart() throws Exception {
    Process first = herald.launch();
    herald.awaitReady(first);
    String token = herald.login();
    String sender =
        call(
                "POST",
                "/api/v1/senders",
                token,
                new JsonObject()
                    .put("name", "agent kill smsc")
                    .put("provider", "smpp")
                    .put("rate_per_second", 1000)
                    .put(
                        "settings",
                        new JsonObject()
                            .put("host", "127.0.0.1")
                            .put("port", smsc.port())
                            .put("system_id", "herald")
                            .put("password", "herald")
                            .put("source_addr", OUR_NUMBER)
                            .put("window", 20)))
            .getString("id");
    String agent =
        call(
                "POST",
                "/api/v1/agents",
                token,
                new JsonObject()
                    .put("name", "kill test model")
                    .put("base_url", llm.baseUrl())
                    .put("model", llm.models().get(0))
                    .put("api_key", llm.apiKey())
                    .put("history_turns", 0)
                    .put("timeout_ms", 60_000))
            .getString("id");
    call(
        "POST",
        "/api/v1/inbound-rules",
        token,
        new JsonObject()
            .put("name", "everything to the model")
            .put("action", "agent")
            .put("agent_id", agent));
    await("the sender bound", Duration.ofSeconds(30), () -> smsc.boundSessions() > 0);

    // answered before the kill: these must not be answered again
    sendMos(0, BEFORE);
    await("the first replies", Duration.ofSeconds(60), () -> repliesByUser().size() == BEFORE);

    // 200 tasks claimed and waiting for a slow model, 50 more pending, when Herald is killed
    llm.latency(Duration.ofSeconds(40));
    llm.clearRequests();
    sendMos(BEFORE, BEFORE + IN_FLIGHT + WAITING);
    // every MO acknowledged, so the SMSC redelivers none after the kill (SMPP's MO is at least
    // once)
    await(
        "every MO taken in",
        Duration.ofSeconds(60),
        () ->
            smsc.stats().moSent() == BEFORE + IN_FLIGHT + WAITING
                && smsc.stats().deliverSmPending() == 0);
    await(
        "200 model calls under way",
        Duration.ofSeconds(60),
        () -> llm.requests().size() >= IN_FLIGHT);
    JsonObject open = call("GET", "/api/v1/agent-tasks/analytics?status=running", token, null);
    assertThat(open.getLong("total_tasks"))
        .as("tasks running at the kill")
        .isGreaterThanOrEqualTo(IN_FLIGHT);
    first.destroyForcibly().waitFor();
    assertThat(repliesByUser()).as("no reply to a task in flight yet").hasSize(BEFORE);

    llm.latency(Duration.ofMillis(100));
    Process second = herald.launch();
    herald.awaitReady(second);
    String token2 = herald.login();
    int total = BEFORE + IN_FLIGHT + WAITING;
    await(
        "a reply to every message after the restart",
        Duration.ofSeconds(120),
        () -> repliesByUser().size() == total);
    Await.stillAfter(
        Duration.ofSeconds(3),
        "no second reply",
        () -> repliesByUser().values().stream().mapToInt(List::size).sum(),
        n -> n == total);

    Map<String, List<String>> replies = repliesByUser();
    Set<String> expected =
        IntStream.range(0, total).mapToObj(AgentKillTest::user).collect(Collectors.toSet());
    assertThat(replies.keySet()).isEqualTo(expected);
    for (int i = 0; i < total; i++) {
      assertThat(replies.get(user(i))).containsExactly("You said: question " + i);
    }

    assertThat(all(token2, "/api/v1/messages?direction=inbound"))
        .as("one inbound message per MO")
        .hasSize(total);
    List<JsonObject> tasks = all(token2, "/api/v1/agent-tasks");
    assertThat(tasks).hasSize(total);
    Map<String, Long> byStatus =
        tasks.stream()
            .collect(Collectors.groupingBy(t -> t.getString("status"), Collectors.counting()));
    assertThat(byStatus).isEqualTo(Map.of("done", (long) total));
    Map<Integer, Long> byAttempts =
        tasks.stream()
            .collect(Collectors.groupingBy(t -> t.getInteger("attempts"), Collectors.counting()));
    assertThat(byAttempts.getOrDefault(2, 0L))
        .as("the tasks in flight at the kill ran once more")
        .isGreaterThanOrEqualTo(IN_FLIGHT);
    assertThat(byAttempts.get(1)).as("the tasks answered before the kill ran once").isNotNull();

    List<JsonObject> outbound = all(token2, "/api/v1/messages?direction=outbound");
    Map<String, Long> perNumber = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (JsonObject m : outbound) {
      perNumber.merge(m.getString("to"), 1L, Long::sum);
      ids.add(m.getString("id"));
    }
    assertThat(outbound).as("one outbound message per task in PostgreSQL").hasSize(total);
    assertThat(perNumber.values()).allMatch(n -> n == 1);
    assertThat(ids)
        .as("each reply's id is its task's id")
        .isEqualTo(tasks.stream().map(t -> t.getString("id")).collect(Collectors.toSet()));
    await(
        "every reply delivered",
        Duration.ofSeconds(30),
        () -> all(token2, "/api/v1/messages?direction=outbound&status=delivered").size() == total);
  }
}
