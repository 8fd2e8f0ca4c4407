package herald.agent;

import herald.platform.database.Ids;
import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL over {@code agent_errors}: the error log of agent failures, with resolve. */
public final class ErrorStore {
  private static final String COLUMNS =
      "id, agent_id, task_id, phone_number, error_type, error_message, metadata, resolved,"
          + " resolution_notes, resolved_at, created_at";

  /** Filters of the list; nulls do not filter. */
  public record Filter(String errorType, Boolean resolved, String phoneNumber) {}

  private final Pool pool;

  public ErrorStore(Pool pool) {
    this.pool = pool;
  }

  /** Appends an entry in {@code client}. */
  static Future<Void> record(
      SqlClient client,
      UUID accountId,
      UUID agentId,
      UUID taskId,
      String phone,
      String type,
      String message,
      JsonObject metadata) {
    return client
        .preparedQuery(
            "INSERT INTO agent_errors (id, account_id, agent_id, task_id, phone_number,"
                + " error_type, error_message, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(
            Tuple.from(
                new Object[] {
                  Ids.newId(), accountId, agentId, taskId, phone, type, message, metadata
                }))
        .mapEmpty();
  }

  private static Where where(UUID accountId, Filter f) {
    return new Where("account_id = ", accountId)
        .and("error_type = ", f.errorType())
        .and("resolved = ", f.resolved())
        .and("phone_number = ", f.phoneNumber());
  }

  /** How many of the account's entries match {@code f}. */
  public Future<Long> count(UUID accountId, Filter f) {
    Where where = where(accountId, f);
    return pool.preparedQuery("SELECT count(*) FROM agent_errors WHERE " + where.sql())
        .execute(Tuple.from(where.args()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<List<JsonObject>> list(UUID accountId, Filter f, PageRequest page) {
    Where where = where(accountId, f).and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM agent_errors WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, ErrorStore::toJson));
  }

  /** Marks the entry resolved (or not) with notes; null when the account has no such entry. */
  Future<JsonObject> resolve(
      SqlClient tx, UUID accountId, UUID id, boolean resolved, String notes) {
    return tx.preparedQuery(
            "UPDATE agent_errors SET resolved = $3, resolution_notes = coalesce($4,"
                + " resolution_notes), resolved_at = CASE WHEN $3 THEN now() END"
                + " WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(accountId, id, resolved, notes))
        .map(rows -> Rows.first(rows, ErrorStore::toJson));
  }

  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("agent_id", Rows.id(row, "agent_id"))
        .put("task_id", Rows.id(row, "task_id"))
        .put("phone_number", row.getString("phone_number"))
        .put("error_type", row.getString("error_type"))
        .put("error_message", row.getString("error_message"))
        .put("metadata", row.getJsonObject("metadata"))
        .put("resolved", row.getBoolean("resolved"))
        .put("resolution_notes", row.getString("resolution_notes"))
        .put("resolved_at", Rows.iso(row, "resolved_at"))
        .put("created_at", Rows.iso(row, "created_at"));
  }

  public static UUID id(JsonObject entry) {
    return UUID.fromString(entry.getString("id"));
  }
}
