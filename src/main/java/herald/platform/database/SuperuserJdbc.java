package herald.platform.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The little JDBC the embedded server needs outside Flyway: a superuser login (to check a fresh
 * cluster accepts logins) and {@code CREATE DATABASE}. Blocking; worker threads and tests only.
 */
final class SuperuserJdbc {
  /** Loaded on first use: a warm start never needs JDBC here, and the driver is slow to load. */
  private static final class Driver {
    static final org.postgresql.Driver INSTANCE = new org.postgresql.Driver();
  }

  private SuperuserJdbc() {}

  static Connection connect(String url, String user, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "5");
    props.setProperty("sslmode", "disable"); // loopback: saves a round trip and TLS class loading
    return Driver.INSTANCE.connect(url, props);
  }

  /**
   * Creates database {@code name}, copied from {@code template} when not null, connected through
   * {@code url} (a maintenance database such as {@code postgres}).
   *
   * @throws IllegalStateException wrapping the {@link SQLException} (SQLSTATE 42P04 if it exists)
   */
  static void createDatabase(
      String url, String user, String password, String name, String template) {
    String sql =
        "CREATE DATABASE " + quote(name) + (template == null ? "" : " TEMPLATE " + quote(template));
    try (Connection c = connect(url, user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create database " + name + ": " + e.getMessage(), e);
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
