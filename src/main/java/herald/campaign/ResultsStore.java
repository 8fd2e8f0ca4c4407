package herald.campaign;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The read side of a campaign's results: counts for its statistics, pages of its recipients, and
 * the statement its export streams. Each reads a campaign's recipients through their primary key
 * (campaign_id, seq) and its messages through {@code messages_campaign_idx}, so one campaign's size
 * sets the cost, not the table's.
 */
final class ResultsStore {
  /** Recipients with their latest message, in campaign order: what the export streams. */
  static final String EXPORT =
      "SELECT "
          + RecipientResult.COLUMNS
          + " FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id"
          + " WHERE r.campaign_id = $1 ORDER BY r.seq";

  private ResultsStore() {}

  /**
   * Recipients counted by state, reason, message status, variant and operator, in one pass (the
   * message join is restricted to the campaign's own messages, so it reads only those).
   */
  static Future<RowSet<Row>> breakdown(SqlClient client, UUID campaignId) {
    return client
        .preparedQuery(
            "SELECT r.state, r.reason, m.status, m.error_code, r.variant, r.operator, count(*) AS n"
                + " FROM campaign_recipients r LEFT JOIN messages m"
                + " ON m.id = r.message_id AND m.campaign_id = $1"
                + " WHERE r.campaign_id = $1 GROUP BY 1, 2, 3, 4, 5, 6")
        .execute(Tuple.of(campaignId));
  }

  /**
   * The campaign's messages that left Herald (every attempt, not only each recipient's latest).
   *
   * @param first when the first left, null when none has
   */
  record Sending(long messages, long segments, Instant first, Instant last) {}

  static Future<Sending> sending(SqlClient client, UUID campaignId) {
    return client
        .preparedQuery(
            "SELECT count(*) AS n, coalesce(sum(segments), 0) AS segments, min(sent_at) AS first,"
                + " max(sent_at) AS last FROM messages"
                + " WHERE campaign_id = $1 AND sent_at IS NOT NULL")
        .execute(Tuple.of(campaignId))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Sending(
                  row.getLong("n"),
                  row.getLong("segments"),
                  instant(row.getOffsetDateTime("first")),
                  instant(row.getOffsetDateTime("last")));
            });
  }

  /** Messages sent in one time bucket. */
  record Bucket(Instant at, long sent) {}

  /**
   * Messages sent per {@code unit} ({@code second} or {@code minute}) from {@code from} on, in time
   * order; empty buckets are absent.
   */
  static Future<List<Bucket>> throughput(
      SqlClient client, UUID campaignId, String unit, Instant from) {
    return client
        .preparedQuery(
            "SELECT date_trunc($2, sent_at) AS at, count(*) AS n FROM messages"
                + " WHERE campaign_id = $1 AND sent_at >= $3 GROUP BY 1 ORDER BY 1")
        .execute(Tuple.of(campaignId, unit, from.atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              List<Bucket> out = new ArrayList<>();
              rows.forEach(
                  row ->
                      out.add(new Bucket(instant(row.getOffsetDateTime("at")), row.getLong("n"))));
              return out;
            });
  }

  /**
   * Up to {@code limit} recipients after {@code afterSeq} (null for the first page), in campaign
   * order, with {@code status} only when it is not null.
   */
  static Future<List<RecipientResult>> page(
      SqlClient client, UUID campaignId, String status, Long afterSeq, int limit) {
    return client
        .preparedQuery(
            "SELECT "
                + RecipientResult.COLUMNS
                + " FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id"
                + " WHERE r.campaign_id = $1 AND r.seq > $2 AND ($3::text IS NULL OR "
                + RecipientResult.STATUS_SQL
                + " = $3) ORDER BY r.seq LIMIT $4")
        .execute(Tuple.of(campaignId, afterSeq == null ? Long.MIN_VALUE : afterSeq, status, limit))
        .map(rows -> Rows.map(rows, RecipientResult::from));
  }

  /** The names of the campaign's recipient variables, sorted; at most {@code limit}. */
  static Future<List<String>> dataKeys(SqlClient client, UUID campaignId, int limit) {
    return client
        .preparedQuery(
            "SELECT DISTINCT jsonb_object_keys(data) AS key FROM campaign_recipients"
                + " WHERE campaign_id = $1 AND data IS NOT NULL ORDER BY 1 LIMIT $2")
        .execute(Tuple.of(campaignId, limit))
        .map(rows -> Rows.map(rows, row -> row.getString("key")));
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
