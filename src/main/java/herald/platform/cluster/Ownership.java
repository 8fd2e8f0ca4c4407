package herald.platform.cluster;

import herald.platform.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster ownership: which verticle instance, on which node, works on each key of a kind (a
 * campaign, a sender's lane, a webhook endpoint's pump). Each key has at most one owner in the
 * whole cluster, through a lease in PostgreSQL ({@code cluster_leases}: kind, key, owner, expiry);
 * every owner heartbeats its row in {@code cluster_owners}. All times are the database's clock.
 *
 * <p>Every {@code cluster.renew_interval_ms} (and on {@link #refresh()}) an owner runs one round on
 * its verticle's context:
 *
 * <ol>
 *   <li>asks its {@link Listener} for the candidates: the keys that exist now (active sender ids,
 *       live campaign ids, endpoint ids);
 *   <li>heartbeats and renews all its leases for {@code cluster.lease_ms}, in one transaction, and
 *       counts the live owners of the kind;
 *   <li>keeps at most its fair share, {@code ceil(candidates / live owners)}, and releases the rest
 *       and every key that is no longer a candidate ({@link Listener#lost} first, then the lease
 *       row goes), so a node that starts gets its share at the others' next round;
 *   <li>takes free keys (never leased, released, or expired) up to its share.
 * </ol>
 *
 * A node that dies stops renewing: its leases and its heartbeat expire together, within {@code
 * cluster.lease_ms} of its last renewal, and the others take its keys at that moment (an owner
 * waiting on another's lease schedules its next round just after that lease's expiry, not at its
 * next regular round). An owner that cannot renew (database unreachable, a long pause) gives up its
 * keys locally ({@link Listener#lost}) when its own lease would have run out, measured from before
 * its last successful renewal was sent, so it stops before anyone else may start. {@link #close()}
 * (call it from the verticle's {@code stop()}) releases everything at once.
 *
 * <p>Owner identity: {@link #node()} (random per process start) plus the verticle group and a
 * process-wide instance number, e.g. {@code 3f9a01c2/campaigns-0}.
 *
 * <p>How a verticle adopts it, in {@code start()} (on its own context):
 *
 * <pre>{@code
 * ownership = Ownership.start(vertx, pool, config.cluster(), "lane", GROUP, new Ownership.Listener() {
 *   public Future<Set<String>> candidates() { return senders.activeIds(); }      // keys that exist
 *   public void gained(String key) { openLane(UUID.fromString(key)); }          // start the work
 *   public Future<Void> lost(String key) { return closeLane(UUID.fromString(key)); } // stop it
 * });
 * // when the candidates change (a sender created or deactivated): ownership.refresh();
 * // guards where work is started by other triggers: if (ownership.owns(key)) ...
 * // in stop(): return ownership.close();
 * }</pre>
 *
 * <p>Threading: {@link #start} must be called on the owning verticle's context; every listener
 * callback runs on that context, as do all SQL round trips (vertx-pg-client, nothing blocks).
 * {@link #owns} and {@link #owned} may be called from any thread. Ownership is a lease, not a lock:
 * between an owner's death and the takeover, and across a long pause, two owners may briefly both
 * think they own a key; work done under ownership must still be safe against that in the database
 * ({@code SKIP LOCKED}, row locks, unique keys), as Herald's is.
 */
public final class Ownership {
  private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);
  private static final String NODE = newNodeId();
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Margin after a foreign lease's expiry before the round that takes it. */
  private static final long AFTER_EXPIRY_MS = 20;

  private static final String HEARTBEAT =
      "INSERT INTO cluster_owners (kind, owner, expires_at)"
          + " VALUES ($1, $2, now() + $3::bigint * interval '1 millisecond')"
          + " ON CONFLICT (kind, owner) DO UPDATE SET expires_at = excluded.expires_at";
  private static final String RENEW =
      "UPDATE cluster_leases SET expires_at = now() + $3::bigint * interval '1 millisecond'"
          + " WHERE kind = $1 AND owner = $2 RETURNING key";
  private static final String LIVE_OWNERS =
      "SELECT count(*)::int AS live FROM cluster_owners WHERE kind = $1 AND expires_at > now()";
  private static final String FORGET_DEAD =
      "WITH owners AS (DELETE FROM cluster_owners WHERE kind = $1"
          + " AND expires_at < now() - $3::bigint * interval '1 millisecond')"
          + " DELETE FROM cluster_leases WHERE kind = $1 AND expires_at < now()"
          + " AND NOT (key = ANY($2::text[]))";
  private static final String RELEASE =
      "DELETE FROM cluster_leases WHERE kind = $1 AND owner = $2 AND key = ANY($3::text[])";
  private static final String RELEASE_ALL =
      "WITH leases AS (DELETE FROM cluster_leases WHERE kind = $1 AND owner = $2)"
          + " DELETE FROM cluster_owners WHERE kind = $1 AND owner = $2";
  private static final String ACQUIRE =
      "WITH free AS (SELECT k FROM unnest($3::text[]) AS k WHERE NOT EXISTS"
          + " (SELECT 1 FROM cluster_leases l WHERE l.kind = $1 AND l.key = k AND l.expires_at > now())"
          + " ORDER BY random() LIMIT $5)"
          + " INSERT INTO cluster_leases (kind, key, owner, expires_at)"
          + " SELECT $1, k, $2, now() + $4::bigint * interval '1 millisecond' FROM free"
          + " ON CONFLICT (kind, key) DO UPDATE SET owner = excluded.owner,"
          + " expires_at = excluded.expires_at WHERE cluster_leases.expires_at <= now()"
          + " RETURNING key";
  private static final String NEXT_FOREIGN_EXPIRY =
      "SELECT (EXTRACT(EPOCH FROM (min(expires_at) - now())) * 1000)::bigint AS ms"
          + " FROM cluster_leases WHERE kind = $1 AND owner <> $2 AND key = ANY($3::text[])"
          + " AND expires_at > now()";

  /**
   * What the owning verticle supplies. Every method is called on the verticle's context.
   *
   * <p>{@link #gained} and {@link #lost} alternate for each key: {@code lost} is called only for a
   * key {@code gained} was called for, and at most once until it is gained again.
   */
  public interface Listener {
    /**
     * The keys that exist now and need an owner. Asked once per round; a failed future skips the
     * round (leases are then not renewed: keep it cheap and reliable).
     */
    Future<Set<String>> candidates();

    /** This owner now holds {@code key}: start its work. Must not throw. */
    void gained(String key);

    /**
     * This owner no longer holds {@code key}: stop its work. When the owner gives the key up itself
     * (rebalancing, the key is no longer a candidate, {@link Ownership#close()}) the lease is
     * released only once the returned future completes (at most {@code cluster.renew_interval_ms}
     * is waited), so in-flight work can finish first; when the lease was lost (not renewed in time)
     * the future is ignored.
     */
    Future<Void> lost(String key);
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String kind;
  private final String owner;
  private final long leaseMs;
  private final long renewMs;
  private final Listener listener;
  private final Set<String> owned = ConcurrentHashMap.newKeySet();
  private long roundTimer = -1;
  private long expiryTimer = -1;
  private long nextDelayMs;
  private boolean running;
  private boolean again;
  private boolean closed;
  private Future<Void> current = Future.succeededFuture();
  private Future<Void> closing;

  private Ownership(
      Vertx vertx, Pool pool, ClusterConfig config, String kind, String group, Listener listener) {
    this.vertx = vertx;
    this.pool = pool;
    this.kind = kind;
    this.owner = NODE + "/" + group + "-" + INSTANCES.getAndIncrement();
    this.leaseMs = config.lease().toMillis();
    this.renewMs = config.renewInterval().toMillis();
    this.nextDelayMs = renewMs;
    this.listener = listener;
  }

  /**
   * Joins the owners of {@code kind} and runs the first round at once (asynchronously: keys arrive
   * through {@link Listener#gained}). Call on the owning verticle's context.
   *
   * @param kind what is owned, e.g. {@code campaign}, {@code lane}, {@code webhook-endpoint}
   * @param group the owning verticle's group name, for the owner id
   * @throws IllegalStateException when not called on a Vert.x context
   */
  public static Ownership start(
      Vertx vertx, Pool pool, ClusterConfig config, String kind, String group, Listener listener) {
    if (Vertx.currentContext() == null) {
      throw new IllegalStateException("Ownership.start must be called on the verticle's context");
    }
    Ownership ownership = new Ownership(vertx, pool, config, kind, group, listener);
    LOG.info("Cluster node {}: {} owns its share of the {} keys", NODE, ownership.owner, kind);
    ownership.refresh();
    return ownership;
  }

  /** This process's node id: random at each start. */
  public static String node() {
    return NODE;
  }

  /** This owner's id: {@code <node>/<group>-<n>}. */
  public String owner() {
    return owner;
  }

  /** Whether this owner holds {@code key} now. Any thread. */
  public boolean owns(String key) {
    return owned.contains(key);
  }

  /** The keys this owner holds now (a copy). Any thread. */
  public Set<String> owned() {
    return Set.copyOf(owned);
  }

  /**
   * Runs a round soon (now, or right after the one under way): call it when the candidates changed
   * (a campaign started, a sender was created), so new keys get an owner without waiting for the
   * next regular round. Call on the owning verticle's context.
   */
  public void refresh() {
    if (closed) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    current =
        round()
            .recover(
                err -> {
                  LOG.warn("{} {}: ownership round failed: {}", owner, kind, err.getMessage());
                  nextDelayMs = renewMs;
                  return Future.succeededFuture();
                })
            .onComplete(
                done -> {
                  running = false;
                  if (closed) {
                    return;
                  }
                  if (again) {
                    refresh();
                  } else {
                    schedule(nextDelayMs);
                  }
                });
  }

  /**
   * Leaves the cluster gracefully: waits for a round under way, calls {@link Listener#lost} for
   * every key held (waiting for each, within {@code cluster.renew_interval_ms}), then deletes this
   * owner's leases and heartbeat, so other owners take the keys at their next round rather than
   * after the lease time. Never fails; safe to call more than once. Call from the verticle's {@code
   * stop()}.
   */
  public Future<Void> close() {
    if (closing != null) {
      return closing;
    }
    closed = true;
    cancel(roundTimer);
    cancel(expiryTimer);
    closing =
        current
            .transform(x -> giveUp(new ArrayList<>(owned)))
            .transform(
                x ->
                    pool.preparedQuery(RELEASE_ALL)
                        .execute(Tuple.of(kind, owner))
                        .onSuccess(r -> LOG.info("{} {}: released its leases", owner, kind)))
            .transform(
                done -> {
                  if (done.failed()) {
                    LOG.warn(
                        "{} {}: could not release its leases (they expire in {} ms): {}",
                        owner,
                        kind,
                        leaseMs,
                        done.cause().getMessage());
                  }
                  return Future.<Void>succeededFuture();
                });
    return closing;
  }

  private void schedule(long delayMs) {
    cancel(roundTimer);
    roundTimer =
        vertx.setTimer(
            Math.max(1, delayMs),
            t -> {
              roundTimer = -1;
              refresh();
            });
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** What one renewal found: the keys still ours and how many owners of the kind are live. */
  private record Renewed(Set<String> held, int liveOwners) {}

  private Future<Void> round() {
    long began = System.nanoTime();
    return listener
        .candidates()
        .compose(
            keys -> {
              Set<String> candidates = keys == null ? Set.of() : keys;
              String[] all = candidates.toArray(String[]::new);
              return pool.withTransaction(tx -> renew(tx, all))
                  .compose(renewed -> settle(began, candidates, all, renewed));
            });
  }

  private Future<Renewed> renew(SqlClient tx, String[] candidates) {
    return tx.preparedQuery(HEARTBEAT)
        .execute(Tuple.of(kind, owner, leaseMs))
        .compose(v -> tx.preparedQuery(RENEW).execute(Tuple.of(kind, owner, leaseMs)))
        .compose(
            rows -> {
              Set<String> held = new HashSet<>();
              rows.forEach(row -> held.add(row.getString("key")));
              return tx.preparedQuery(FORGET_DEAD)
                  .execute(Tuple.of(kind, candidates, leaseMs * 10))
                  .compose(v -> tx.preparedQuery(LIVE_OWNERS).execute(Tuple.of(kind)))
                  .map(live -> new Renewed(held, live.iterator().next().getInteger("live")));
            });
  }

  /** After a renewal: notices losses, keeps the fair share, releases the rest, takes free keys. */
  private Future<Void> settle(long began, Set<String> candidates, String[] all, Renewed renewed) {
    if (closed) {
      return Future.succeededFuture(); // close() releases everything
    }
    armExpiry(began);
    for (String key : new ArrayList<>(owned)) {
      if (!renewed.held().contains(key)) {
        LOG.warn("{} {}: lost {} (its lease ran out and another owner took it)", owner, kind, key);
        owned.remove(key);
        lost(key);
      }
    }
    int share = (int) Math.ceil(candidates.size() / (double) Math.max(1, renewed.liveOwners()));
    List<String> keep = new ArrayList<>(new TreeSet<>(renewed.held()));
    keep.retainAll(candidates);
    List<String> release = new ArrayList<>(renewed.held());
    release.removeAll(candidates);
    if (keep.size() > share) {
      // shuffled, so owners hand back different keys and no key keeps moving
      Collections.shuffle(keep);
      release.addAll(keep.subList(share, keep.size()));
      keep = new ArrayList<>(keep.subList(0, share));
    }
    List<String> gained = new ArrayList<>();
    for (String key : keep) {
      if (owned.add(key)) {
        gained.add(key); // ours in the database though given up here after a failed renewal
      }
    }
    int wanted = share - keep.size();
    List<String> released = new ArrayList<>(release);
    released.retainAll(owned);
    return giveUp(release)
        .compose(
            v ->
                wanted > 0 && !closed
                    ? pool.preparedQuery(ACQUIRE)
                        .execute(Tuple.of(kind, owner, all, leaseMs, wanted))
                        .map(Ownership::keys)
                    : Future.succeededFuture(List.<String>of()))
        .compose(
            taken -> {
              if (!closed) {
                for (String key : taken) {
                  if (owned.add(key)) {
                    gained.add(key);
                  }
                }
              }
              report(gained, released);
              gained.forEach(this::gain);
              return all.length == 0
                  ? Future.succeededFuture((Long) null)
                  : pool.preparedQuery(NEXT_FOREIGN_EXPIRY)
                      .execute(Tuple.of(kind, owner, all))
                      .map(rows -> rows.iterator().next().getLong("ms"));
            })
        .map(
            foreign -> {
              // a lease another owner let run out is taken just after it expires
              nextDelayMs =
                  foreign == null
                      ? renewMs
                      : Math.max(10, Math.min(renewMs, foreign + AFTER_EXPIRY_MS));
              return null;
            });
  }

  private void report(List<String> gained, List<String> released) {
    if (!gained.isEmpty() || !released.isEmpty()) {
      LOG.info(
          "{} {}: took {}, handed back {}, holds {}", owner, kind, gained, released, owned.size());
    }
  }

  /**
   * Hands {@code keys} back: {@link Listener#lost} for those still held (waited for, within the
   * renew interval), then deletes their lease rows.
   */
  private Future<Void> giveUp(List<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> stopped = new ArrayList<>();
    for (String key : keys) {
      if (owned.remove(key)) {
        stopped.add(lost(key).timeout(renewMs, TimeUnit.MILLISECONDS));
      }
    }
    return Future.join(stopped)
        .transform(
            x ->
                pool.preparedQuery(RELEASE)
                    .execute(Tuple.of(kind, owner, keys.toArray(String[]::new))))
        .mapEmpty();
  }

  /**
   * Once this owner's leases may have run out in the database (lease time after the renewal that
   * last succeeded was sent), it stops working on them, before another owner may start.
   */
  private void armExpiry(long renewalSent) {
    cancel(expiryTimer);
    long left = leaseMs - (System.nanoTime() - renewalSent) / 1_000_000;
    expiryTimer =
        vertx.setTimer(
            Math.max(1, left),
            t -> {
              expiryTimer = -1;
              if (owned.isEmpty()) {
                return;
              }
              LOG.warn(
                  "{} {}: could not renew its leases for {} ms; stops working on {}",
                  owner,
                  kind,
                  leaseMs,
                  owned);
              for (String key : new ArrayList<>(owned)) {
                owned.remove(key);
                lost(key);
              }
            });
  }

  private void gain(String key) {
    try {
      listener.gained(key);
    } catch (RuntimeException e) {
      LOG.error("{} {}: gained({}) failed", owner, kind, key, e);
    }
  }

  private Future<Void> lost(String key) {
    try {
      Future<Void> done = listener.lost(key);
      return done == null ? Future.succeededFuture() : done.recover(e -> Future.succeededFuture());
    } catch (RuntimeException e) {
      LOG.error("{} {}: lost({}) failed", owner, kind, key, e);
      return Future.succeededFuture();
    }
  }

  private static List<String> keys(RowSet<Row> rows) {
    List<String> keys = new ArrayList<>();
    rows.forEach(row -> keys.add(row.getString("key")));
    return keys;
  }

  private static String newNodeId() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    StringBuilder id = new StringBuilder();
    for (byte b : bytes) {
      id.append(String.format("%02x", b));
    }
    return id.toString();
  }
}
