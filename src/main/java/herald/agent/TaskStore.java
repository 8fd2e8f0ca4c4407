package herald.agent;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * All SQL over {@code agent_tasks}: created in the transaction of the inbound message, claimed by
 * the agent workers with {@code FOR UPDATE SKIP LOCKED}, completed under the claim token (so a
 * worker whose lease ran out cannot complete a task another worker took over), listed and
 * summarised for the API.
 */
public final class TaskStore {
  /**
   * A task to insert.
   *
   * @param status {@code pending}, or {@code rejected} with its reply already decided
   */
  public record NewTask(
      UUID id,
      UUID accountId,
      UUID agentId,
      UUID ruleId,
      UUID inboundMessageId,
      UUID senderId,
      String channel,
      String phoneNumber,
      String ourNumber,
      String content,
      String category,
      String tier,
      int priority,
      Integer maxReplyChars,
      String status,
      String reply,
      String errorType,
      String errorMessage,
      String categorySource) {}

  /**
   * What a worker commits for a claimed task.
   *
   * @param ok whether the model answered (else the reply is the fallback)
   * @param status null: {@code done} or {@code failed} by {@code ok}; {@code rejected} when the
   *     model's category is not allowed by the task's tier
   * @param category the category the model classified, or null to keep the task's
   * @param categorySource {@code model} with {@code category}, else null
   */
  public record Completion(
      UUID id,
      UUID claimToken,
      boolean ok,
      JsonArray prompt,
      String reply,
      String model,
      ChatClient.Usage usage,
      String errorType,
      String errorMessage,
      int processingMs,
      String status,
      String category,
      String categorySource) {}

  /** A task failed because its lease ran out too often (its workers died). */
  public record Abandoned(UUID id, UUID accountId, UUID agentId, String phoneNumber) {}

  /** Filters of the task list; nulls do not filter. */
  public record Filter(
      String phoneNumber,
      String category,
      Boolean success,
      String status,
      Instant from,
      Instant to) {}

  private final Pool pool;

  public TaskStore(Pool pool) {
    this.pool = pool;
  }

  static Future<Void> insert(SqlClient tx, NewTask t) {
    boolean rejected = t.status().equals("rejected");
    return tx.preparedQuery(
            "INSERT INTO agent_tasks (id, account_id, agent_id, rule_id, inbound_message_id,"
                + " sender_id, channel, phone_number, our_number, content, category, tier,"
                + " priority, max_reply_chars, status, reply, success, error_type, error_message,"
                + " reply_message_id, completed_at, processing_ms, category_source) VALUES ($1, $2,"
                + " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,"
                + " $20, $21, $22, $23)")
        .execute(
            Tuple.from(
                new Object[] {
                  t.id(),
                  t.accountId(),
                  t.agentId(),
                  t.ruleId(),
                  t.inboundMessageId(),
                  t.senderId(),
                  t.channel(),
                  t.phoneNumber(),
                  t.ourNumber(),
                  t.content(),
                  t.category(),
                  t.tier(),
                  t.priority(),
                  t.maxReplyChars(),
                  t.status(),
                  t.reply(),
                  rejected ? Boolean.FALSE : null,
                  t.errorType(),
                  t.errorMessage(),
                  rejected ? t.id() : null,
                  rejected ? OffsetDateTime.now(ZoneOffset.UTC) : null,
                  rejected ? 0 : null,
                  t.categorySource()
                }))
        .mapEmpty();
  }

  /**
   * Requests of {@code phone} to the account's agents that count against quotas (answered by the
   * model or waiting for it), in the last hour, day and 30 days. Takes a transaction-scoped lock on
   * the number so two messages of one user do not both pass the last free request.
   */
  static Future<int[]> quotaCounts(SqlClient tx, UUID accountId, String phone) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1::text || '/' || $2))")
        .execute(Tuple.of(accountId.toString(), phone))
        .compose(
            v ->
                tx.preparedQuery(
                        "SELECT count(*) FILTER (WHERE created_at > now() - interval '1 hour') AS h,"
                            + " count(*) FILTER (WHERE created_at > now() - interval '1 day') AS d,"
                            + " count(*) AS m FROM agent_tasks WHERE account_id = $1"
                            + " AND phone_number = $2 AND status <> 'rejected'"
                            + " AND created_at > now() - interval '30 days'")
                    .execute(Tuple.of(accountId, phone)))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new int[] {
                row.getLong("h").intValue(),
                row.getLong("d").intValue(),
                row.getLong("m").intValue()
              };
            });
  }

  /**
   * Claims up to {@code limit} tasks, highest priority and oldest first: pending ones, and running
   * ones whose lease ran out that have been claimed fewer than {@code maxClaims} times.
   */
  Future<List<AgentTask>> claim(UUID token, Duration lease, int maxClaims, int limit) {
    return pool.preparedQuery(
            "UPDATE agent_tasks t SET status = 'running', attempts = t.attempts + 1,"
                + " claim_token = $1, lease_until = now() + $2 * interval '1 millisecond'"
                + " WHERE t.id IN (SELECT id FROM agent_tasks WHERE status = 'pending'"
                + " OR (status = 'running' AND lease_until < now() AND attempts < $3)"
                + " ORDER BY priority DESC, created_at LIMIT $4 FOR UPDATE SKIP LOCKED)"
                + " RETURNING "
                + prefixed("t."))
        .execute(Tuple.of(token, lease.toMillis(), maxClaims, limit))
        .map(rows -> Rows.map(rows, AgentTask::from));
  }

  /** Fails running tasks whose lease ran out after {@code maxClaims} claims; no reply is sent. */
  Future<List<Abandoned>> abandon(int maxClaims) {
    return pool.preparedQuery(
            "UPDATE agent_tasks SET status = 'failed', success = false, error_type = 'abandoned',"
                + " error_message = 'its worker stopped ' || attempts || ' times; not retried',"
                + " completed_at = now(), claim_token = NULL WHERE id IN (SELECT id FROM"
                + " agent_tasks WHERE status = 'running' AND lease_until < now()"
                + " AND attempts >= $1 LIMIT 100 FOR UPDATE SKIP LOCKED)"
                + " RETURNING id, account_id, agent_id, phone_number")
        .execute(Tuple.of(maxClaims))
        .map(
            rows ->
                Rows.map(
                    rows,
                    (Row r) ->
                        new Abandoned(
                            r.getUUID("id"),
                            r.getUUID("account_id"),
                            r.getUUID("agent_id"),
                            r.getString("phone_number"))));
  }

  /**
   * The last {@code turns} answered exchanges with the task's number on its channel, oldest first,
   * as {@code [content, reply]} pairs.
   */
  Future<List<String[]>> history(AgentTask task, int turns) {
    if (turns <= 0) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(
            "SELECT content, reply FROM agent_tasks WHERE account_id = $1 AND phone_number = $2"
                + " AND channel = $3 AND agent_id = $4 AND status = 'done' AND id <> $5"
                + " AND created_at <= $6::timestamptz ORDER BY created_at DESC LIMIT $7")
        .execute(
            Tuple.from(
                new Object[] {
                  task.accountId(),
                  task.phoneNumber(),
                  task.channel(),
                  task.agentId(),
                  task.id(),
                  OffsetDateTime.parse(task.createdAt()),
                  turns
                }))
        .map(
            rows -> {
              List<String[]> out = new ArrayList<>();
              for (Row row : rows) {
                out.add(new String[] {row.getString("content"), row.getString("reply")});
              }
              Collections.reverse(out);
              return out;
            });
  }

  /**
   * Records the outcome in {@code tx} if the task is still this claim's; answers whether it was
   * (false: another worker took the task over, and its outcome counts).
   */
  static Future<Boolean> complete(SqlClient tx, Completion c) {
    return tx.preparedQuery(
            "UPDATE agent_tasks SET status = $3, success = $4, prompt = $5, reply = $6,"
                + " model = $7, prompt_tokens = $8, completion_tokens = $9, tokens_used = $10,"
                + " error_type = $11, error_message = $12, processing_ms = $13,"
                + " reply_message_id = id, completed_at = now(), lease_until = NULL,"
                + " category = coalesce($14, category),"
                + " category_source = coalesce($15, category_source)"
                + " WHERE id = $1 AND claim_token = $2 AND status = 'running' RETURNING id")
        .execute(
            Tuple.from(
                new Object[] {
                  c.id(),
                  c.claimToken(),
                  c.status() != null ? c.status() : c.ok() ? "done" : "failed",
                  c.ok(),
                  c.prompt(),
                  c.reply(),
                  c.model(),
                  c.usage() == null ? null : c.usage().promptTokens(),
                  c.usage() == null ? null : c.usage().completionTokens(),
                  c.usage() == null ? null : c.usage().totalTokens(),
                  c.errorType(),
                  c.errorMessage(),
                  c.processingMs(),
                  c.category(),
                  c.categorySource()
                }))
        .map(rows -> rows.size() == 1);
  }

  public Future<AgentTask> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + AgentTask.COLUMNS + " FROM agent_tasks WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, AgentTask::from));
  }

  public Future<List<AgentTask>> list(UUID accountId, Filter f, PageRequest page) {
    Where where = where(accountId, f).and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + AgentTask.COLUMNS
                + " FROM agent_tasks WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, AgentTask::from));
  }

  /** How many of the account's tasks match {@code f}. */
  public Future<Long> count(UUID accountId, Filter f) {
    Where where = where(accountId, f);
    return pool.preparedQuery("SELECT count(*) FROM agent_tasks WHERE " + where.sql())
        .execute(Tuple.from(where.args()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Where where(UUID accountId, Filter f) {
    return new Where("account_id = ", accountId)
        .and("phone_number = ", f.phoneNumber())
        .and("category = ", f.category())
        .and("success = ", f.success())
        .and("status = ", f.status())
        .and("created_at >= ", f.from() == null ? null : f.from().atOffset(ZoneOffset.UTC))
        .and("created_at < ", f.to() == null ? null : f.to().atOffset(ZoneOffset.UTC));
  }

  /**
   * Counts by status, success and category, tokens, and percentiles of the processing time (claim
   * to reply) and of the total time (inbound message to reply) of completed tasks.
   */
  public Future<JsonObject> analytics(UUID accountId, Filter f) {
    Where where = where(accountId, f);
    String from = " FROM agent_tasks WHERE " + where.sql();
    Future<JsonObject> totals =
        pool.preparedQuery(
                "SELECT count(*) AS total,"
                    + " count(*) FILTER (WHERE success) AS succeeded,"
                    + " count(*) FILTER (WHERE success = false) AS failed,"
                    + " count(*) FILTER (WHERE status = 'rejected') AS rejected,"
                    + " count(*) FILTER (WHERE status IN ('pending', 'running')) AS open,"
                    + " coalesce(sum(tokens_used), 0) AS tokens,"
                    + " avg(tokens_used) AS avg_tokens,"
                    + " avg(processing_ms) FILTER (WHERE status IN ('done', 'failed')) AS avg_ms,"
                    + percentiles("processing_ms", "p")
                    + ","
                    + percentiles("(extract(epoch FROM completed_at - created_at) * 1000)", "t")
                    + from)
            .execute(Tuple.from(where.args()))
            .map(
                rows -> {
                  Row r = rows.iterator().next();
                  long total = r.getLong("total");
                  long succeeded = r.getLong("succeeded");
                  return new JsonObject()
                      .put("total_tasks", total)
                      .put("successful_tasks", succeeded)
                      .put("failed_tasks", r.getLong("failed"))
                      .put("rejected_tasks", r.getLong("rejected"))
                      .put("open_tasks", r.getLong("open"))
                      .put(
                          "success_rate",
                          total == 0 ? null : Math.round(succeeded * 10000.0 / total) / 100.0)
                      .put("tokens_used", r.getLong("tokens"))
                      .put("avg_tokens_used", number(r, "avg_tokens"))
                      .put("avg_processing_ms", number(r, "avg_ms"))
                      .put(
                          "processing_ms",
                          new JsonObject()
                              .put("p50", number(r, "p50"))
                              .put("p95", number(r, "p95"))
                              .put("p99", number(r, "p99")))
                      .put(
                          "total_ms",
                          new JsonObject()
                              .put("p50", number(r, "t50"))
                              .put("p95", number(r, "t95"))
                              .put("p99", number(r, "t99")));
                });
    Future<JsonObject> categories =
        pool.preparedQuery(
                "SELECT category, count(*) AS count, count(*) FILTER (WHERE success) AS succeeded,"
                    + " count(*) FILTER (WHERE success = false) AS failed,"
                    + " coalesce(sum(tokens_used), 0) AS tokens,"
                    + " avg(processing_ms) FILTER (WHERE status IN ('done', 'failed')) AS avg_ms"
                    + from
                    + " GROUP BY category ORDER BY count(*) DESC, category")
            .execute(Tuple.from(where.args()))
            .map(
                rows -> {
                  JsonObject out = new JsonObject();
                  for (Row r : rows) {
                    out.put(
                        r.getString("category"),
                        new JsonObject()
                            .put("count", r.getLong("count"))
                            .put("successful", r.getLong("succeeded"))
                            .put("failed", r.getLong("failed"))
                            .put("tokens_used", r.getLong("tokens"))
                            .put("avg_processing_ms", number(r, "avg_ms")));
                  }
                  return out;
                });
    return Future.all(totals, categories)
        .map(v -> totals.result().put("categories", categories.result()));
  }

  /**
   * Task counts of today and of this month (UTC), and tokens and the estimated cost per agent of
   * the tasks {@code f} selects: each agent's prompt and completion tokens times its prices per
   * 1,000 tokens (null for an agent with neither price).
   */
  public Future<JsonObject> costs(UUID accountId, Filter f) {
    Where where = where(accountId, f);
    Future<JsonObject> periods =
        pool.preparedQuery(
                "SELECT count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE"
                    + " 'UTC') AT TIME ZONE 'UTC') AS today, count(*) FILTER (WHERE created_at >="
                    + " date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS month"
                    + " FROM agent_tasks WHERE account_id = $1")
            .execute(Tuple.of(accountId))
            .map(
                rows -> {
                  Row r = rows.iterator().next();
                  return new JsonObject()
                      .put("tasks_today", r.getLong("today"))
                      .put("tasks_this_month", r.getLong("month"));
                });
    Future<JsonObject> agents =
        pool.preparedQuery(
                "SELECT a.id, a.name, a.model, a.prompt_token_price, a.completion_token_price,"
                    + " t.tasks, t.pt, t.ct, t.tt FROM (SELECT agent_id, count(*) AS tasks,"
                    + " coalesce(sum(prompt_tokens), 0) AS pt, coalesce(sum(completion_tokens), 0)"
                    + " AS ct, coalesce(sum(tokens_used), 0) AS tt FROM agent_tasks WHERE "
                    + where.sql()
                    + " GROUP BY agent_id) t JOIN agents a ON a.id = t.agent_id"
                    + " ORDER BY t.tasks DESC, a.name")
            .execute(Tuple.from(where.args()))
            .map(
                rows -> {
                  JsonArray byAgent = new JsonArray();
                  long prompt = 0;
                  long completion = 0;
                  Double total = null;
                  for (Row r : rows) {
                    long pt = r.getLong("pt");
                    long ct = r.getLong("ct");
                    Double cost =
                        cost(
                            pt,
                            ct,
                            r.getDouble("prompt_token_price"),
                            r.getDouble("completion_token_price"));
                    prompt += pt;
                    completion += ct;
                    if (cost != null) {
                      total = (total == null ? 0 : total) + cost;
                    }
                    byAgent.add(
                        new JsonObject()
                            .put("agent_id", r.getUUID("id").toString())
                            .put("name", r.getString("name"))
                            .put("model", r.getString("model"))
                            .put("tasks", r.getLong("tasks"))
                            .put("prompt_tokens", pt)
                            .put("completion_tokens", ct)
                            .put("tokens_used", r.getLong("tt"))
                            .put("prompt_token_price", r.getDouble("prompt_token_price"))
                            .put("completion_token_price", r.getDouble("completion_token_price"))
                            .put("estimated_cost", round(cost)));
                  }
                  return new JsonObject()
                      .put("prompt_tokens", prompt)
                      .put("completion_tokens", completion)
                      .put("estimated_cost", round(total))
                      .put("agents", byAgent);
                });
    return Future.all(periods, agents).map(v -> periods.result().mergeIn(agents.result()));
  }

  /**
   * Per end user (phone number) of the tasks {@code f} selects, most tasks first, at most {@code
   * limit}: counts, success rate, tokens, estimated cost, average processing time, the last task,
   * and the number's contact (id, name, tier) when it has one.
   */
  public Future<JsonArray> byUser(UUID accountId, Filter f, int limit) {
    Where where = where(accountId, f);
    String sql =
        "WITH per AS (SELECT phone_number, agent_id, count(*) AS n,"
            + " count(*) FILTER (WHERE success) AS ok,"
            + " count(*) FILTER (WHERE status = 'failed') AS failed,"
            + " count(*) FILTER (WHERE status = 'rejected') AS rejected,"
            + " coalesce(sum(prompt_tokens), 0) AS pt, coalesce(sum(completion_tokens), 0) AS ct,"
            + " coalesce(sum(tokens_used), 0) AS tt,"
            + " sum(processing_ms) FILTER (WHERE status IN ('done', 'failed')) AS ms,"
            + " count(processing_ms) FILTER (WHERE status IN ('done', 'failed')) AS msn,"
            + " max(created_at) AS last_at FROM agent_tasks WHERE "
            + where.sql()
            + " GROUP BY phone_number, agent_id),"
            + " u AS (SELECT per.phone_number, sum(n)::bigint AS n, sum(ok)::bigint AS ok,"
            + " sum(failed)::bigint AS failed, sum(rejected)::bigint AS rejected,"
            + " sum(pt)::bigint AS pt, sum(ct)::bigint AS ct, sum(tt)::bigint AS tt,"
            + " sum(CASE WHEN a.prompt_token_price IS NULL AND a.completion_token_price IS NULL"
            + " THEN NULL ELSE pt / 1000.0 * coalesce(a.prompt_token_price, 0)"
            + " + ct / 1000.0 * coalesce(a.completion_token_price, 0) END)::double precision"
            + " AS cost, (sum(ms) / nullif(sum(msn), 0))::double precision AS avg_ms,"
            + " max(last_at) AS last_at FROM per JOIN agents a ON a.id = per.agent_id"
            + " GROUP BY per.phone_number ORDER BY sum(n) DESC, per.phone_number LIMIT "
            + limit
            + ") SELECT u.*, c.id AS contact_id, c.name, c.tier FROM u LEFT JOIN LATERAL"
            + " (SELECT id, name, tier FROM contacts WHERE account_id = $1"
            + " AND phone_number IN (u.phone_number, '+' || u.phone_number) LIMIT 1) c ON true"
            + " ORDER BY u.n DESC, u.phone_number";
    return pool.preparedQuery(sql)
        .execute(Tuple.from(where.args()))
        .map(
            rows -> {
              JsonArray users = new JsonArray();
              for (Row r : rows) {
                long n = r.getLong("n");
                long ok = r.getLong("ok");
                users.add(
                    new JsonObject()
                        .put("phone_number", r.getString("phone_number"))
                        .put(
                            "contact_id",
                            r.getUUID("contact_id") == null
                                ? null
                                : r.getUUID("contact_id").toString())
                        .put("name", r.getString("name"))
                        .put("tier", r.getString("tier"))
                        .put("total_tasks", n)
                        .put("successful_tasks", ok)
                        .put("failed_tasks", r.getLong("failed"))
                        .put("rejected_tasks", r.getLong("rejected"))
                        .put("success_rate", Math.round(ok * 10000.0 / n) / 100.0)
                        .put("prompt_tokens", r.getLong("pt"))
                        .put("completion_tokens", r.getLong("ct"))
                        .put("tokens_used", r.getLong("tt"))
                        .put("estimated_cost", round(r.getDouble("cost")))
                        .put("avg_processing_ms", number(r, "avg_ms"))
                        .put("last_task_at", Rows.iso(r, "last_at")));
              }
              return users;
            });
  }

  /** Prompt and completion tokens at prices per 1,000 tokens; null when neither price is set. */
  static Double cost(
      long promptTokens, long completionTokens, Double promptPrice, Double completionPrice) {
    if (promptPrice == null && completionPrice == null) {
      return null;
    }
    return promptTokens / 1000.0 * (promptPrice == null ? 0 : promptPrice)
        + completionTokens / 1000.0 * (completionPrice == null ? 0 : completionPrice);
  }

  /** A cost to six decimals (prices per 1,000 tokens reach a millionth per token). */
  private static Double round(Double cost) {
    return cost == null ? null : Math.round(cost * 1_000_000) / 1_000_000.0;
  }

  private static String percentiles(String expression, String prefix) {
    StringBuilder sql = new StringBuilder();
    int[] ps = {50, 95, 99};
    for (int i = 0; i < ps.length; i++) {
      if (i > 0) {
        sql.append(", ");
      }
      sql.append("percentile_cont(")
          .append(ps[i] / 100.0)
          .append(") WITHIN GROUP (ORDER BY ")
          .append(expression)
          .append(") FILTER (WHERE status IN ('done', 'failed') AND processing_ms IS NOT NULL")
          .append(" AND completed_at IS NOT NULL) AS ")
          .append(prefix)
          .append(ps[i]);
    }
    return sql.toString();
  }

  private static Double number(Row row, String column) {
    Object value = row.getValue(column);
    if (value == null) {
      return null;
    }
    double d = ((Number) value).doubleValue();
    return Math.round(d * 10) / 10.0;
  }

  private static String prefixed(String alias) {
    return alias + AgentTask.COLUMNS.replace(", ", ", " + alias);
  }
}
