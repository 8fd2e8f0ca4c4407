package herald.bench;

import herald.platform.database.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Steps of {@code bench/two-nodes.sh} (not a test): the PostgreSQL two Herald nodes share, and the
 * ownership leases they hold in it.
 *
 * <pre>
 * postgres DIR                          -> starts an embedded PostgreSQL on DIR, prints its URL
 *                                          (postgresql://user:password@host:port/herald) and serves
 *                                          until killed (SIGTERM stops the server)
 * owner URL KIND KEY                    -> the owner holding an unexpired lease, or "-"
 * await-owner URL KIND KEY OLD TIMEOUT_S -> waits until an owner other than OLD holds the key;
 *                                          prints it and the milliseconds waited
 * </pre>
 */
public final class ClusterRun {
  private ClusterRun() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "postgres" -> serve(Path.of(args[1]));
      case "owner" -> {
        String owner = owner(args[1], args[2], args[3]);
        System.out.println(owner == null ? "-" : owner);
      }
      case "await-owner" -> {
        long start = System.nanoTime();
        long limit = start + Long.parseLong(args[5]) * 1_000_000_000L;
        while (true) {
          String owner = owner(args[1], args[2], args[3]);
          if (owner != null && !owner.equals(args[4])) {
            System.out.println(owner + " " + (System.nanoTime() - start) / 1_000_000);
            return;
          }
          if (System.nanoTime() > limit) {
            System.out.println("- " + (System.nanoTime() - start) / 1_000_000);
            return;
          }
          Thread.sleep(50);
        }
      }
      default -> throw new IllegalArgumentException("unknown step " + args[0]);
    }
  }

  private static void serve(Path dir) throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start(dir);
    Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "postgres-stop"));
    System.out.printf(
        "postgresql://%s:%s@%s:%d/%s%n",
        pg.user(), pg.password(), pg.host(), pg.port(), pg.database());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static String owner(String url, String kind, String key) throws Exception {
    URI uri = URI.create(url);
    String[] credentials = uri.getUserInfo().split(":", 2);
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
                credentials[0],
                credentials[1]);
        PreparedStatement query =
            c.prepareStatement(
                "SELECT owner FROM cluster_leases WHERE kind = ? AND key = ?"
                    + " AND expires_at > now()")) {
      query.setString(1, kind);
      query.setString(2, key);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}
