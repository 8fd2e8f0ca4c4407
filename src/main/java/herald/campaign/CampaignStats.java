package herald.campaign;

import herald.platform.config.CampaignConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /campaigns/{id}/stats}: the status endpoint's counts plus counts by recipient status,
 * by A/B variant and by operator, the delivery rate, a cost estimate, and throughput over time.
 * Three queries: the recipients' breakdown and the sent messages' totals in parallel, then the
 * buckets.
 *
 * <p>In the breakdowns {@code sent} and {@code failed} mean what they mean in the status counts
 * (sent = sent or delivered; failed = failed or undelivered), and {@code delivery_rate} is the
 * percentage of messages that left Herald (sent, delivered or undelivered) that were delivered.
 */
final class CampaignStats {
  static final int DEFAULT_BUCKETS = 60;
  static final int MAX_BUCKETS = 1440;
  private static final Duration PER_SECOND_BELOW = Duration.ofMinutes(5);

  private CampaignStats() {}

  /**
   * @param buckets how many of the latest throughput buckets to return; null for the default (60
   *     minutes, or the whole run in seconds when it lasted under five minutes)
   */
  static Future<JsonObject> compute(
      Pool pool, Campaign campaign, CampaignConfig config, Integer buckets) {
    Future<RowSet<Row>> breakdown = ResultsStore.breakdown(pool, campaign.id());
    Future<ResultsStore.Sending> sending = ResultsStore.sending(pool, campaign.id());
    return Future.all(breakdown, sending)
        .compose(x -> throughput(pool, campaign, sending.result(), buckets))
        .map(
            throughput -> {
              JsonObject out =
                  new JsonObject()
                      .put("id", campaign.id().toString())
                      .put("name", campaign.spec().name())
                      .put("status", campaign.status())
                      .put("started_at", campaign.startedAt())
                      .put("finished_at", campaign.finishedAt())
                      .mergeIn(CampaignResults.counts(breakdown.result(), campaign));
              breakdowns(breakdown.result(), out);
              ResultsStore.Sending s = sending.result();
              return out.put("cost", cost(s, config))
                  .put("first_sent_at", s.first() == null ? null : s.first().toString())
                  .put("last_sent_at", s.last() == null ? null : s.last().toString())
                  .put("throughput", throughput);
            });
  }

  /** Adds by_status, delivery_rate, by_variant and by_operator. */
  private static void breakdowns(RowSet<Row> rows, JsonObject out) {
    Tally all = new Tally();
    Map<String, Tally> variants = new TreeMap<>();
    Map<String, Tally> operators = new HashMap<>();
    for (Row row : rows) {
      String state = row.getString("state");
      String message = row.getString("status");
      String status = state.equals("queued") ? (message == null ? "queued" : message) : state;
      long n = row.getLong("n");
      all.add(status, n);
      String variant = row.getString("variant");
      if (variant != null) {
        variants.computeIfAbsent(variant, k -> new Tally()).add(status, n);
      }
      String operator = row.getString("operator");
      if (operator != null) {
        operators.computeIfAbsent(operator, k -> new Tally()).add(status, n);
      }
    }
    JsonObject byStatus = new JsonObject();
    RecipientResult.STATUSES.forEach(s -> byStatus.put(s, all.counts.getOrDefault(s, 0L)));
    JsonArray byVariant = new JsonArray();
    variants.forEach(
        (name, t) -> byVariant.add(new JsonObject().put("variant", name).mergeIn(t.toJson())));
    JsonArray byOperator = new JsonArray();
    operators.entrySet().stream()
        .sorted(
            (a, b) ->
                a.getValue().recipients != b.getValue().recipients
                    ? Long.compare(b.getValue().recipients, a.getValue().recipients)
                    : a.getKey().compareTo(b.getKey()))
        .forEach(
            e ->
                byOperator.add(
                    new JsonObject().put("operator", e.getKey()).mergeIn(e.getValue().toJson())));
    out.put("by_status", byStatus)
        .put("delivery_rate", all.deliveryRate())
        .put("by_variant", byVariant)
        .put("by_operator", byOperator);
  }

  private static JsonObject cost(ResultsStore.Sending s, CampaignConfig config) {
    BigDecimal price = BigDecimal.valueOf(config.pricePerSegment());
    return new JsonObject()
        .put("messages", s.messages())
        .put("segments", s.segments())
        .put("price_per_segment", config.pricePerSegment())
        .put("currency", config.currency())
        .put(
            "estimate",
            price
                .multiply(BigDecimal.valueOf(s.segments()))
                .setScale(4, RoundingMode.HALF_UP)
                .doubleValue());
  }

  /** The latest buckets, oldest first, with empty ones filled in. */
  private static Future<JsonObject> throughput(
      Pool pool, Campaign campaign, ResultsStore.Sending s, Integer wanted) {
    if (s.first() == null) {
      return Future.succeededFuture(
          new JsonObject().put("unit", "minute").put("buckets", new JsonArray()));
    }
    boolean perSecond = Duration.between(s.first(), s.last()).compareTo(PER_SECOND_BELOW) < 0;
    ChronoUnit unit = perSecond ? ChronoUnit.SECONDS : ChronoUnit.MINUTES;
    int count = wanted != null ? wanted : perSecond ? MAX_BUCKETS : DEFAULT_BUCKETS;
    Instant end = s.last().truncatedTo(unit);
    Instant earliest = end.minus(count - 1L, unit);
    Instant first = s.first().truncatedTo(unit);
    Instant start = first.isAfter(earliest) ? first : earliest;
    String name = perSecond ? "second" : "minute";
    return ResultsStore.throughput(pool, campaign.id(), name, start)
        .map(
            found -> {
              Map<Instant, Long> sent = new HashMap<>();
              found.forEach(b -> sent.put(b.at(), b.sent()));
              JsonArray buckets = new JsonArray();
              for (Instant t = start; !t.isAfter(end); t = t.plus(1, unit)) {
                buckets.add(
                    new JsonObject().put("at", t.toString()).put("sent", sent.getOrDefault(t, 0L)));
              }
              return new JsonObject().put("unit", name).put("buckets", buckets);
            });
  }

  /** Recipients of one group by status. */
  private static final class Tally {
    private final Map<String, Long> counts = new HashMap<>();
    private long recipients;

    void add(String status, long n) {
      recipients += n;
      counts.merge(status, n, Long::sum);
    }

    private long of(String... statuses) {
      return List.of(statuses).stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
    }

    Double deliveryRate() {
      long left = of("sent", "delivered", "read", "undelivered");
      return left == 0 ? null : Math.round(1000.0 * of("delivered", "read") / left) / 10.0;
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("recipients", recipients)
          .put("sent", of("sent", "delivered", "read"))
          .put("delivered", of("delivered", "read"))
          .put("failed", of("failed", "undelivered"))
          .put("delivery_rate", deliveryRate());
    }
  }
}
