package herald.campaign;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * A campaign's progress, read from its recipients and the latest message of each: seed 000's
 * progress (total, pending, queued, sent, delivered, failed, percentage) plus canceled recipients,
 * skipped recipients by reason and failed ones by their message's error code.
 */
final class CampaignResults {
  private CampaignResults() {}

  /** Counts by recipient state and message status, for the status endpoint and final events. */
  static Future<JsonObject> summary(SqlClient client, Campaign campaign) {
    return client
        .preparedQuery(
            "SELECT r.state, r.reason, m.status, m.error_code, count(*) AS n FROM campaign_recipients r"
                + " LEFT JOIN messages m ON m.id = r.message_id"
                + " WHERE r.campaign_id = $1 GROUP BY 1, 2, 3, 4")
        .execute(Tuple.of(campaign.id()))
        .map(rows -> summarize(rows, campaign));
  }

  private static JsonObject summarize(Iterable<Row> rows, Campaign campaign) {
    long total = 0;
    long pending = 0;
    long queued = 0;
    long sent = 0;
    long delivered = 0;
    long failed = 0;
    long canceled = 0;
    JsonObject skipped = new JsonObject();
    JsonObject failedBy = new JsonObject();
    for (Row row : rows) {
      long n = row.getLong("n");
      total += n;
      String state = row.getString("state");
      switch (state) {
        case "pending" -> pending += n;
        case "skipped" -> add(skipped, row.getString("reason"), n);
        case "canceled" -> canceled += n;
        default -> {
          String status = row.getString("status");
          switch (status == null ? "queued" : status) {
            case "queued", "sending" -> queued += n;
            case "sent" -> sent += n;
            case "delivered", "read" -> delivered += n; // read (WhatsApp) was delivered first
            case "canceled" -> canceled += n;
            default -> { // failed, undelivered
              failed += n;
              add(failedBy, row.getString("error_code"), n);
            }
          }
        }
      }
    }
    JsonObject duplicates = campaign.skipped();
    for (String reason : duplicates.fieldNames()) {
      add(skipped, reason, duplicates.getLong(reason));
    }
    long skippedTotal = skipped.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
    long done = total - pending - queued;
    return new JsonObject()
        .put("total", total)
        .put("pending", pending)
        .put("queued", queued)
        .put("sent", sent + delivered)
        .put("delivered", delivered)
        .put("failed", failed)
        .put("failed_by_reason", failedBy)
        .put("canceled", canceled)
        .put("skipped", skippedTotal)
        .put("skipped_by_reason", skipped)
        .put("percentage", total == 0 ? 100.0 : Math.round(1000.0 * done / total) / 10.0);
  }

  private static void add(JsonObject counts, String key, long n) {
    String k = key == null ? "unknown" : key;
    counts.put(k, counts.getLong(k, 0L) + n);
  }

  /** The status document of a campaign: its state, progress counts and timing. */
  static Future<JsonObject> status(SqlClient client, Campaign campaign) {
    return summary(client, campaign)
        .map(
            counts ->
                new JsonObject()
                    .put("id", campaign.id().toString())
                    .put("name", campaign.spec().name())
                    .put("status", campaign.status())
                    .put("started_at", campaign.startedAt())
                    .put("finished_at", campaign.finishedAt())
                    .mergeIn(counts));
  }

  /**
   * {@link #summary}'s counts from rows the caller grouped more finely: each row needs {@code
   * state}, {@code reason}, {@code status}, {@code error_code} and {@code n}; other columns are
   * ignored.
   */
  static JsonObject counts(Iterable<Row> rows, Campaign campaign) {
    return summarize(rows, campaign);
  }
}
