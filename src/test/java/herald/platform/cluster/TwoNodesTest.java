package herald.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import herald.campaign.CampaignVerticle;
import herald.sim.smpp.SmscConfig;
import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.HeraldProcess;
import herald.testing.TwoNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two {@code herald.Main} processes on one PostgreSQL (this JVM's, so it outlives them) and one
 * SMSC simulator in this JVM: work owned through {@link Ownership} runs once across the nodes, and
 * when the owning node is killed with SIGKILL the other takes it over within the lease time and
 * finishes it with nothing lost.
 */
// At most a window sent twice holds only while outcomes are recorded (as in CampaignCrashTest): on
// a machine with a load average of 20 a killed node had left 5 to 10 more than the window
// unrecorded for seconds. Run alone, not beside other test classes competing for the CPU.
@Tag("serial")
class TwoNodesTest {
  private static final int WINDOW = 20;
  private static final Duration LEASE = Duration.ofSeconds(3);

  /** The {@link Ownership} kind of sender lanes; keys are sender ids. */
  private static final String LANE_KIND = herald.outbound.LaneVerticle.KIND;

  private static SmscSimulator smsc;
  private static TwoNodes cluster;

  @BeforeAll
  static void start() throws Exception {
    smsc =
        SmscSimulator.start(
            SmscConfig.localDefaults()
                .withMaxBinds(16)
                .withBehaviour(Duration.ofMillis(1), 0, Duration.ofMillis(50), 0));
  }

  /** A fresh pair of nodes (on a fresh database) for each test: each test kills one. */
  @BeforeEach
  void startNodes() throws Exception {
    cluster =
        new TwoNodes(
            "two-nodes-pw",
            Map.of(
                "HERALD_SIMULATORS_ENABLED", "false",
                "HERALD_RATE_LIMITS_OTHER_LIMIT", "100000",
                "HERALD_RATE_LIMITS_SENDS_LIMIT", "100000",
                "HERALD_ACCESS_LOG_LEVEL", "WARN",
                "HERALD_CLUSTER_LEASE_MS", Long.toString(LEASE.toMillis()),
                "HERALD_CLUSTER_RENEW_INTERVAL_MS", "1000",
                // what a killed node had in flight is taken back by the survivor after 10 s
                "HERALD_ENGINE_STALE_SENDING_SECONDS", "10"));
    cluster.start();
  }

  @AfterEach
  void stopNodes() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (smsc != null) {
      smsc.close();
    }
  }

  private static JsonObject call(
      HeraldProcess node, String method, String path, String token, Object body) throws Exception {
    HttpResponse<String> response =
        node.call(method, path, token, body == null ? null : body.toString());
    assertThat(response.statusCode())
        .as(() -> method + " " + path + ": " + response.body() + "\nthe node's log:\n" + tail(node))
        .isLessThan(300);
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  private static String sender(HeraldProcess node, String token, String name, int rate)
      throws Exception {
    return call(
            node,
            "POST",
            "/api/v1/senders",
            token,
            new JsonObject()
                .put("name", name)
                .put("provider", "smpp")
                .put("rate_per_second", rate)
                .put(
                    "settings",
                    new JsonObject()
                        .put("host", "127.0.0.1")
                        .put("port", smsc.port())
                        .put("system_id", "herald")
                        .put("password", "herald")
                        .put("source_addr", name)
                        .put("window", WINDOW)))
        .getString("id");
  }

  private static List<SmscSimulator.Submitted> submitsTo(String prefix) {
    return smsc.submitted().stream().filter(s -> s.destination().startsWith(prefix)).toList();
  }

  private static <T> T await(String what, Duration limit, Await.Probe<T> probe, Check<T> done) {
    try {
      return Await.until(what, limit, probe, done::ok);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "\nnode 0:\n" + tail(0) + "\nnode 1:\n" + tail(1), e);
    }
  }

  private interface Check<T> {
    boolean ok(T value);
  }

  private static String tail(int node) {
    return tail(cluster.node(node));
  }

  private static String tail(HeraldProcess node) {
    String log = node.log();
    return log.substring(Math.max(0, log.length() - 4000));
  }

  /** Submits per second at the SMSC over {@code [from, to]}, by its clock. */
  private static double rate(List<SmscSimulator.Submitted> submits, Instant from, Instant to) {
    long n = submits.stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(to)).count();
    return n / (Duration.between(from, to).toMillis() / 1000.0);
  }

  @Test
  void aCampaignRunsOnceAcrossTwoNodesAndMovesToTheOtherWhenItsNodeIsKilled() throws Exception {
    HeraldProcess first = cluster.node(0);
    String token = first.login();
    // the sender could go 1,000/s: the campaign's own 50/s is what paces it
    String sender = sender(first, token, "TwoCamp", 1000);
    int count = 1500;
    JsonArray numbers = new JsonArray();
    for (int i = 0; i < count; i++) {
      numbers.add(String.format("+1415800%04d", i));
    }
    String campaign =
        call(
                first,
                "POST",
                "/api/v1/campaigns",
                token,
                new JsonObject()
                    .put("name", "two nodes")
                    .put("message", "two nodes")
                    .put("sender_ids", new JsonArray().add(sender))
                    .put("rate_per_second", 50)
                    .put("recipients", numbers))
            .getString("id");
    call(first, "POST", "/api/v1/campaigns/" + campaign + "/start", token, null);

    String owner = cluster.awaitOwner(CampaignVerticle.KIND, campaign, Duration.ofSeconds(10));
    int owning = cluster.nodeOf(owner);
    int other = 1 - owning;
    await("300 sent", Duration.ofSeconds(60), () -> submitsTo("1415800").size(), n -> n >= 300);
    // Once: only the owning node ever took or ran the campaign (its ownership and runner log lines
    // name it; the access log is off). The pace is printed, not asserted: two runners of one
    // campaign do not simply double it, so it proves nothing either way.
    List<SmscSimulator.Submitted> sofar = submitsTo("1415800");
    Instant last = sofar.get(sofar.size() - 1).at();
    double pace = rate(sofar, last.minusSeconds(4), last);
    assertThat(cluster.owner(CampaignVerticle.KIND, campaign)).isEqualTo(owner);
    assertThat(cluster.node(other).log())
        .as("no line of the other node's log names the campaign: it never took or ran it")
        .doesNotContain(campaign);

    cluster.kill(owning);
    Instant killed = Instant.now();
    long atKill = submitsTo("1415800").size();
    assertThat(atKill).as("killed mid-way").isLessThan(count);
    String next =
        await(
            "the other node owning the campaign",
            LEASE.plusSeconds(10),
            () -> cluster.owner(CampaignVerticle.KIND, campaign),
            o -> o != null && !o.equals(owner));
    long takeoverMs = Duration.between(killed, Instant.now()).toMillis();
    assertThat(cluster.nodeOf(next)).isEqualTo(other);
    // the lease, plus this test's polling and a busy machine's scheduling
    assertThat(takeoverMs)
        .as("taken over within the lease time")
        .isLessThan(LEASE.toMillis() + 1500);

    HeraldProcess survivor = cluster.node(other);
    String token2 = survivor.login();
    await(
        "the campaign completed on the surviving node",
        Duration.ofSeconds(120),
        () ->
            call(survivor, "GET", "/api/v1/campaigns/" + campaign + "/status", token2, null)
                .getString("status"),
        "completed"::equals);
    JsonObject status =
        call(survivor, "GET", "/api/v1/campaigns/" + campaign + "/status", token2, null);
    assertThat(status.getLong("total")).isEqualTo(count);
    assertThat(status.getLong("sent")).as("no recipient lost").isEqualTo(count);
    List<SmscSimulator.Submitted> all = submitsTo("1415800");
    Set<String> destinations = new HashSet<>();
    all.forEach(s -> destinations.add(s.destination()));
    System.out.printf(
        "two nodes, campaign: pace %.1f/s with both up; owner killed after %d submits; taken over"
            + " in %d ms (lease %d ms); %d recipients, %d submits (%d repeated)%n",
        pace,
        atKill,
        takeoverMs,
        LEASE.toMillis(),
        count,
        all.size(),
        all.size() - destinations.size());
    java.util.Map<String, List<Instant>> times = new java.util.HashMap<>();
    all.forEach(
        s -> times.computeIfAbsent(s.destination(), d -> new java.util.ArrayList<>()).add(s.at()));
    times.values().stream()
        .filter(t -> t.size() > 1)
        .forEach(
            t ->
                System.out.println(
                    "repeat: "
                        + t.stream().map(i -> Duration.between(killed, i).toMillis()).toList()
                        + " ms after the kill"));
    assertThat(destinations).as("every recipient reached the SMSC").hasSize(count);
    assertThat(all.size() - count)
        .as("sent twice: at most the SMPP window")
        .isLessThanOrEqualTo(WINDOW);
  }

  /**
   * The lane half of the two-node proof: a sender's lane runs on one node only (an {@link
   * Ownership} lease of kind {@link #LANE_KIND}), so with two nodes it is paced at its rate, not
   * twice it, and its SMPP account is bound once; after SIGKILL of that node the other takes the
   * lane over within the lease time and finishes the backlog.
   */
  @Test
  void aSenderIsPacedAndBoundOnceAcrossTwoNodesAndMovesToTheOtherWhenItsNodeIsKilled()
      throws Exception {
    HeraldProcess first = cluster.node(0);
    String token = first.login();
    // a backlog first: accepted at 1/s, then the sender goes to 100/s
    String sender = sender(first, token, "TwoLane", 1);
    long bindsBefore = smsc.stats().binds();
    post(first, token, sender, "1415900", 6000);
    call(
        first,
        "PATCH",
        "/api/v1/senders/" + sender,
        token,
        new JsonObject().put("rate_per_second", 100));
    List<SmscSimulator.Submitted> burst =
        await(
            "6,000 sent",
            Duration.ofSeconds(180),
            () -> submitsTo("1415900"),
            s ->
                new HashSet<>(s.stream().map(SmscSimulator.Submitted::destination).toList()).size()
                    >= 6000);
    // by the SMSC's clock, from the 100th submit (the rate change has reached both nodes) to the
    // last
    Instant from = burst.get(99).at();
    Instant to = burst.get(burst.size() - 1).at();
    double rate = (burst.size() - 100) / (Duration.between(from, to).toMillis() / 1000.0);
    assertThat(rate).as("one sender at 100/s over two nodes").isBetween(98.0, 102.0);
    assertThat(burst).as("none sent twice while both nodes run").hasSize(6000);
    long binds = smsc.stats().binds() - bindsBefore;
    assertThat(binds).as("its SMPP account bound once").isEqualTo(1);

    String owner = cluster.awaitOwner(LANE_KIND, sender, Duration.ofSeconds(10));
    int owning = cluster.nodeOf(owner);
    int other = 1 - owning;
    HeraldProcess survivor = cluster.node(other);
    String token2 = survivor.login();
    post(survivor, token2, sender, "1415901", 3000);
    await(
        "1,000 of the second backlog sent",
        Duration.ofSeconds(60),
        () -> submitsTo("1415901").size(),
        n -> n >= 1000);
    cluster.kill(owning);
    Instant killed = Instant.now();
    String next =
        await(
            "the other node owning the lane",
            LEASE.plusSeconds(10),
            () -> cluster.owner(LANE_KIND, sender),
            o -> o != null && !o.equals(owner));
    assertThat(cluster.nodeOf(next)).isEqualTo(other);
    long laneTakeoverMs = Duration.between(killed, Instant.now()).toMillis();
    assertThat(laneTakeoverMs)
        .as("taken over within the lease time")
        .isLessThan(LEASE.toMillis() + 1500);
    await(
        "the second backlog sent by the surviving node",
        Duration.ofSeconds(120),
        () -> submitsTo("1415901"),
        s ->
            new HashSet<>(s.stream().map(SmscSimulator.Submitted::destination).toList()).size()
                >= 3000);
    // what the killed node had in flight is taken back once stale, then sent again: wait for it
    await(
        "nothing left queued or sending",
        Duration.ofSeconds(60),
        () ->
            call(survivor, "GET", "/api/v1/messages/stats?sender_id=" + sender, token2, null)
                .getJsonObject("by_status"),
        stats -> stats.getLong("queued", 0L) + stats.getLong("sending", 0L) == 0);
    int repeated = submitsTo("1415901").size() - 3000;
    System.out.printf(
        "two nodes, lane: 6000 at %.1f/s with both up, %d bind(s); owner killed; taken over in %d ms"
            + " (lease %d ms); 3000 sent by the survivor, %d repeated (window %d)%n",
        rate, binds, laneTakeoverMs, LEASE.toMillis(), repeated, WINDOW);
    assertThat(repeated).as("sent twice: at most the SMPP window").isLessThanOrEqualTo(WINDOW);
  }

  /** Accepts {@code count} messages for {@code sender} to {@code prefix}NNNN, 1,000 per request. */
  private static void post(
      HeraldProcess node, String token, String sender, String prefix, int count) throws Exception {
    for (int start = 0; start < count; start += 1000) {
      JsonArray batch = new JsonArray();
      for (int i = start; i < Math.min(count, start + 1000); i++) {
        batch.add(
            new JsonObject()
                .put("to", String.format("+%s%04d", prefix, i))
                .put("body", "lane " + i)
                .put("sender_id", sender));
      }
      HttpResponse<String> response = node.call("POST", "/api/v1/messages", token, batch.encode());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
  }
}
