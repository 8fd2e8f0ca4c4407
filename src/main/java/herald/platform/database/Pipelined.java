package herald.platform.database;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.TransactionRollbackException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The hot path's transactions (intake, claims, sent records, receipts), written to PostgreSQL
 * without waiting for answers in between: the client pipelines the commands of one connection,
 * where {@link Pool#withTransaction} waits for {@code BEGIN}, the caller for each statement, and
 * the commit for the last answer. Each wait is a hand-off between an event loop and a database
 * backend; under load, sampling {@code pg_stat_activity} found the backends of these transactions
 * more often idle in transaction, waiting for Herald's next command, than working. PostgreSQL runs
 * the statements in the order they were written, so a transaction's lock order is the order of its
 * calls.
 *
 * <p>Their statements are batch statements over arrays whose rows are all found by key, and they
 * run with {@code plan_cache_mode = force_generic_plan} and {@code enable_seqscan = off}. A
 * connection's generic plan is made once, early in its life; made while the tables were still
 * small, it scanned {@code messages} sequentially for its {@code id = ANY($1)} lock, and a sent
 * record of one message then took 4.3 ms where the index plan takes 0.3 ms, growing with the table
 * until autovacuum's first analyze invalidated it. For small batches PostgreSQL also kept choosing
 * custom plans, planning on every call (0.6 ms for the intake insert of one message).
 *
 * <p>The guarantees are {@link Pool#withTransaction}'s: the result succeeds only once the
 * transaction has committed; if any statement fails, PostgreSQL aborts the transaction, the
 * statements after it fail too, and nothing is kept. {@link Outbox#appended} publishes its wake-up
 * on the commit ({@link #commitOf}, or the {@link SqlConnection#transaction} of a chained one).
 */
public final class Pipelined {
  private Pipelined() {}

  private static final String GENERIC_PLANS =
      "SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL enable_seqscan = off";

  /** The commit of each connection's open flat transaction, for {@link #commitOf}. */
  private static final Map<SqlClient, Future<Void>> COMMITS = new ConcurrentHashMap<>();

  /**
   * Runs {@code work} in a transaction written in one go: {@code BEGIN}, every statement {@code
   * work} issues, and {@code COMMIT}, without waiting for any answer in between, so the transaction
   * costs one round trip. {@code work} must therefore issue all its statements before it returns,
   * none of them depending on another's answer. The client it gets refuses a statement issued after
   * that (from a callback, say) with an {@link IllegalStateException}, since it would run after the
   * commit, outside the transaction (use {@link #chainedTransaction} for such work).
   */
  public static <T> Future<T> transaction(Pool pool, Function<SqlClient, Future<T>> work) {
    return flat(pool, GENERIC_PLANS, work);
  }

  /**
   * {@link #transaction} whose commit does not wait for its WAL to reach the disk ({@code
   * synchronous_commit = off}); the next durable commit, or the WAL writer within {@code
   * wal_writer_delay}, flushes it. Only for changes whose loss in a crash of PostgreSQL or of the
   * host is harmless because the state before them is still correct: a claim of queued messages,
   * which the lane makes durable by the sent record that follows it (a commit flushes all the WAL
   * written before it). A crash of Herald loses nothing either way.
   */
  public static <T> Future<T> unflushedTransaction(Pool pool, Function<SqlClient, Future<T>> work) {
    return flat(pool, GENERIC_PLANS + "; SET LOCAL synchronous_commit = off", work);
  }

  /**
   * A transaction for work with statements that depend on others' answers: {@code BEGIN} and the
   * statements {@code work} issues at once are written together, and the commit once the future it
   * returns has completed, so it costs one round trip more than {@link #transaction} plus one per
   * dependent step.
   */
  public static <T> Future<T> chainedTransaction(
      Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.getConnection()
        .compose(
            conn -> {
              Future<Transaction> begun = conn.begin();
              Transaction tx = conn.transaction();
              Future<?> set = conn.query(GENERIC_PLANS).execute();
              Future<T> result = apply(work, conn);
              return Future.join(begun, set, result)
                  .transform(
                      all -> {
                        if (all.succeeded()) {
                          return tx.commit().map(v -> result.result());
                        }
                        Throwable cause = firstFailure(begun, set, result);
                        if (cause instanceof TransactionRollbackException) {
                          return Future.<T>failedFuture(cause);
                        }
                        return tx.rollback().transform(v -> Future.<T>failedFuture(cause));
                      })
                  .onComplete(ar -> conn.close());
            });
  }

  /**
   * The commit of the flat transaction ({@link #transaction}) open on {@code client}, or null when
   * there is none: it succeeds once the transaction has committed and fails if it rolled back.
   */
  public static Future<Void> commitOf(SqlClient client) {
    return COMMITS.get(client);
  }

  private static <T> Future<T> flat(
      Pool pool, String settings, Function<SqlClient, Future<T>> work) {
    return pool.getConnection()
        .compose(
            conn -> {
              Promise<Void> committed = Promise.promise();
              FlatClient client = new FlatClient(conn);
              COMMITS.put(client, committed.future());
              Future<?> begun = conn.query("BEGIN; " + settings).execute();
              Future<T> result = apply(work, client);
              client.closeToStatements();
              // A statement that failed aborted the transaction: PostgreSQL answers this COMMIT
              // with a rollback.
              Future<?> end = conn.query(result.failed() ? "ROLLBACK" : "COMMIT").execute();
              // PostgreSQL answers in the order the commands were written, but the client may
              // complete the work's future after the commit's (seen under load: 6 to 20 ms
              // later, with the server's log showing BEGIN, the statement and COMMIT in order),
              // so the outcome waits for all three.
              return Future.join(begun, result, end)
                  .transform(
                      all -> {
                        Throwable cause = firstFailure(begun, result, end);
                        return cause == null
                            ? Future.succeededFuture(result.result())
                            : Future.<T>failedFuture(cause);
                      })
                  .andThen(
                      ar -> {
                        COMMITS.remove(client);
                        if (ar.succeeded()) {
                          committed.complete();
                        } else {
                          committed.fail(ar.cause());
                        }
                        conn.close();
                      });
            });
  }

  private static <C extends SqlClient, T> Future<T> apply(Function<C, Future<T>> work, C conn) {
    try {
      return work.apply(conn);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static Throwable firstFailure(AsyncResult<?>... results) {
    for (AsyncResult<?> r : results) {
      if (r.failed()) {
        return r.cause();
      }
    }
    return null;
  }
}
