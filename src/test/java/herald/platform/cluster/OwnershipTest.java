package herald.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import herald.platform.config.ClusterConfig;
import herald.platform.database.Migrations;
import herald.testing.Await;
import herald.testing.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Ownership} against the real embedded PostgreSQL: owners are verticles of their own (each
 * with its own pool), sharing one database as the nodes of a cluster do.
 */
class OwnershipTest {
  /** Short times, so expiry is seen in a test. */
  private static final ClusterConfig FAST =
      new ClusterConfig(Duration.ofMillis(1500), Duration.ofMillis(300));

  /** A lease far longer than any wait of these tests: only a release can move keys in time. */
  private static final ClusterConfig LONG_LEASE =
      new ClusterConfig(Duration.ofSeconds(30), Duration.ofMillis(300));

  private static final AtomicInteger KINDS = new AtomicInteger();

  private static Vertx vertx;
  private static PgConnectOptions connect;
  private static Pool inspect;

  private final List<Owner> owners = new ArrayList<>();
  private final Set<String> candidates = ConcurrentHashMap.newKeySet();
  private final String kind = "test-" + KINDS.incrementAndGet();

  @BeforeAll
  static void database() {
    connect = TestPostgres.newDatabase("own_");
    Migrations.migrate(connect);
    vertx = Vertx.vertx();
    inspect = PgBuilder.pool().connectingTo(connect).using(vertx).build();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @AfterEach
  void undeploy() {
    for (Owner owner : owners) {
      if (owner.deployment != null) {
        vertx.undeploy(owner.deployment).otherwise((Void) null).await();
      }
    }
  }

  /**
   * An owning verticle: records what it gained and lost, and checks it is called on its context.
   */
  private final class Owner extends VerticleBase {
    final ClusterConfig config;
    final Set<String> held = ConcurrentHashMap.newKeySet();
    final Map<String, Long> lostAt = new ConcurrentHashMap<>();
    final Map<String, Long> gainedAt = new ConcurrentHashMap<>();
    final List<String> offContext = new ArrayList<>();
    Pool pool;
    Ownership ownership;
    String deployment;

    Owner(ClusterConfig config) {
      this.config = config;
    }

    @Override
    public Future<?> start() {
      pool =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(2))
              .connectingTo(connect)
              .using(vertx)
              .build();
      Context mine = context;
      ownership =
          Ownership.start(
              vertx,
              pool,
              config,
              kind,
              "test",
              new Ownership.Listener() {
                @Override
                public Future<Set<String>> candidates() {
                  return Future.succeededFuture(Set.copyOf(OwnershipTest.this.candidates));
                }

                @Override
                public void gained(String key) {
                  check(mine, "gained " + key);
                  gainedAt.put(key, System.nanoTime());
                  assertThat(held.add(key)).as("gained twice without a loss: " + key).isTrue();
                }

                @Override
                public Future<Void> lost(String key) {
                  check(mine, "lost " + key);
                  lostAt.put(key, System.nanoTime());
                  held.remove(key);
                  return Future.succeededFuture();
                }
              });
      return Future.succeededFuture();
    }

    /** Asks for a round now, on the owner's context (as a verticle does when keys change). */
    void refresh() {
      context.runOnContext(v -> ownership.refresh());
    }

    private void check(Context mine, String what) {
      if (Vertx.currentContext() != mine) {
        synchronized (offContext) {
          offContext.add(what);
        }
      }
    }

    @Override
    public Future<?> stop() {
      return ownership.close().eventually(() -> pool.close());
    }
  }

  private Owner start(ClusterConfig config) {
    Owner owner = new Owner(config);
    owner.deployment = vertx.deployVerticle(owner).await();
    owners.add(owner);
    return owner;
  }

  private void keys(int n) {
    for (int i = 0; i < n; i++) {
      candidates.add("key-" + i);
    }
  }

  /** Lease rows of this test's kind: key to owner. */
  private Map<String, String> leases() {
    Map<String, String> leases = new HashMap<>();
    inspect
        .preparedQuery("SELECT key, owner FROM cluster_leases WHERE kind = $1")
        .execute(Tuple.of(kind))
        .await()
        .forEach(row -> leases.put(row.getString("key"), row.getString("owner")));
    return leases;
  }

  private static Set<String> union(Owner a, Owner b) {
    Set<String> all = new HashSet<>(a.held);
    all.addAll(b.held);
    return all;
  }

  @Test
  void twoOwnersShareTheKeysEvenlyAndEachKeyHasOneOwner() {
    keys(10);
    Owner a = start(FAST);
    Owner b = start(FAST);
    Await.until(
        "10 keys split 5 and 5",
        Duration.ofSeconds(10),
        () -> a.held.size() == 5 && b.held.size() == 5 && union(a, b).equals(candidates));
    assertThat(a.held).doesNotContainAnyElementsOf(b.held);
    Map<String, String> leases = leases();
    assertThat(leases.keySet()).isEqualTo(candidates);
    a.held.forEach(k -> assertThat(leases.get(k)).isEqualTo(a.ownership.owner()));
    b.held.forEach(k -> assertThat(leases.get(k)).isEqualTo(b.ownership.owner()));
    assertThat(a.ownership.owned()).isEqualTo(a.held);
    assertThat(b.ownership.owns(b.held.iterator().next())).isTrue();
    assertThat(a.offContext).as("callbacks off the owner's context").isEmpty();
    assertThat(b.offContext).as("callbacks off the owner's context").isEmpty();
  }

  @Test
  void anOwnerStartedLaterGetsItsShareAndTheFirstStopsBeforeItStarts() {
    keys(9);
    Owner a = start(FAST);
    Await.until("one owner holds all 9", Duration.ofSeconds(10), () -> a.held.size() == 9);
    Owner b = start(FAST);
    Await.until(
        "9 keys split at most 5 each",
        Duration.ofSeconds(10),
        () ->
            b.held.size() >= 4
                && a.held.size() <= 5
                && union(a, b).equals(candidates)
                && a.held.size() + b.held.size() == 9);
    for (String moved : b.held) {
      assertThat(a.lostAt).as("handed back by the first owner: " + moved).containsKey(moved);
      assertThat(a.lostAt.get(moved))
          .as("the first owner stopped " + moved + " before the second started it")
          .isLessThan(b.gainedAt.get(moved));
    }
  }

  @Test
  void anOwnerThatStopsRenewingLosesItsKeysToTheOtherWithinTheLeaseTime() {
    keys(6);
    Owner a = start(FAST);
    Owner b = start(FAST);
    Await.until(
        "6 keys split 3 and 3",
        Duration.ofSeconds(10),
        () -> a.held.size() == 3 && b.held.size() == 3);
    Set<String> ofA = Set.copyOf(a.held);
    // a's database goes away: it can no longer renew (as a node cut off, or paused)
    long cut = System.nanoTime();
    a.pool.close().await();
    Await.until("the other owner holds all 6", Duration.ofSeconds(10), () -> b.held.size() == 6);
    long tookMs = (System.nanoTime() - cut) / 1_000_000;
    long limit = FAST.lease().toMillis() + 1000; // the lease, plus scheduling slack of a busy box
    assertThat(tookMs).as("taken over within the lease time").isLessThan(limit);
    assertThat(a.held).as("the cut-off owner gave its keys up").isEmpty();
    for (String key : ofA) {
      assertThat(a.lostAt.get(key))
          .as("the cut-off owner stopped " + key + " before the other started it")
          .isLessThan(b.gainedAt.get(key));
    }
    assertThat(leases().values()).containsOnly(b.ownership.owner());
  }

  @Test
  void aGracefulStopHandsItsKeysOverAtOnceNotAfterTheLease() {
    keys(6);
    Owner a = start(LONG_LEASE);
    Owner b = start(LONG_LEASE);
    Await.until(
        "6 keys split 3 and 3",
        Duration.ofSeconds(10),
        () -> a.held.size() == 3 && b.held.size() == 3);
    Set<String> ofB = Set.copyOf(b.held);
    vertx.undeploy(b.deployment).await();
    b.deployment = null;
    assertThat(b.lostAt.keySet()).as("stopped its work on stop").containsAll(ofB);
    Await.until(
        "the remaining owner holds all 6, long before the 30 s lease would run out",
        Duration.ofSeconds(10),
        () -> a.held.size() == 6);
    assertThat(leases().values()).containsOnly(a.ownership.owner());
    long owners =
        inspect
            .preparedQuery("SELECT count(*) AS n FROM cluster_owners WHERE kind = $1")
            .execute(Tuple.of(kind))
            .await()
            .iterator()
            .next()
            .getLong("n");
    assertThat(owners).as("the stopped owner's heartbeat is gone").isEqualTo(1);
  }

  @Test
  void aKeyThatIsNoLongerACandidateIsReleasedAndANewOneIsTaken() {
    keys(2);
    Owner a = start(FAST);
    Await.until("both keys held", Duration.ofSeconds(10), () -> a.held.size() == 2);
    candidates.remove("key-0");
    candidates.add("key-new");
    a.refresh();
    Await.until(
        "key-0 released, key-new held",
        Duration.ofSeconds(10),
        () -> a.held.equals(Set.of("key-1", "key-new")));
    assertThat(a.lostAt).containsKey("key-0");
    Await.until(
        "key-0's lease row gone",
        Duration.ofSeconds(5),
        () -> leases().keySet().equals(Set.of("key-1", "key-new")));
  }
}
