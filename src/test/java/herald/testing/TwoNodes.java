package herald.testing;

import herald.platform.database.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Two {@code herald.Main} processes (a cluster of two nodes) on one database of this JVM's embedded
 * PostgreSQL, which outlives them: for tests that kill one node and watch the other take its work
 * over. Each node is a {@link HeraldProcess} of its own (its own HTTP port and data dir, the same
 * admin password); the database starts empty and the first node to start migrates it.
 */
public final class TwoNodes implements AutoCloseable {
  private final EmbeddedPostgres pg = TestPostgres.get();
  private final String database =
      "two_"
          + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  private final List<HeraldProcess> nodes = new ArrayList<>();
  private final Process[] processes = new Process[2];

  /**
   * @param env {@code HERALD_*} settings for both nodes (the database URL is added)
   */
  public TwoNodes(String adminPassword, Map<String, String> env) throws IOException {
    pg.createDatabase(database, null);
    Map<String, String> shared = new HashMap<>(env);
    shared.put(
        "HERALD_DATABASE_URL",
        "postgresql://"
            + pg.user()
            + ":"
            + pg.password()
            + "@"
            + pg.host()
            + ":"
            + pg.port()
            + "/"
            + database);
    for (int i = 0; i < 2; i++) {
      nodes.add(new HeraldProcess(adminPassword, shared));
    }
  }

  /** Starts node 0, then (once it has migrated the database and is ready) node 1. */
  public void start() throws IOException {
    for (int i = 0; i < 2; i++) {
      processes[i] = nodes.get(i).launch();
      nodes.get(i).awaitReady(processes[i]);
    }
  }

  public HeraldProcess node(int i) {
    return nodes.get(i);
  }

  public Process process(int i) {
    return processes[i];
  }

  /** Ends node {@code i} with SIGKILL, as a crash does; waits until it is gone. */
  public void kill(int i) throws InterruptedException {
    processes[i].destroyForcibly().waitFor();
  }

  /**
   * The node whose {@code herald.Main} runs the owner {@code owner} ({@code <node id>/...}, as in
   * {@code cluster_leases}): the one whose log names that node id.
   */
  public int nodeOf(String owner) {
    String node = owner.substring(0, owner.indexOf('/'));
    for (int i = 0; i < 2; i++) {
      if (nodes.get(i).log().contains("Cluster node " + node + ":")) {
        return i;
      }
    }
    throw new AssertionError("no node logged node id " + node);
  }

  /** The owner of {@code key} of {@code kind} with an unexpired lease now, or null. */
  public String owner(String kind, String key) throws SQLException {
    List<String> owners =
        strings(
            "SELECT owner FROM cluster_leases WHERE kind = ? AND key = ? AND expires_at > now()",
            kind,
            key);
    return owners.isEmpty() ? null : owners.get(0);
  }

  /** Runs a query on the shared database; returns the first column of every row as text. */
  public List<String> strings(String sql, Object... params) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
      return values;
    }
  }

  /** Waits until {@code key} of {@code kind} has an owner; returns it. */
  public String awaitOwner(String kind, String key, Duration limit) {
    return Await.until(
        "an owner of " + kind + " " + key, limit, () -> owner(kind, key), o -> o != null);
  }

  @Override
  public void close() throws Exception {
    for (HeraldProcess node : nodes) {
      node.close();
    }
  }
}
