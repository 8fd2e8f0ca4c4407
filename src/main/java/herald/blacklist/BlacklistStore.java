package herald.blacklist;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * SQL for the blacklist routes over the {@code blacklist} table, which inbound STOP replies also
 * write ({@code herald.message.Inbound}) and every send checks ({@code MessageStore.blacklisted}).
 */
public final class BlacklistStore {
  private static final String COLUMNS = "id, account_id, phone_number, reason, source, created_at";

  private final Pool pool;

  public BlacklistStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<BlacklistEntry>> list(
      UUID accountId, String phoneNumber, String source, PageRequest page) {
    Where where =
        new Where("account_id = ", accountId)
            .and("phone_number = ", phoneNumber)
            .and("source = ", source)
            .and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM blacklist WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, BlacklistEntry::from));
  }

  public Future<BlacklistEntry> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM blacklist WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, BlacklistEntry::from));
  }

  /** The entry for an E.164 number, or null when the number is not blacklisted. */
  public Future<BlacklistEntry> byNumber(UUID accountId, String phoneNumber) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM blacklist WHERE account_id = $1 AND phone_number = $2")
        .execute(Tuple.of(accountId, phoneNumber))
        .map(rows -> Rows.first(rows, BlacklistEntry::from));
  }

  /** Adds the number; null when it is already on the list. */
  static Future<BlacklistEntry> insert(SqlClient tx, BlacklistEntry e) {
    return tx.preparedQuery(
            "INSERT INTO blacklist (id, account_id, phone_number, reason, source)"
                + " VALUES ($1, $2, $3, $4, $5)"
                + " ON CONFLICT (account_id, phone_number) DO NOTHING RETURNING "
                + COLUMNS)
        .execute(Tuple.of(e.id(), e.accountId(), e.phoneNumber(), e.reason(), e.source()))
        .map(rows -> Rows.first(rows, BlacklistEntry::from));
  }

  /** Removes the entry; returns it, or null when the account has no such entry. */
  static Future<BlacklistEntry> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "DELETE FROM blacklist WHERE account_id = $1 AND id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, BlacklistEntry::from));
  }
}
