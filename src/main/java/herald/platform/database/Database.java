package herald.platform.database;

import herald.platform.config.DatabaseConfig;
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
  public static Database open(Vertx vertx, DatabaseConfig config, Path dataDir) {
    Future<EmbeddedPostgres> embedded =
        config.embedded()
            ? vertx.executeBlocking(() -> EmbeddedPostgres.start(dataDir))
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
              return connect.setCachePreparedStatements(true);
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
    Future<Void> ready = options.compose(connect -> Migrations.ensure(vertx, pool, connect));
    return new Database(vertx, pool, embedded, ready);
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
