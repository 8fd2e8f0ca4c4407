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
      "INSERT INTO calls (id, account_id, sender_id, to_number, caller_id, options, campaign_id,"
          + " recipient_seq, ivr_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
          + " ($6::jsonb -> 'ivr' ->> 'id')::uuid) RETURNING *";

  private final Pool pool;

  public CallStore(Pool pool) {
    this.pool = pool;
  }

  static Future<Call> insert(SqlClient tx, Call call) {
    return tx.preparedQuery(INSERT)
        .execute(
            Tuple.tuple()
                .addUUID(call.id())
                .addUUID(call.accountId())
                .addUUID(call.senderId())
                .addString(call.to())
                .addString(call.callerId())
                .addValue(call.options())
                .addUUID(call.campaignId())
                .addLong(call.recipientSeq()))
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

  /**
   * The account's live calls (queued, dialing, ringing, answered), oldest first, at most {@code
   * limit}, each with {@code seconds}: how long it has been in its state so far (since it was
   * queued, dialled, started ringing or was answered).
   */
  public Future<List<io.vertx.core.json.JsonObject>> live(UUID accountId, int limit) {
    return pool.preparedQuery(
            "SELECT *, round(extract(epoch FROM now() - CASE status WHEN 'answered' THEN"
                + " answered_at WHEN 'ringing' THEN ringing_at WHEN 'dialing' THEN dialed_at"
                + " ELSE created_at END)::numeric, 3) AS in_state,"
                + " round(extract(epoch FROM now() - COALESCE(dialed_at, created_at))::numeric, 3)"
                + " AS since_dial FROM calls WHERE account_id = $1"
                + " AND status IN ('queued', 'dialing', 'ringing', 'answered')"
                + " ORDER BY created_at, id LIMIT $2")
        .execute(Tuple.of(accountId, limit))
        .map(
            rows ->
                Rows.map(
                    rows,
                    row ->
                        Call.from(row)
                            .toJson()
                            .put("state_seconds", row.getBigDecimal("in_state").doubleValue())
                            .put(
                                "duration_seconds",
                                row.getBigDecimal("since_dial").doubleValue())));
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
