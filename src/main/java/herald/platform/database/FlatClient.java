package herald.platform.database;

import io.vertx.core.Future;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

/**
 * The client a {@link Pipelined#transaction}'s work writes through: the transaction's connection
 * until its {@code COMMIT} is written, then closed to statements. A statement issued later (from a
 * callback of an earlier one) would run after the commit, outside the transaction; it is refused
 * before it reaches PostgreSQL.
 */
final class FlatClient implements SqlClient {
  private final SqlConnection conn;
  private boolean committing;

  FlatClient(SqlConnection conn) {
    this.conn = conn;
  }

  /** From now on every statement is refused: the transaction's end is written. */
  void closeToStatements() {
    committing = true;
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    open();
    return conn.query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    open();
    return conn.preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    open();
    return conn.preparedQuery(sql, options);
  }

  /** The connection belongs to the transaction, which returns it to the pool. */
  @Override
  public Future<Void> close() {
    return Future.failedFuture(
        new IllegalStateException("a flat transaction's connection is closed by the transaction"));
  }

  private void open() {
    if (committing) {
      throw new IllegalStateException(
          "a statement of a flat transaction was issued after its commit was written");
    }
  }
}
