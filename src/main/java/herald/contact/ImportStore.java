package herald.contact;

import herald.platform.database.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * All SQL of contact imports: one set-based statement per batch and step, bound as arrays, run in
 * the import's transaction.
 */
final class ImportStore {
  private static final String INPUT =
      " FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],"
          + " $8::text[], $9::text[], $10::text[], $11::text[]) AS t(id, phone, name, first_name,"
          + " last_name, email, status, timezone, language, custom)";

  private static final String INSERT =
      "INSERT INTO contacts (id, account_id, phone_number, name, first_name, last_name, email,"
          + " status, timezone, language, custom_fields)"
          + " SELECT t.id, $1, t.phone, t.name, t.first_name, t.last_name, t.email,"
          + " coalesce(t.status, 'active'), t.timezone, t.language,"
          + " coalesce(t.custom::jsonb, '{}'::jsonb)"
          + INPUT
          + " ON CONFLICT (account_id, phone_number) DO NOTHING";

  /** Cells left empty keep the contact's values; custom fields are merged, the file's winning. */
  private static final String UPDATE =
      "UPDATE contacts c SET name = coalesce(t.name, c.name),"
          + " first_name = coalesce(t.first_name, c.first_name),"
          + " last_name = coalesce(t.last_name, c.last_name), email = coalesce(t.email, c.email),"
          + " status = coalesce(t.status, c.status), timezone = coalesce(t.timezone, c.timezone),"
          + " language = coalesce(t.language, c.language),"
          + " custom_fields = c.custom_fields || coalesce(t.custom::jsonb, '{}'::jsonb),"
          + " updated_at = now()"
          + INPUT
          + " WHERE c.account_id = $1 AND c.phone_number = t.phone";

  private ImportStore() {}

  /** Rows written by one batch. */
  record Written(long inserted, long updated) {}

  /**
   * Writes a batch: with {@code update}, rows whose number is already a contact update it first;
   * the other rows are inserted, and a number taken meanwhile is left alone.
   */
  static Future<Written> write(SqlClient tx, UUID accountId, ImportBatch b, boolean update) {
    if (b.size() == 0) {
      return Future.succeededFuture(new Written(0, 0));
    }
    Tuple args =
        Tuple.from(
            new Object[] {
              accountId,
              b.ids(),
              b.phones(),
              b.names(),
              b.firstNames(),
              b.lastNames(),
              b.emails(),
              b.statuses(),
              b.timezones(),
              b.languages(),
              b.customFields()
            });
    Future<Integer> updated =
        update
            ? tx.preparedQuery(UPDATE).execute(args).map(rows -> rows.rowCount())
            : Future.succeededFuture(0);
    return updated.compose(
        u -> tx.preparedQuery(INSERT).execute(args).map(rows -> new Written(rows.rowCount(), u)));
  }

  /**
   * Adds (group, phone) pairs as memberships of the account's contacts with those numbers; returns
   * how many memberships each group gained.
   */
  static Future<Map<UUID, Long>> addMembers(
      SqlClient tx, UUID accountId, UUID[] groups, String[] phones) {
    if (groups.length == 0) {
      return Future.succeededFuture(Map.of());
    }
    return tx.preparedQuery(
            "WITH added AS (INSERT INTO contact_group_members (group_id, contact_id)"
                + " SELECT m.group_id, c.id FROM unnest($2::uuid[], $3::text[]) AS m(group_id,"
                + " phone) JOIN contacts c ON c.account_id = $1 AND c.phone_number = m.phone"
                + " ON CONFLICT DO NOTHING RETURNING group_id)"
                + " SELECT group_id, count(*) AS n FROM added GROUP BY group_id")
        .execute(Tuple.of(accountId, groups, phones))
        .map(
            rows -> {
              Map<UUID, Long> added = new HashMap<>();
              rows.forEach(row -> added.put(row.getUUID("group_id"), row.getLong("n")));
              return added;
            });
  }

  /**
   * The ids of the account's groups with these names, creating those that do not exist yet (with
   * {@code description}); returns name to id, and which of them were created.
   */
  static Future<Groups> ensureGroups(
      SqlClient tx, UUID accountId, Collection<String> names, String description) {
    String[] wanted = names.toArray(new String[0]);
    UUID[] ids = new UUID[wanted.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Ids.newId();
    }
    return tx.preparedQuery(
            "INSERT INTO contact_groups (id, account_id, name, description)"
                + " SELECT id, $1, name, $4 FROM unnest($2::uuid[], $3::text[]) AS g(id, name)"
                + " ON CONFLICT (account_id, name) DO NOTHING RETURNING id")
        .execute(Tuple.of(accountId, ids, wanted, description))
        .compose(
            created -> {
              List<UUID> createdIds = new java.util.ArrayList<>();
              created.forEach(row -> createdIds.add(row.getUUID("id")));
              return tx.preparedQuery(
                      "SELECT id, name FROM contact_groups WHERE account_id = $1"
                          + " AND name = ANY($2)")
                  .execute(Tuple.of(accountId, (Object) wanted))
                  .map(
                      rows -> {
                        Map<String, UUID> byName = new HashMap<>();
                        for (Row row : rows) {
                          byName.put(row.getString("name"), row.getUUID("id"));
                        }
                        return new Groups(byName, createdIds);
                      });
            });
  }

  /** Groups found or created by name. */
  record Groups(Map<String, UUID> byName, List<UUID> created) {}

  /** The account's group of that id, for a target given by the client; null when not found. */
  static Future<UUID> groupOf(SqlClient client, UUID accountId, UUID groupId) {
    return client
        .preparedQuery("SELECT id FROM contact_groups WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, groupId))
        .map(rows -> rows.size() == 0 ? null : groupId);
  }

  /** The account's group with this name, created if needed (seed 000's list per upload). */
  static Future<UUID> groupNamed(SqlClient tx, UUID accountId, String name, String description) {
    return ensureGroups(tx, accountId, List.of(name), description)
        .map(groups -> groups.byName().get(name));
  }

  /** Current member counts of the groups. */
  static Future<Map<UUID, Long>> memberCounts(SqlClient tx, Collection<UUID> groups) {
    return tx.preparedQuery("SELECT id, member_count FROM contact_groups WHERE id = ANY($1)")
        .execute(Tuple.of(groups.toArray(new UUID[0])))
        .map(
            rows -> {
              Map<UUID, Long> counts = new HashMap<>();
              rows.forEach(
                  row -> counts.put(row.getUUID("id"), (long) row.getInteger("member_count")));
              return counts;
            });
  }
}
