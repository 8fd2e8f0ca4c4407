package herald.call;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** SQL of {@code recordings} (rows are written by {@link CallQueueStore} as ARI records). */
public final class RecordingStore {
  private final Pool pool;

  public RecordingStore(Pool pool) {
    this.pool = pool;
  }

  /** Filters of the list; null fields do not filter. {@code from} inclusive, {@code to} not. */
  public record Filter(UUID callId, Instant from, Instant to) {}

  public Future<Recording> get(UUID accountId, UUID id) {
    return pool.preparedQuery("SELECT * FROM recordings WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Recording::from));
  }

  /** A page of the account's recordings, newest first. */
  public Future<List<Recording>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where =
        new Where("account_id = ", accountId)
            .and("call_id = ", filter.callId())
            .and("created_at >= ", filter.from())
            .and("created_at < ", filter.to())
            .and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT * FROM recordings WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Recording::from));
  }

  /** Up to {@code limit} recordings (of every account) made before {@code cutoff}. */
  Future<List<Recording>> expired(Instant cutoff, int limit) {
    return pool.preparedQuery(
            "SELECT * FROM recordings WHERE created_at < $1 AND state <> 'recording'"
                + " ORDER BY created_at LIMIT $2")
        .execute(Tuple.of(cutoff.atOffset(java.time.ZoneOffset.UTC), limit))
        .map(rows -> Rows.map(rows, Recording::from));
  }

  Future<Boolean> delete(UUID id) {
    return pool.preparedQuery("DELETE FROM recordings WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }
}
