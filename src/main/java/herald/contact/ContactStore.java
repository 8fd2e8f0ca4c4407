package herald.contact;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.ApiException;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** All SQL about contacts and their group memberships. */
public final class ContactStore {
  static final String COLUMNS =
      "c.id, c.account_id, c.phone_number, c.name, c.first_name, c.last_name, c.email, c.status,"
          + " c.timezone, c.language, c.custom_fields, c.created_at, c.updated_at, c.tier,"
          + " c.total_requests, c.last_request_at,"
          + " ARRAY(SELECT m.group_id FROM contact_group_members m WHERE m.contact_id = c.id"
          + " ORDER BY m.group_id) AS group_ids";

  private final Pool pool;

  public ContactStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * List filters; null fields do not filter.
   *
   * @param query text searched (case-insensitively) in names, e-mail and phone number
   * @param custom custom field equality: key to the value's text
   */
  public record Filter(
      UUID groupId,
      String status,
      String query,
      Map<String, String> custom,
      Instant createdAfter,
      Instant createdBefore,
      String tier) {
    /** Without a tier filter. */
    public Filter(
        UUID groupId,
        String status,
        String query,
        Map<String, String> custom,
        Instant createdAfter,
        Instant createdBefore) {
      this(groupId, status, query, custom, createdAfter, createdBefore, null);
    }
  }

  static Where where(UUID accountId, Filter filter) {
    Where where =
        new Where("c.account_id = ", accountId)
            .and("c.status = ", filter.status())
            .and(
                "c.id IN (SELECT contact_id FROM contact_group_members WHERE group_id = ",
                filter.groupId(),
                ")")
            .and(
                "(coalesce(c.name, '') || ' ' || coalesce(c.first_name, '') || ' '"
                    + " || coalesce(c.last_name, '') || ' ' || coalesce(c.email, '') || ' '"
                    + " || c.phone_number) ILIKE ",
                filter.query() == null ? null : "%" + escapeLike(filter.query()) + "%")
            .and("c.created_at >= ", filter.createdAfter())
            .and("c.created_at < ", filter.createdBefore())
            .and("c.tier = ", filter.tier());
    // Keys are checked against ContactInput.CUSTOM_KEY before they get here, so inlining is safe.
    filter
        .custom()
        .forEach((key, value) -> where.and("c.custom_fields ->> '" + key + "' = ", value));
    return where;
  }

  private static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  public Future<List<Contact>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where = where(accountId, filter).and("c.id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM contacts c WHERE "
                + where.sql()
                + " ORDER BY c.id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Contact::from));
  }

  /** How many of the account's contacts match {@code filter}. */
  public Future<Long> count(UUID accountId, Filter filter) {
    Where where = where(accountId, filter);
    return pool.preparedQuery("SELECT count(*) FROM contacts c WHERE " + where.sql())
        .execute(Tuple.from(where.args()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Contact> get(UUID accountId, UUID id) {
    return get(pool, accountId, id, "");
  }

  /** The account's contacts with these phone numbers (E.164), by number. */
  public Future<java.util.Map<String, Contact>> byPhones(UUID accountId, List<String> phones) {
    if (phones.isEmpty()) {
      return Future.succeededFuture(java.util.Map.of());
    }
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM contacts c WHERE c.account_id = $1 AND c.phone_number = ANY($2)")
        .execute(Tuple.from(new Object[] {accountId, phones.toArray(String[]::new)}))
        .map(
            rows -> {
              java.util.Map<String, Contact> found = new java.util.HashMap<>();
              rows.forEach(
                  row -> {
                    Contact c = Contact.from(row);
                    found.put(c.phoneNumber(), c);
                  });
              return found;
            });
  }

  /**
   * The phone numbers of the account's active contacts of {@code tiers}, in id order, at most
   * {@code limit}.
   */
  public Future<List<String>> activeNumbersOfTiers(UUID accountId, List<String> tiers, int limit) {
    return pool.preparedQuery(
            "SELECT phone_number FROM contacts WHERE account_id = $1 AND status = 'active'"
                + " AND tier = ANY($2) ORDER BY id LIMIT $3")
        .execute(Tuple.from(new Object[] {accountId, tiers.toArray(String[]::new), limit}))
        .map(rows -> Rows.map(rows, row -> row.getString("phone_number")));
  }

  /** The account's active contacts per tier ({@code ""} for those without one). */
  public Future<JsonObject> activeCountsByTier(UUID accountId) {
    return pool.preparedQuery(
            "SELECT coalesce(tier, '') AS tier, count(*) AS n FROM contacts WHERE account_id = $1"
                + " AND status = 'active' GROUP BY coalesce(tier, '') ORDER BY 1")
        .execute(Tuple.of(accountId))
        .map(
            rows -> {
              JsonObject counts = new JsonObject();
              for (io.vertx.sqlclient.Row row : rows) {
                counts.put(row.getString("tier"), row.getLong("n"));
              }
              return counts;
            });
  }

  /** The account's contact of this E.164 number, or null. */
  public Future<Contact> byPhone(UUID accountId, String e164) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM contacts c WHERE c.account_id = $1 AND c.phone_number = $2")
        .execute(Tuple.of(accountId, e164))
        .map(rows -> Rows.first(rows, Contact::from));
  }

  static Future<Contact> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return get(tx, accountId, id, " FOR UPDATE");
  }

  private static Future<Contact> get(SqlClient client, UUID accountId, UUID id, String lock) {
    return client
        .preparedQuery(
            "SELECT " + COLUMNS + " FROM contacts c WHERE c.account_id = $1 AND c.id = $2" + lock)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Contact::from));
  }

  /** Inserts a contact and its memberships; a taken phone number answers 409. */
  static Future<Contact> insert(SqlClient tx, Contact c) {
    return tx.preparedQuery(
            "INSERT INTO contacts (id, account_id, phone_number, name, first_name, last_name,"
                + " email, status, timezone, language, custom_fields, tier)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .execute(
            Tuple.from(
                new Object[] {
                  c.id(),
                  c.accountId(),
                  c.phoneNumber(),
                  c.name(),
                  c.firstName(),
                  c.lastName(),
                  c.email(),
                  c.status(),
                  c.timezone(),
                  c.language(),
                  c.customFields(),
                  c.tier()
                }))
        .recover(err -> Future.failedFuture(duplicate(err, c.phoneNumber())))
        .compose(v -> setGroups(tx, c.accountId(), c.id(), c.groupIds()))
        .compose(v -> getForUpdate(tx, c.accountId(), c.id()));
  }

  /** Writes every field and, when {@code groupsChanged}, replaces the memberships. */
  static Future<Contact> update(SqlClient tx, Contact c, boolean groupsChanged) {
    return tx.preparedQuery(
            "UPDATE contacts SET phone_number = $3, name = $4, first_name = $5, last_name = $6,"
                + " email = $7, status = $8, timezone = $9, language = $10, custom_fields = $11,"
                + " tier = $12, updated_at = now() WHERE account_id = $1 AND id = $2")
        .execute(
            Tuple.from(
                new Object[] {
                  c.accountId(),
                  c.id(),
                  c.phoneNumber(),
                  c.name(),
                  c.firstName(),
                  c.lastName(),
                  c.email(),
                  c.status(),
                  c.timezone(),
                  c.language(),
                  c.customFields(),
                  c.tier()
                }))
        .recover(err -> Future.failedFuture(duplicate(err, c.phoneNumber())))
        .compose(
            v ->
                groupsChanged
                    ? setGroups(tx, c.accountId(), c.id(), c.groupIds())
                    : Future.succeededFuture())
        .compose(v -> getForUpdate(tx, c.accountId(), c.id()));
  }

  /** Deletes the contact; its memberships go with it (and the groups' counts follow). */
  static Future<Void> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery("DELETE FROM contacts WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .mapEmpty();
  }

  private static Throwable duplicate(Throwable err, String phone) {
    if (!Rows.isUniqueViolation(err)) {
      return err;
    }
    return new ApiException(
        409,
        "duplicate-contact",
        "Duplicate contact",
        "A contact with phone number " + phone + " already exists",
        List.of(
            new herald.platform.http.FieldError(
                "phone_number", "duplicate", "a contact with this phone number already exists")),
        null);
  }

  /**
   * Makes {@code groups} the contact's exact set of groups; a group that is not the account's fails
   * with 422 before anything changes.
   */
  private static Future<Void> setGroups(
      SqlClient tx, UUID accountId, UUID contactId, List<UUID> groups) {
    UUID[] ids = groups.toArray(new UUID[0]);
    return tx.preparedQuery("SELECT id FROM contact_groups WHERE account_id = $1 AND id = ANY($2)")
        .execute(Tuple.from(new Object[] {accountId, ids}))
        .compose(
            rows -> {
              Set<UUID> found = new HashSet<>();
              rows.forEach(row -> found.add(row.getUUID("id")));
              List<herald.platform.http.FieldError> errors = new ArrayList<>();
              for (int i = 0; i < ids.length; i++) {
                if (!found.contains(ids[i])) {
                  errors.add(
                      new herald.platform.http.FieldError(
                          "group_ids[" + i + "]", "not_found", "no such group: " + ids[i]));
                }
              }
              if (!errors.isEmpty()) {
                return Future.failedFuture(ApiException.validation(errors));
              }
              return tx.preparedQuery(
                      "DELETE FROM contact_group_members WHERE contact_id = $1"
                          + " AND NOT (group_id = ANY($2))")
                  .execute(Tuple.from(new Object[] {contactId, ids}))
                  .compose(
                      v ->
                          tx.preparedQuery(
                                  "INSERT INTO contact_group_members (group_id, contact_id)"
                                      + " SELECT g, $1 FROM unnest($2::uuid[]) AS g"
                                      + " ON CONFLICT DO NOTHING")
                              .execute(Tuple.from(new Object[] {contactId, ids})))
                  .mapEmpty();
            });
  }
}
