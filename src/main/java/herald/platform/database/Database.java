package herald.platform.database;

import herald.platform.config.DatabaseConfig;
import herald.platform.config.StartFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import java.nio.file.Path;

/**
 * The system of record: starts the embedded PostgreSQL when no URL is configured, migrates the
 * schema with Flyway (JDBC, on a worker thread), and opens the one shared non-blocking pool every
 * verticle uses.
 */
public final class Database {
  /** Longest SQL text whose prepared statement the client keeps (its default is 2,048). */
  static final int PREPARED_SQL_LIMIT = 16_384;

  private final Vertx vertx;
  private final Pool pool;
  private final Future<EmbeddedPostgres> embedded;
  private final Future<Void> ready;

  private Database(Vertx vertx, Pool pool, Future<EmbeddedPostgres> embedded, Future<Void> ready) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
    this.ready = ready;
  }

  /**
   * Starts the embedded server if no URL is configured, and returns at once with a pool whose
   * connections wait for it, so the rest of Herald can deploy while PostgreSQL starts. Blocking
   * steps (process control, Flyway's JDBC) run on worker threads. {@link #ready()} completes once
   * the schema is current.
   */
  public static Database open(
      Vertx vertx, DatabaseConfig config, Path dataDir, boolean dataDirPinned) {
    Future<EmbeddedPostgres> embedded =
        config.embedded()
            ? vertx
                .executeBlocking(
                    () -> EmbeddedPostgres.start(EmbeddedHome.choose(dataDir, dataDirPinned)))
                .recover(err -> Future.failedFuture(embeddedFailure(dataDir, err)))
            : Future.succeededFuture();
    Future<PgConnectOptions> options =
        embedded.map(
            pg -> {
              PgConnectOptions connect =
                  pg == null
                      ? PgConnectOptions.fromUri(config.url())
                      : new PgConnectOptions()
                          .setHost(pg.host())
                          .setPort(pg.port())
                          .setDatabase(pg.database())
                          .setUser(pg.user())
                          .setPassword(pg.password());
              // Some hot-path statements (a batch, its events and their queue rows in one) are
              // longer than the client's default limit of 2 KB, above which a statement is not
              // cached: it was parsed and planned again on every call.
              return connect
                  .setCachePreparedStatements(true)
                  .setPreparedStatementCacheSqlLimit(PREPARED_SQL_LIMIT);
            });
    Pool pool =
        PgBuilder.pool()
            .with(
                new PoolOptions()
                    .setMaxSize(config.poolSize())
                    .setName("herald")
                    .setShared(true)
                    // Spread connections over the event loops; by default a pool made outside a
                    // verticle uses one.
                    .setEventLoopSize(2 * Runtime.getRuntime().availableProcessors()))
            .with(new NetClientOptions().setConnectTimeout(config.connectTimeoutSeconds() * 1000))
            .connectingTo(() -> options.map(connect -> (SqlConnectOptions) connect))
            .using(vertx)
            .build();
    Future<Void> ready =
        options.compose(
            connect ->
                Migrations.ensure(vertx, pool, connect)
                    .recover(
                        err ->
                            Future.failedFuture(
                                config.embedded() ? err : externalFailure(connect, err))));
    return new Database(vertx, pool, embedded, ready);
  }

  private static StartFailure embeddedFailure(Path dataDir, Throwable err) {
    if (err instanceof EmbeddedPostgres.DataDirInUseException) {
      return new StartFailure(
          "data_dir",
          "another Herald process is using the data dir "
              + dataDir
              + "; stop it, or give this one its own HERALD_DATA_DIR",
          err);
    }
    return new StartFailure(
        "data_dir", "the embedded PostgreSQL could not start: " + StartFailure.describe(err), err);
  }

  private static StartFailure externalFailure(PgConnectOptions connect, Throwable err) {
    return new StartFailure(
        "database.url",
        String.format(
            "cannot use the database %s on %s:%d as user %s: %s",
            connect.getDatabase(),
            connect.getHost(),
            connect.getPort(),
            connect.getUser(),
            StartFailure.describe(err)),
        err);
  }

  /** Completes when the server is up and the schema current; fails if either cannot be done. */
  public Future<Void> ready() {
    return ready;
  }

  public Pool pool() {
    return pool;
  }

  /** Closes the pool, then stops the embedded server if Herald started one. */
  public Future<Void> close() {
    return pool.close()
        .eventually(
            () ->
                embedded.transform(
                    started ->
                        started.succeeded() && started.result() != null
                            ? vertx.executeBlocking(
                                () -> {
                                  started.result().close();
                                  return null;
                                })
                            : Future.succeededFuture()));
  }
}
