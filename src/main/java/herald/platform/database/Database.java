package herald.platform.database;

import herald.platform.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system of record: starts the embedded PostgreSQL when no URL is configured, migrates the schema
 * with Flyway (JDBC, on a worker thread), and opens the one shared non-blocking pool every verticle
 * uses.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedPostgres embedded;

  private Database(Vertx vertx, Pool pool, EmbeddedPostgres embedded) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
  }

  /**
   * Starts (if embedded), migrates and connects. Blocking steps run on worker threads; the pool opens
   * its first connection while Flyway runs, so start-up pays for the two only once.
   */
  public static Future<Database> open(Vertx vertx, DatabaseConfig config, Path dataDir) {
    return vertx.executeBlocking(() -> config.embedded() ? EmbeddedPostgres.start(dataDir) : null)
        .compose(embedded -> {
          PgConnectOptions options = embedded == null
              ? PgConnectOptions.fromUri(config.url())
              : new PgConnectOptions().setHost(embedded.host()).setPort(embedded.port())
                  .setDatabase(embedded.database()).setUser(embedded.user()).setPassword(embedded.password());
          options.setCachePreparedStatements(true);
          Pool pool = PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(config.poolSize()).setName("herald").setShared(true))
              .with(new NetClientOptions().setConnectTimeout(config.connectTimeoutSeconds() * 1000))
              .connectingTo(options)
              .using(vertx)
              .build();
          Database database = new Database(vertx, pool, embedded);
          Future<Void> migrated = vertx.executeBlocking(() -> {
            migrate(options);
            return null;
          }, false);
          Future<Void> connected = pool.query("SELECT 1").execute().mapEmpty();
          return Future.all(migrated, connected)
              .map(database)
              .recover(err -> database.close().transform(x -> Future.failedFuture(err)));
        });
  }

  /** Applies pending migrations from {@code db/migration}. */
  public static void migrate(PgConnectOptions options) {
    String url = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    long started = System.nanoTime();
    var result = Flyway.configure()
        .dataSource(url, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    LOG.info("Schema at version {} ({} migrations applied) in {} ms", result.targetSchemaVersion,
        result.migrationsExecuted, (System.nanoTime() - started) / 1_000_000);
  }

  public Pool pool() {
    return pool;
  }

  /** Closes the pool, then stops the embedded server if Herald started one. */
  public Future<Void> close() {
    return pool.close().eventually(() -> embedded == null
        ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          embedded.close();
          return null;
        }));
  }
}
