package herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import herald.platform.Platform;
import herald.platform.bus.LocalCodec;
import herald.platform.metrics.Metrics;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook endpoint pumps owned through the cluster lease ({@link DispatcherVerticle#KIND}) by two
 * dispatchers on two "nodes" of one database: a real Herald (node A) and a second Vert.x with only
 * a {@link DispatcherVerticle} on its own pool (node B: its own event bus and its own map of local
 * owners, as another process would have). Each node signs its requests with a {@code User-Agent} of
 * its own, so a receiver sees which node sent each request. Every event is written through node A's
 * API, so node B's endpoints get theirs only through the database (made due by A's fan-out, found
 * by B's sweep).
 */
class WebhookOwnershipTest {
  private static final int ENDPOINTS = 6;
  private static final String NODE_B = "node-b";
  private static final Duration SOON = Duration.ofSeconds(20);

  private TestHerald herald;
  private TestClient client;
  private String admin;
  private Pool pool;
  private Vertx vertxB;
  private Pool poolB;
  private final List<TestReceiver> receivers = new ArrayList<>();

  @BeforeEach
  void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put(
                    "cluster",
                    new JsonObject().put("lease_ms", 3000).put("renew_interval_ms", 500)));
    client = herald.client();
    admin = client.loginAdmin();
    pool = herald.herald().platform().pool();
  }

  @AfterEach
  void stop() {
    receivers.forEach(TestReceiver::close);
    if (vertxB != null) {
      vertxB.close().await();
    }
    herald.close();
  }

  /** Deploys one dispatcher on a Vert.x and pool of its own; answers its deployment id. */
  private String startNodeB() {
    vertxB = Vertx.vertx();
    LocalCodec.install(vertxB);
    Platform a = herald.herald().platform();
    PgConnectOptions connect = PgConnectOptions.fromUri(a.config().database().url());
    poolB =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(4))
            .connectingTo(connect)
            .using(vertxB)
            .build();
    Platform b =
        new Platform(
            a.config(),
            poolB,
            a.tokens(),
            a.passwords(),
            a.rateLimits(),
            NODE_B,
            new ConcurrentHashMap<>(),
            new AtomicBoolean(true),
            new AtomicBoolean(),
            new AtomicInteger(),
            a.clock(),
            Metrics.create(),
            a.authCache());
    return vertxB.deployVerticle(new DispatcherVerticle(b, 0)).await();
  }

  private List<Row> query(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<Row> out = new ArrayList<>();
              rows.forEach(out::add);
              return out;
            })
        .await();
  }

  private Set<String> liveOwners() {
    Set<String> owners = new HashSet<>();
    query(
            "SELECT owner FROM cluster_owners WHERE kind = $1 AND expires_at > now()",
            Tuple.of(DispatcherVerticle.KIND))
        .forEach(row -> owners.add(row.getString("owner")));
    return owners;
  }

  /** Endpoint id to the owner holding its unexpired lease. */
  private Map<String, String> leases() {
    Map<String, String> leases = new HashMap<>();
    query(
            "SELECT key, owner FROM cluster_leases WHERE kind = $1 AND expires_at > now()",
            Tuple.of(DispatcherVerticle.KIND))
        .forEach(row -> leases.put(row.getString("key"), row.getString("owner")));
    return leases;
  }

  private String createEndpoint(TestReceiver receiver) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/webhooks",
            admin,
            new JsonObject()
                .put("name", "owned")
                .put("url", receiver.url())
                .put("events", new JsonArray().add("message.*")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  private void sendTest(String endpointId) {
    HttpResponse<Buffer> sent =
        client.post("/api/v1/webhooks/" + endpointId + "/test", admin, null);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
  }

  private static boolean fromNodeB(TestReceiver.Received r) {
    return r.headers().get("User-Agent").endsWith("/" + NODE_B);
  }

  /**
   * Verifies that each endpoint is owned and pumped by exactly one of two dispatchers on two nodes
   * (both get a share, and every request to an endpoint comes from its owner's node, once per
   * event), that a stopped owner's request on the wire is recorded before it hands its endpoints
   * back, and that its endpoints then move to the other node and still get their deliveries.
   */
  @Test
  void eachEndpointIsPumpedByOneOwnerAndAStoppedOwnersEndpointsMoveToTheOther() {
    Set<String> before =
        Await.until("node A's dispatcher", SOON, this::liveOwners, o -> o.size() == 1);
    String ownerA = before.iterator().next();
    String deploymentB = startNodeB();
    Set<String> both = Await.until("both dispatchers", SOON, this::liveOwners, o -> o.size() == 2);
    String ownerB = both.stream().filter(o -> !o.equals(ownerA)).findFirst().orElseThrow();

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ENDPOINTS; i++) {
      TestReceiver receiver = TestReceiver.start(herald.vertx());
      receivers.add(receiver);
      ids.add(createEndpoint(receiver));
    }
    Map<String, String> shared =
        Await.until(
            "every endpoint leased, each owner holding its fair share",
            SOON,
            this::leases,
            l ->
                l.keySet().containsAll(ids)
                    && l.values().stream().filter(ownerA::equals).count() == ENDPOINTS / 2
                    && l.values().stream().filter(ownerB::equals).count() == ENDPOINTS / 2);

    ids.forEach(this::sendTest);
    for (int i = 0; i < ENDPOINTS; i++) {
      TestReceiver receiver = receivers.get(i);
      Await.until("the test event at endpoint " + i, SOON, () -> receiver.received().size() == 1);
    }
    Await.stillAfter(
        Duration.ofMillis(500),
        "one request per endpoint",
        () -> receivers.stream().allMatch(r -> r.received().size() == 1));
    for (int i = 0; i < ENDPOINTS; i++) {
      boolean ownedByB = shared.get(ids.get(i)).equals(ownerB);
      assertThat(fromNodeB(receivers.get(i).received().get(0)))
          .as(
              "endpoint %d, owned by %s, was sent to by its owner's node",
              i, shared.get(ids.get(i)))
          .isEqualTo(ownedByB);
    }

    // A request of node B on the wire when B stops is recorded before B hands the endpoint back.
    int slow = 0;
    while (!shared.get(ids.get(slow)).equals(ownerB)) {
      slow++;
    }
    TestReceiver slowReceiver = receivers.get(slow);
    slowReceiver.delay(300);
    sendTest(ids.get(slow));
    Await.until("node B's request on the wire", SOON, () -> slowReceiver.received().size() == 2);
    vertxB.undeploy(deploymentB).await();
    List<Row> recorded =
        query(
            "SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = $1::uuid"
                + " ORDER BY id DESC LIMIT 1",
            Tuple.of(ids.get(slow)));
    assertThat(recorded.get(0).getString("status")).isEqualTo("succeeded");
    assertThat(recorded.get(0).getInteger("attempts")).isEqualTo(1);
    slowReceiver.delay(0);

    Await.until(
        "node A owning every endpoint",
        SOON,
        this::leases,
        l -> ids.stream().allMatch(id -> ownerA.equals(l.get(id))));
    ids.forEach(this::sendTest);
    for (int i = 0; i < ENDPOINTS; i++) {
      TestReceiver receiver = receivers.get(i);
      int expected = i == slow ? 3 : 2;
      Await.until(
          "the second test event at endpoint " + i,
          SOON,
          () -> receiver.received().size() == expected);
      assertThat(fromNodeB(receiver.received().get(expected - 1)))
          .as("endpoint %d after node B stopped", i)
          .isFalse();
    }
    Row made =
        Await.until(
            "every delivery recorded as succeeded",
            SOON,
            () ->
                query(
                        "SELECT count(*)::int AS made, count(*) FILTER (WHERE status = 'succeeded')::int"
                            + " AS succeeded, max(attempts) AS most FROM webhook_deliveries",
                        Tuple.tuple())
                    .get(0),
            row -> row.getInteger("succeeded") == 2 * ENDPOINTS + 1);
    assertThat(made.getInteger("made")).isEqualTo(2 * ENDPOINTS + 1);
    assertThat(made.getInteger("most")).as("attempts of any delivery").isEqualTo(1);
  }
}
