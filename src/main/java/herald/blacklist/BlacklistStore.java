package herald.blacklist;

import herald.event.EventType;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * All SQL over the {@code blacklist} table: the blacklist routes, inbound STOP and START ({@code
 * herald.message.Inbound}, through {@link #insert} and {@link #deleteNumber}), the send check
 * ({@link #listed}, used by {@code MessageIntake}) and the campaign expansion's check ({@link
 * #listedSql}, used by {@code RecipientStore}). The opt-out rule, "a number on the account's list
 * is never sent to", is written here and nowhere else.
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

  /**
   * A SQL boolean expression: whether the number {@code phone} is on the list of the account {@code
   * accountId}, both SQL expressions of the enclosing query (a column or a parameter such as {@code
   * $2}).
   */
  public static String listedSql(String accountId, String phone) {
    return "EXISTS (SELECT 1 FROM blacklist b WHERE b.account_id = "
        + accountId
        + " AND b.phone_number = "
        + phone
        + ")";
  }

  /** Which of {@code numbers} (E.164) are on the account's blacklist. */
  public Future<List<String>> listed(UUID accountId, List<String> numbers) {
    if (numbers.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(
            "SELECT phone_number FROM blacklist WHERE account_id = $1 AND phone_number = ANY($2)")
        .execute(Tuple.from(new Object[] {accountId, numbers.toArray(String[]::new)}))
        .map(rows -> Rows.map(rows, (Row row) -> row.getString("phone_number")));
  }

  /** Adds the number in {@code tx}; null when it is already on the list. */
  public static Future<BlacklistEntry> insert(SqlClient tx, BlacklistEntry e) {
    return tx.preparedQuery(
            "INSERT INTO blacklist (id, account_id, phone_number, reason, source)"
                + " VALUES ($1, $2, $3, $4, $5)"
                + " ON CONFLICT (account_id, phone_number) DO NOTHING RETURNING "
                + COLUMNS)
        .execute(Tuple.of(e.id(), e.accountId(), e.phoneNumber(), e.reason(), e.source()))
        .map(rows -> Rows.first(rows, BlacklistEntry::from));
  }

  /**
   * Adds every number not on the list yet, with source {@code import}, and one {@code
   * blacklist.added} event per number added, in two set-based statements' worth of SQL. Returns how
   * many were added.
   */
  static Future<Integer> insertAll(SqlClient tx, UUID accountId, Map<String, String> numbers) {
    int n = numbers.size();
    UUID[] ids = new UUID[n];
    UUID[] eventIds = new UUID[n];
    String[] phones = new String[n];
    String[] reasons = new String[n];
    int i = 0;
    for (Map.Entry<String, String> e : numbers.entrySet()) {
      ids[i] = Ids.newId();
      eventIds[i] = Ids.newId();
      phones[i] = e.getKey();
      reasons[i] = e.getValue();
      i++;
    }
    return tx.preparedQuery(
            "WITH input AS (SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[])"
                + " AS i (id, event_id, phone_number, reason)),"
                + " added AS (INSERT INTO blacklist (id, account_id, phone_number, reason, source)"
                + " SELECT id, $1, phone_number, reason, 'import' FROM input ORDER BY id"
                + " ON CONFLICT (account_id, phone_number) DO NOTHING"
                + " RETURNING id, phone_number, reason, source),"
                + " events AS (INSERT INTO events (id, account_id, type, subject_id, data)"
                + " SELECT i.event_id, $1, $6, a.id, jsonb_build_object('id', a.id,"
                + " 'phone_number', a.phone_number, 'reason', a.reason, 'source', a.source)"
                + " FROM added a JOIN input i ON i.id = a.id RETURNING id, account_id),"
                + " queued AS ("
                + Outbox.enqueue("events")
                + ")"
                + " SELECT count(*) AS added FROM events")
        .execute(
            Tuple.from(
                new Object[] {
                  accountId, ids, eventIds, phones, reasons, EventType.BLACKLIST_ADDED.type()
                }))
        .map(rows -> rows.iterator().next().getLong("added").intValue())
        .onSuccess(added -> Outbox.appended(tx));
  }

  /** Takes the number off the account's list in {@code tx}; returns the entry, or null if none. */
  public static Future<BlacklistEntry> deleteNumber(SqlClient tx, UUID accountId, String phone) {
    return tx.preparedQuery(
            "DELETE FROM blacklist WHERE account_id = $1 AND phone_number = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(accountId, phone))
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
