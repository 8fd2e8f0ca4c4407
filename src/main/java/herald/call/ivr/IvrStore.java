package herald.call.ivr;

import herald.platform.database.Rows;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** SQL of the {@code ivrs} table. */
public final class IvrStore {
  private final Pool pool;

  public IvrStore(Pool pool) {
    this.pool = pool;
  }

  /** The account's IVR, or null. */
  public Future<Ivr> get(UUID accountId, UUID id) {
    return pool.preparedQuery("SELECT * FROM ivrs WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Ivr::from));
  }

  /** A page of the account's IVRs, newest first. */
  public Future<List<Ivr>> list(UUID accountId, PageRequest page) {
    return pool.preparedQuery(
            "SELECT * FROM ivrs WHERE account_id = $1 AND ($2::uuid IS NULL OR id < $2)"
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.of(accountId, page.after()))
        .map(rows -> Rows.map(rows, Ivr::from));
  }

  static Future<Ivr> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery("SELECT * FROM ivrs WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Ivr::from));
  }

  static Future<Ivr> insert(SqlClient tx, Ivr ivr) {
    return tx.preparedQuery(
            "INSERT INTO ivrs (id, account_id, name, definition) VALUES ($1, $2, $3, $4)"
                + " RETURNING *")
        .execute(Tuple.of(ivr.id(), ivr.accountId(), ivr.name(), ivr.definition()))
        .map(rows -> Rows.first(rows, Ivr::from));
  }

  static Future<Ivr> update(SqlClient tx, Ivr ivr) {
    return tx.preparedQuery(
            "UPDATE ivrs SET name = $3, definition = $4, updated_at = now()"
                + " WHERE account_id = $1 AND id = $2 RETURNING *")
        .execute(Tuple.of(ivr.accountId(), ivr.id(), ivr.name(), ivr.definition()))
        .map(rows -> Rows.first(rows, Ivr::from));
  }

  static Future<Void> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery("DELETE FROM ivrs WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .mapEmpty();
  }
}
