package herald.agent;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL over the {@code tiers} table. */
public final class TierStore {
  private final Pool pool;

  public TierStore(Pool pool) {
    this.pool = pool;
  }

  /** Every tier of the account, by priority (highest first) then name. */
  public Future<List<Tier>> list(UUID accountId) {
    return pool.preparedQuery(
            "SELECT "
                + Tier.COLUMNS
                + " FROM tiers WHERE account_id = $1 ORDER BY priority DESC, name")
        .execute(Tuple.of(accountId))
        .map(rows -> Rows.map(rows, Tier::from));
  }

  public Future<Tier> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + Tier.COLUMNS + " FROM tiers WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Tier::from));
  }

  /** The account's tier of this name read in {@code client}, or null. */
  public static Future<Tier> byName(SqlClient client, UUID accountId, String name) {
    return client
        .preparedQuery("SELECT " + Tier.COLUMNS + " FROM tiers WHERE account_id = $1 AND name = $2")
        .execute(Tuple.of(accountId, name))
        .map(rows -> Rows.first(rows, Tier::from));
  }

  static Future<Tier> insert(SqlClient tx, Tier t) {
    return tx.preparedQuery(
            "INSERT INTO tiers (id, account_id, name, requests_per_hour, requests_per_day,"
                + " requests_per_month, max_reply_chars, allowed_categories, priority,"
                + " over_quota_message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                + " RETURNING "
                + Tier.COLUMNS)
        .execute(args(t))
        .map(rows -> Rows.first(rows, Tier::from));
  }

  static Future<Tier> update(SqlClient tx, Tier t) {
    return tx.preparedQuery(
            "UPDATE tiers SET name = $3, requests_per_hour = $4, requests_per_day = $5,"
                + " requests_per_month = $6, max_reply_chars = $7, allowed_categories = $8,"
                + " priority = $9, over_quota_message = $10, updated_at = now()"
                + " WHERE id = $1 AND account_id = $2 RETURNING "
                + Tier.COLUMNS)
        .execute(args(t))
        .map(rows -> Rows.first(rows, Tier::from));
  }

  static Future<Tier> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "DELETE FROM tiers WHERE account_id = $1 AND id = $2 RETURNING " + Tier.COLUMNS)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Tier::from));
  }

  private static Tuple args(Tier t) {
    return Tuple.from(
        new Object[] {
          t.id(),
          t.accountId(),
          t.name(),
          t.requestsPerHour(),
          t.requestsPerDay(),
          t.requestsPerMonth(),
          t.maxReplyChars(),
          t.allowedCategories() == null ? null : t.allowedCategories().toArray(String[]::new),
          t.priority(),
          t.overQuotaMessage()
        });
  }
}
