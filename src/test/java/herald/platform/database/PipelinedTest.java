package herald.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.testing.Await;
import herald.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Pipelined} transactions against the real embedded PostgreSQL: statements written without
 * waiting still commit or roll back together, a commit is reported only once it happened, and work
 * that breaks the flat contract is refused instead of half-committed silently.
 */
class PipelinedTest {
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void database() {
    PgConnectOptions connect = TestPostgres.newDatabase("pipe_");
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(connect).using(vertx).build();
    pool.query("CREATE TABLE t (k int PRIMARY KEY, v text NOT NULL)").execute().await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @BeforeEach
  void empty() {
    pool.query("TRUNCATE t").execute().await();
  }

  private static Future<Void> insert(SqlClient c, int k, String v) {
    return c.preparedQuery("INSERT INTO t (k, v) VALUES ($1, $2)")
        .execute(Tuple.of(k, v))
        .mapEmpty();
  }

  private static List<Integer> keys() {
    return pool.query("SELECT k FROM t ORDER BY k").execute().await().stream()
        .map(r -> r.getInteger("k"))
        .toList();
  }

  /** Runs on a Vert.x context, as every caller of the stores does. */
  private static <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  /** {@link Pipelined#transaction} of {@code work}, run on a context and awaited. */
  private static <T> T flat(Function<SqlClient, Future<T>> work) {
    return onContext(() -> Pipelined.transaction(pool, work)).await();
  }

  @Test
  void statementsWrittenTogetherCommitTogether() {
    String answer =
        onContext(
                () ->
                    Pipelined.transaction(
                        pool,
                        c ->
                            Future.all(insert(c, 1, "a"), insert(c, 2, "b"), insert(c, 3, "c"))
                                .map("done")))
            .await();

    assertThat(answer).isEqualTo("done");
    assertThat(keys()).containsExactly(1, 2, 3);
  }

  @Test
  void aFailingStatementRollsBackTheOnesWrittenBeforeAndAfterIt() {
    pool.query("INSERT INTO t VALUES (2, 'taken')").execute().await();

    assertThatThrownBy(
            () -> flat(c -> Future.all(insert(c, 1, "a"), insert(c, 2, "dup"), insert(c, 3, "c"))))
        .hasMessageContaining("duplicate key");
    assertThat(keys()).containsExactly(2);
  }

  @Test
  void theCommitFutureSucceedsOnlyAfterTheRowsAreVisibleAndFailsOnRollback() {
    AtomicReference<List<Integer>> seenAtCommit = new AtomicReference<>();
    onContext(
            () ->
                Pipelined.transaction(
                    pool,
                    c -> {
                      Future<Void> row = insert(c, 7, "x");
                      Pipelined.commitOf(c)
                          .onSuccess(
                              v ->
                                  pool.query("SELECT k FROM t")
                                      .execute()
                                      .onSuccess(
                                          rows ->
                                              seenAtCommit.set(
                                                  rows.stream()
                                                      .map(r -> r.getInteger("k"))
                                                      .toList())));
                      return row;
                    }))
        .await();
    Await.until(
        "the read made on commit", Duration.ofSeconds(10), () -> seenAtCommit.get() != null);
    assertThat(seenAtCommit.get()).containsExactly(7);

    AtomicReference<Throwable> rolledBack = new AtomicReference<>();
    assertThatThrownBy(
            () ->
                flat(
                    c -> {
                      Pipelined.commitOf(c).onFailure(rolledBack::set);
                      return Future.all(insert(c, 8, "y"), insert(c, 7, "dup"));
                    }))
        .isNotNull();
    assertThat(rolledBack.get()).isNotNull();
    assertThat(keys()).containsExactly(7);
  }

  @Test
  void aStatementIssuedAfterAnAnswerIsRefusedBeforeItRunsOutsideTheTransaction() {
    assertThatThrownBy(() -> flat(c -> insert(c, 1, "a").compose(v -> insert(c, 2, "late"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after its commit");
    // The refused statement never reached PostgreSQL; the one written in time committed.
    assertThat(keys()).containsExactly(1);
  }

  @Test
  void aResultCompletingAfterTheCommitsAnswerIsWaitedFor() {
    // The work's future completes 200 ms after its statement's answer, so after the COMMIT's
    // answer too: the transaction still succeeds with the work's value.
    Integer value = flat(c -> insert(c, 3, "c").compose(v -> vertx.timer(200).map(t -> 42)));
    assertThat(value).isEqualTo(42);
    assertThat(keys()).containsExactly(3);
  }

  @Test
  void aChainedTransactionWaitsForDependentStatementsBeforeItCommits() {
    onContext(
            () ->
                Pipelined.chainedTransaction(
                    pool,
                    c ->
                        insert(c, 1, "a")
                            .compose(
                                v ->
                                    c.preparedQuery("SELECT count(*) AS n FROM t")
                                        .execute()
                                        .map(rows -> rows.iterator().next().getLong("n")))
                            .compose(n -> insert(c, 1 + n.intValue(), "b"))))
        .await();

    assertThat(keys()).containsExactly(1, 2);
  }
}
