package herald.template;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL about templates. */
public final class TemplateStore {
  private static final String COLUMNS =
      "id, account_id, name, channel, content, category, is_public, usage_count, created_at,"
          + " updated_at";

  private final Pool pool;

  public TemplateStore(Pool pool) {
    this.pool = pool;
  }

  /** List filters; null fields do not filter. */
  public record Filter(String category, String channel, Boolean isPublic) {}

  public Future<List<Template>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where =
        new Where("account_id = ", accountId)
            .and("category = ", filter.category())
            .and("channel = ", filter.channel())
            .and("is_public = ", filter.isPublic())
            .and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM templates WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Template::from));
  }

  public Future<Template> get(UUID accountId, UUID id) {
    return get(pool, accountId, id, "");
  }

  static Future<Template> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return get(tx, accountId, id, " FOR UPDATE");
  }

  private static Future<Template> get(SqlClient client, UUID accountId, UUID id, String lock) {
    return client
        .preparedQuery(
            "SELECT " + COLUMNS + " FROM templates WHERE account_id = $1 AND id = $2" + lock)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Template::from));
  }

  /** How many of the account's templates each category holds (every category, zeros included). */
  public Future<JsonObject> categoryCounts(UUID accountId) {
    return pool.preparedQuery(
            "SELECT category, count(*) AS n FROM templates WHERE account_id = $1 GROUP BY category")
        .execute(Tuple.of(accountId))
        .map(
            rows -> {
              Map<String, Long> counts = new HashMap<>();
              rows.forEach(row -> counts.put(row.getString("category"), row.getLong("n")));
              JsonObject out = new JsonObject();
              Template.CATEGORIES.forEach(c -> out.put(c, counts.getOrDefault(c, 0L)));
              return out;
            });
  }

  static Future<Template> insert(SqlClient tx, Template t) {
    return tx.preparedQuery(
            "INSERT INTO templates (id, account_id, name, channel, content, category, is_public)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  t.id(),
                  t.accountId(),
                  t.name(),
                  t.channel(),
                  t.content(),
                  t.category(),
                  t.isPublic()
                }))
        .recover(err -> Future.failedFuture(duplicate(err, t.name())))
        .map(rows -> Rows.first(rows, Template::from));
  }

  static Future<Template> update(SqlClient tx, Template t) {
    return tx.preparedQuery(
            "UPDATE templates SET name = $3, channel = $4, content = $5, category = $6,"
                + " is_public = $7, updated_at = now() WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  t.accountId(),
                  t.id(),
                  t.name(),
                  t.channel(),
                  t.content(),
                  t.category(),
                  t.isPublic()
                }))
        .recover(err -> Future.failedFuture(duplicate(err, t.name())))
        .map(rows -> Rows.first(rows, Template::from));
  }

  static Future<Void> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery("DELETE FROM templates WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .mapEmpty();
  }

  /** Adds one to the usage count; null when the account has no such template. */
  public Future<Template> use(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "UPDATE templates SET usage_count = usage_count + 1"
                + " WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Template::from));
  }

  private static Throwable duplicate(Throwable err, String name) {
    if (!Rows.isUniqueViolation(err)) {
      return err;
    }
    return new ApiException(
        409,
        "duplicate-template",
        "Duplicate template",
        "A template named '" + name + "' already exists",
        List.of(new FieldError("name", "duplicate", "a template with this name already exists")),
        null);
  }
}
