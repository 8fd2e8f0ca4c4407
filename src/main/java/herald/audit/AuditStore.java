package herald.audit;

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
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The audit log. {@link #record} is always called with the connection of the transaction that makes
 * the change, so a change and its audit entry commit or roll back together.
 */
public final class AuditStore {
  private static final String INSERT =
      "INSERT INTO audit_logs (id, account_id, user_id, api_key_id, username, action, resource_type,"
          + " resource_id, before, after, ip, user_agent, request_id)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

  private final Pool pool;

  public AuditStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Writes one entry inside the caller's transaction.
   *
   * @param action {@code create}, {@code update}, {@code delete}, or a verb such as {@code revoke}
   * @param before the resource's public JSON before the change, or null
   * @param after the resource's public JSON after the change, or null; never secrets
   */
  public static Future<Void> record(
      SqlClient tx,
      Actor actor,
      String action,
      String resourceType,
      Object resourceId,
      JsonObject before,
      JsonObject after) {
    return tx.preparedQuery(INSERT)
        .execute(
            Tuple.from(
                new Object[] {
                  Ids.newId(),
                  actor.accountId(),
                  actor.userId(),
                  actor.apiKeyId(),
                  actor.username(),
                  action,
                  resourceType,
                  resourceId == null ? null : resourceId.toString(),
                  before,
                  after,
                  actor.ip(),
                  actor.userAgent(),
                  actor.requestId()
                }))
        .mapEmpty();
  }

  /** Filters for listing; null fields do not filter. */
  public record Filter(
      String action,
      String resourceType,
      String resourceId,
      UUID userId,
      Instant from,
      Instant to) {}

  /** One page of the account's entries, newest first. */
  public Future<List<Row>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where =
        new Where("account_id = ", accountId)
            .and("action = ", filter.action())
            .and("resource_type = ", filter.resourceType())
            .and("resource_id = ", filter.resourceId())
            .and("user_id = ", filter.userId())
            .and("created_at >= ", filter.from())
            .and("created_at < ", filter.to())
            .and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT * FROM audit_logs WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, row -> row));
  }

  public static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", Rows.id(row, "id"))
        .put("action", row.getString("action"))
        .put("resource_type", row.getString("resource_type"))
        .put("resource_id", row.getString("resource_id"))
        .put("user_id", Rows.id(row, "user_id"))
        .put("api_key_id", Rows.id(row, "api_key_id"))
        .put("username", row.getString("username"))
        .put("before", row.getJsonObject("before"))
        .put("after", row.getJsonObject("after"))
        .put("ip", row.getString("ip"))
        .put("user_agent", row.getString("user_agent"))
        .put("request_id", row.getString("request_id"))
        .put("created_at", Rows.iso(row, "created_at"));
  }
}
