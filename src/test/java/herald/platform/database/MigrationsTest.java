package herald.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

  @Test
  void latestMatchesTheHighestShippedMigration() throws IOException {
    int highest;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      highest =
          files
              .map(p -> VERSIONED.matcher(p.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max()
              .orElse(0);
    }
    assertThat(Migrations.LATEST).isEqualTo(highest);
  }

  @Test
  void migratesAnEmptyDatabaseAndThenReportsItCurrent() {
    PgConnectOptions options = TestPostgres.newDatabase("m_");
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
    try {
      assertThat(Migrations.appliedVersion(pool).await()).isZero();
      Migrations.ensure(vertx, pool, options).await();
      assertThat(Migrations.appliedVersion(pool).await()).isEqualTo(Migrations.LATEST);
      assertThat(
              pool.query("SELECT count(*) AS n FROM accounts")
                  .execute()
                  .await()
                  .iterator()
                  .next()
                  .getLong("n"))
          .isZero();
      Migrations.ensure(vertx, pool, options).await();
    } finally {
      pool.close().await();
      vertx.close().await();
    }
  }
}
