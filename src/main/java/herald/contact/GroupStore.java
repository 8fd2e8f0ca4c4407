package herald.contact;

import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL about contact groups and bulk membership changes. */
public final class GroupStore {
  private static final String COLUMNS =
      "id, account_id, name, description, member_count, created_at, updated_at";

  /** How many unknown ids a failed membership change names. */
  static final int UNKNOWN_SHOWN = 20;

  private final Pool pool;

  public GroupStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Outcome of checking ids against the account's contacts.
   *
   * @param unknownCount how many of the distinct ids are not the account's contacts
   * @param unknownSample up to {@link #UNKNOWN_SHOWN} of them
   */
  record Check(int distinct, int unknownCount, List<UUID> unknownSample) {}

  public Future<List<ContactGroup>> list(UUID accountId, PageRequest page) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM contact_groups WHERE account_id = $1"
                + " AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(accountId, page.after(), page.limit() + 1))
        .map(rows -> Rows.map(rows, ContactGroup::from));
  }

  public Future<ContactGroup> get(UUID accountId, UUID id) {
    return get(pool, accountId, id, "");
  }

  static Future<ContactGroup> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return get(tx, accountId, id, " FOR UPDATE");
  }

  private static Future<ContactGroup> get(SqlClient client, UUID accountId, UUID id, String lock) {
    return client
        .preparedQuery(
            "SELECT " + COLUMNS + " FROM contact_groups WHERE account_id = $1 AND id = $2" + lock)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, ContactGroup::from));
  }

  static Future<ContactGroup> insert(SqlClient tx, ContactGroup g) {
    return tx.preparedQuery(
            "INSERT INTO contact_groups (id, account_id, name, description)"
                + " VALUES ($1, $2, $3, $4) RETURNING "
                + COLUMNS)
        .execute(Tuple.of(g.id(), g.accountId(), g.name(), g.description()))
        .recover(err -> Future.failedFuture(duplicate(err, g.name())))
        .map(rows -> Rows.first(rows, ContactGroup::from));
  }

  static Future<ContactGroup> update(SqlClient tx, ContactGroup g) {
    return tx.preparedQuery(
            "UPDATE contact_groups SET name = $3, description = $4, updated_at = now()"
                + " WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(g.accountId(), g.id(), g.name(), g.description()))
        .recover(err -> Future.failedFuture(duplicate(err, g.name())))
        .map(rows -> Rows.first(rows, ContactGroup::from));
  }

  /** Deletes the group and its memberships; the contacts stay. */
  static Future<Void> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery("DELETE FROM contact_groups WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .mapEmpty();
  }

  /** Which of {@code ids} (duplicates allowed) are not contacts of the account: one query. */
  static Future<Check> check(SqlClient tx, UUID accountId, UUID[] ids) {
    return tx.preparedQuery(
            "WITH wanted AS (SELECT DISTINCT id FROM unnest($2::uuid[]) AS id),"
                + " unknown AS (SELECT w.id FROM wanted w WHERE NOT EXISTS"
                + " (SELECT 1 FROM contacts c WHERE c.account_id = $1 AND c.id = w.id))"
                + " SELECT (SELECT count(*) FROM wanted) AS distinct_count,"
                + " (SELECT count(*) FROM unknown) AS unknown_count,"
                + " ARRAY(SELECT id FROM unknown ORDER BY id LIMIT "
                + UNKNOWN_SHOWN
                + ") AS sample")
        .execute(Tuple.from(new Object[] {accountId, ids}))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Check(
                  row.getLong("distinct_count").intValue(),
                  row.getLong("unknown_count").intValue(),
                  List.of(row.getArrayOfUUIDs("sample")));
            });
  }

  /** Adds the contacts (all known to be the account's); returns how many were not members yet. */
  static Future<Integer> add(SqlClient tx, UUID groupId, UUID[] ids) {
    return tx.preparedQuery(
            "INSERT INTO contact_group_members (group_id, contact_id)"
                + " SELECT $1, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING")
        .execute(Tuple.from(new Object[] {groupId, ids}))
        .map(rows -> rows.rowCount());
  }

  /** Removes the contacts from the group; returns how many were members. */
  static Future<Integer> remove(SqlClient tx, UUID groupId, UUID[] ids) {
    return tx.preparedQuery(
            "DELETE FROM contact_group_members WHERE group_id = $1 AND contact_id = ANY($2)")
        .execute(Tuple.from(new Object[] {groupId, ids}))
        .map(rows -> rows.rowCount());
  }

  private static Throwable duplicate(Throwable err, String name) {
    if (!Rows.isUniqueViolation(err)) {
      return err;
    }
    return new ApiException(
        409,
        "duplicate-group",
        "Duplicate group",
        "A group named '" + name + "' already exists",
        List.of(
            new herald.platform.http.FieldError(
                "name", "duplicate", "a group with this name already exists")),
        null);
  }
}
