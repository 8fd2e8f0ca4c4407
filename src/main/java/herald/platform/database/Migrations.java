package herald.platform.database;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema migrations, owned by Flyway ({@code src/main/resources/db/migration}). When the database
 * is already at {@link #LATEST} (the common restart), start-up does not wait for Flyway: the check
 * is one query, and Flyway's full validation (checksums of applied migrations) runs on a worker
 * thread right after, logging an error if a migration file was changed after it was applied.
 * Otherwise Flyway migrates before Herald serves anything.
 */
public final class Migrations {
  /** Highest {@code V<n>__} migration shipped; a test fails if this falls behind the files. */
  public static final int LATEST = 25;

  private static final long VALIDATE_DELAY_MS = 15_000;
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Brings the schema to {@link #LATEST}; JDBC work runs on worker threads only. */
  static Future<Void> ensure(Vertx vertx, Pool pool, PgConnectOptions options) {
    return appliedVersion(pool)
        .compose(
            applied -> {
              if (applied == LATEST) {
                LOG.info(
                    "Schema at version {}; applied migrations are validated in the background",
                    applied);
                // Later, so Flyway's class loading does not compete with start-up for the CPU.
                vertx.setTimer(
                    VALIDATE_DELAY_MS,
                    id ->
                        vertx
                            .executeBlocking(() -> validate(options), false)
                            .onFailure(err -> LOG.error("Validating migrations failed", err)));
                return Future.succeededFuture();
              }
              return vertx.executeBlocking(
                  () -> {
                    migrate(options);
                    return null;
                  },
                  false);
            });
  }

  /** The highest successfully applied version, or 0 on an empty database. */
  static Future<Integer> appliedVersion(Pool pool) {
    return pool.query("SELECT to_regclass('flyway_schema_history') IS NOT NULL AS present")
        .execute()
        .compose(
            rows ->
                !rows.iterator().next().getBoolean("present")
                    ? Future.succeededFuture(0)
                    : pool.query(
                            "SELECT coalesce(max(version::int), 0) AS v FROM flyway_schema_history"
                                + " WHERE success AND version IS NOT NULL")
                        .execute()
                        .map(result -> result.iterator().next().getInteger("v")));
  }

  /** Applies pending migrations (blocking: JDBC). */
  public static void migrate(PgConnectOptions options) {
    long started = System.nanoTime();
    var result = flyway(options).migrate();
    LOG.info(
        "Schema migrated to version {} ({} migrations applied) in {} ms",
        result.targetSchemaVersion,
        result.migrationsExecuted,
        (System.nanoTime() - started) / 1_000_000);
  }

  private static Void validate(PgConnectOptions options) {
    ValidateResult result = flyway(options).validateWithResult();
    if (!result.validationSuccessful) {
      LOG.error(
          "Applied migrations differ from the shipped ones: {}", result.getAllErrorMessages());
    }
    return null;
  }

  private static Flyway flyway(PgConnectOptions options) {
    String url =
        "jdbc:postgresql://"
            + options.getHost()
            + ":"
            + options.getPort()
            + "/"
            + options.getDatabase();
    return Flyway.configure()
        .dataSource(url, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load();
  }
}
