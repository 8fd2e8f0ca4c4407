package herald.call;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads of CDRs (they are written by {@link CallQueueStore} as calls end). */
public final class CdrStore {
  private final Pool pool;

  public CdrStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Filters of the CDR list and stats; null fields do not filter. The time range applies to the
   * start of the call: {@code from} inclusive, {@code to} exclusive.
   */
  public record Filter(
      String disposition, UUID senderId, Instant from, Instant to, UUID campaignId) {}

  static Where where(UUID accountId, Filter filter) {
    return new Where("account_id = ", accountId)
        .and("disposition = ", filter.disposition())
        .and("sender_id = ", filter.senderId())
        .and("campaign_id = ", filter.campaignId())
        .and("started_at >= ", filter.from())
        .and("started_at < ", filter.to());
  }

  public Future<Cdr> get(UUID accountId, UUID id) {
    return pool.preparedQuery("SELECT * FROM cdrs WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Cdr::from));
  }

  /** A page of the account's CDRs, newest first. */
  public Future<List<Cdr>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where = where(accountId, filter).and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT * FROM cdrs WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Cdr::from));
  }

  /**
   * Totals over the filtered CDRs: the count, answer rate (answered / all), average talk seconds of
   * answered calls, counts by disposition and by hour of the day (UTC) the calls started.
   */
  public Future<JsonObject> stats(UUID accountId, Filter filter) {
    Where where = where(accountId, filter);
    String sql =
        "SELECT disposition, extract(hour FROM started_at AT TIME ZONE 'UTC')::int AS hour,"
            + " count(*) AS calls, count(answered_at) AS answered,"
            + " COALESCE(sum(talk_seconds) FILTER (WHERE answered_at IS NOT NULL), 0) AS talk"
            + " FROM cdrs WHERE "
            + where.sql()
            + " GROUP BY 1, 2";
    return pool.preparedQuery(sql)
        .execute(Tuple.from(where.args()))
        .map(
            rows -> {
              long total = 0;
              long answered = 0;
              double talk = 0;
              JsonObject byDisposition = new JsonObject();
              for (String d :
                  List.of("completed", "busy", "no_answer", "failed", "canceled", "machine")) {
                byDisposition.put(d, 0L);
              }
              long[] byHour = new long[24];
              long[] answeredByHour = new long[24];
              for (Row row : rows) {
                long calls = row.getLong("calls");
                long up = row.getLong("answered");
                total += calls;
                answered += up;
                talk += row.getBigDecimal("talk").doubleValue();
                String d = row.getString("disposition");
                byDisposition.put(d, byDisposition.getLong(d, 0L) + calls);
                byHour[row.getInteger("hour")] += calls;
                answeredByHour[row.getInteger("hour")] += up;
              }
              JsonArray hours = new JsonArray();
              for (int h = 0; h < 24; h++) {
                hours.add(
                    new JsonObject()
                        .put("hour", h)
                        .put("calls", byHour[h])
                        .put("answered", answeredByHour[h]));
              }
              return new JsonObject()
                  .put("calls", total)
                  .put("answered", answered)
                  .put("answer_rate", total == 0 ? 0.0 : round((double) answered / total))
                  .put("average_talk_seconds", answered == 0 ? 0.0 : round(talk / answered))
                  .put("by_disposition", byDisposition)
                  .put("by_hour", hours);
            });
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
