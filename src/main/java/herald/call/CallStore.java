package herald.call;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** The API's SQL of calls: insert, read, list, cancel and hang-up requests. */
public final class CallStore {
  private static final String INSERT =
      "INSERT INTO calls (id, account_id, sender_id, to_number, caller_id, options, ivr_id)"
          + " VALUES ($1, $2, $3, $4, $5, $6, ($6::jsonb -> 'ivr' ->> 'id')::uuid) RETURNING *";

  private final Pool pool;

  public CallStore(Pool pool) {
    this.pool = pool;
  }

  static Future<Call> insert(SqlClient tx, Call call) {
    return tx.preparedQuery(INSERT)
        .execute(
            Tuple.of(
                call.id(),
                call.accountId(),
                call.senderId(),
                call.to(),
                call.callerId(),
                call.options()))
        .map(rows -> Rows.first(rows, Call::from));
  }

  /** The account's call, or null. */
  public Future<Call> get(UUID accountId, UUID id) {
    return pool.preparedQuery("SELECT * FROM calls WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Call::from));
  }

  static Future<Call> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery("SELECT * FROM calls WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Call::from));
  }

  /** A queued call canceled: it was never dialled, so it has no CDR. */
  static Future<Call> cancel(SqlClient tx, UUID id) {
    return tx.preparedQuery(
            "UPDATE calls SET status = 'canceled', ended_at = now(), updated_at = now()"
                + " WHERE id = $1 AND status = 'queued' RETURNING *")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Call::from));
  }

  static Future<Call> requestHangup(SqlClient tx, UUID id) {
    return tx.preparedQuery(
            "UPDATE calls SET hangup_requested = true, updated_at = now() WHERE id = $1"
                + " RETURNING *")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Call::from));
  }

  /** Filters of the call list; null fields do not filter. */
  public record Filter(String status, UUID senderId) {}

  /** A page of the account's calls, newest first. */
  public Future<List<Call>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where =
        new Where("account_id = ", accountId)
            .and("status = ", filter.status())
            .and("sender_id = ", filter.senderId())
            .and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT * FROM calls WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Call::from));
  }
}
