package herald.account;

import herald.platform.ReadCache;
import herald.platform.database.Rows;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL about accounts. */
public final class AccountStore {
  private static final String COLUMNS =
      "id, name, parent_id, is_platform, status, settings, created_at, updated_at";

  private static final ReadCache<UUID, Account> CACHE = new ReadCache<>(2000);

  private final Pool pool;

  public AccountStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts an account; a taken name fails with SQLSTATE 23505. */
  public static Future<Account> insert(
      SqlClient tx, UUID id, String name, boolean platform, JsonObject settings) {
    return tx.preparedQuery(
            "INSERT INTO accounts (id, name, is_platform, settings) VALUES ($1, $2, $3, $4)"
                + " RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, name, platform, settings))
        .map(rows -> Rows.first(rows, Account::from));
  }

  /** {@link #get} for the send path, cached for up to 2 s; {@link #update} clears it. */
  public Future<Account> getCached(UUID id) {
    return CACHE.get(id, () -> get(id));
  }

  public Future<Account> get(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Account::from));
  }

  public static Future<Account> getForUpdate(SqlClient tx, UUID id) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Account::from));
  }

  public Future<List<Account>> list(PageRequest page, String status) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM accounts"
                + " WHERE ($1::uuid IS NULL OR id < $1) AND ($2::text IS NULL OR status = $2)"
                + " ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(page.after(), status, page.limit() + 1))
        .map(rows -> Rows.map(rows, Account::from));
  }

  public static Future<Account> update(SqlClient tx, Account account) {
    CACHE.clear();
    return tx.preparedQuery(
            "UPDATE accounts SET name = $2, status = $3, settings = $4, updated_at = now()"
                + " WHERE id = $1 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(account.id(), account.name(), account.status(), account.settings()))
        .map(rows -> Rows.first(rows, Account::from));
  }

  /** The platform (operator) account, or null on an empty database. */
  public static Future<Account> platform(SqlClient client) {
    return client
        .query("SELECT " + COLUMNS + " FROM accounts WHERE is_platform")
        .execute()
        .map(rows -> Rows.first(rows, Account::from));
  }
}
