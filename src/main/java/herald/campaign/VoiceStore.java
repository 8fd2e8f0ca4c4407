package herald.campaign;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of voice campaigns' recipients: a recipient is {@code queued} with its latest call
 * ({@code call_id}) while that call is live ("calling": {@code disposition} is null); once the call
 * has ended the engine settles it: the call's status becomes the recipient's {@code disposition},
 * and a retryable one with attempts left sends the recipient back to {@code pending} until its
 * retry delay has passed since the call ended.
 */
final class VoiceStore {
  /** Every status a call ends in. */
  static final String ENDED = "('completed', 'busy', 'no_answer', 'failed', 'canceled', 'machine')";

  private VoiceStore() {}

  /**
   * Settles the recipients whose call has ended.
   *
   * @return how many were settled
   */
  static Future<Integer> settle(
      SqlClient client, UUID campaignId, VoiceSpec voice, int maxAttempts) {
    Long[] delays =
        voice.retryDelays().delays().stream().map(d -> d.toMillis()).toArray(Long[]::new);
    return client
        .preparedQuery(
            "UPDATE campaign_recipients r SET disposition = c.status, updated_at = now(),"
                + " state = CASE WHEN c.status = ANY($2) AND r.attempts < $3 THEN 'pending'"
                + " ELSE r.state END,"
                + " not_before = CASE WHEN c.status = ANY($2) AND r.attempts < $3"
                + " THEN c.ended_at + ($4::bigint[])[least(r.attempts, cardinality($4::bigint[]))]"
                + " * interval '1 millisecond' ELSE r.not_before END"
                + " FROM calls c WHERE r.campaign_id = $1 AND r.state = 'queued'"
                + " AND r.call_id IS NOT NULL AND r.disposition IS NULL AND c.id = r.call_id"
                + " AND c.status IN "
                + ENDED)
        .execute(Tuple.of(campaignId, voice.retryOn().toArray(String[]::new), maxAttempts, delays))
        .map(rows -> rows.rowCount());
  }

  /** The campaign's recipients with a call under way (counted up to {@code cap}). */
  static Future<Integer> calling(SqlClient client, UUID campaignId, int cap) {
    return client
        .preparedQuery(
            "SELECT count(*) AS n FROM (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1"
                + " AND state = 'queued' AND call_id IS NOT NULL AND disposition IS NULL"
                + " LIMIT $2) q")
        .execute(Tuple.of(campaignId, cap))
        .map(rows -> rows.iterator().next().getLong("n").intValue());
  }

  /** Whether any recipient is still pending (due or waiting for its retry). */
  static Future<Boolean> anyPending(SqlClient client, UUID campaignId) {
    return client
        .preparedQuery(
            "SELECT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1"
                + " AND state = 'pending') AS any")
        .execute(Tuple.of(campaignId))
        .map(rows -> rows.iterator().next().getBoolean("any"));
  }

  /** What became of one taken recipient: a call, skipped, or deferred to {@code notBefore}. */
  record Outcome(long seq, String state, String reason, UUID callId, Instant notBefore) {}

  static Future<Void> record(SqlClient tx, UUID campaignId, List<Outcome> outcomes) {
    int n = outcomes.size();
    Long[] seqs = new Long[n];
    String[] states = new String[n];
    String[] reasons = new String[n];
    UUID[] calls = new UUID[n];
    OffsetDateTime[] notBefore = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      seqs[i] = o.seq();
      states[i] = o.state();
      reasons[i] = o.reason();
      calls[i] = o.callId();
      notBefore[i] = o.notBefore() == null ? null : o.notBefore().atOffset(ZoneOffset.UTC);
    }
    return tx.preparedQuery(
            "UPDATE campaign_recipients r SET state = u.state, reason = u.reason,"
                + " call_id = coalesce(u.cid, r.call_id),"
                + " disposition = CASE WHEN u.cid IS NULL THEN r.disposition END,"
                + " attempts = r.attempts + CASE WHEN u.cid IS NULL THEN 0 ELSE 1 END,"
                + " not_before = coalesce(u.nb, r.not_before), updated_at = now()"
                + " FROM unnest($2::bigint[], $3::text[], $4::text[], $5::uuid[],"
                + " $6::timestamptz[]) AS u(seq, state, reason, cid, nb)"
                + " WHERE r.campaign_id = $1 AND r.seq = u.seq")
        .execute(Tuple.from(new Object[] {campaignId, seqs, states, reasons, calls, notBefore}))
        .mapEmpty();
  }

  /** Stop: pending recipients are canceled (their queued calls were canceled with them). */
  static Future<Void> cancelPending(SqlClient tx, UUID campaignId) {
    return tx.preparedQuery(
            "UPDATE campaign_recipients SET state = 'canceled', reason = 'campaign_stopped',"
                + " updated_at = now() WHERE campaign_id = $1 AND state = 'pending'")
        .execute(Tuple.of(campaignId))
        .mapEmpty();
  }

  /**
   * A recipient's view: its number, data, state, attempts, its latest call and that call's
   * disposition (read from the call itself while the engine has not settled it, so a stopped
   * campaign's last calls show how they ended).
   */
  static final String RECIPIENT_SELECT =
      "SELECT r.seq, r.phone_number, r.data, r.state, r.reason, r.attempts, r.call_id,"
          + " r.not_before, COALESCE(r.disposition,"
          + " CASE WHEN c.status IN "
          + ENDED
          + " THEN c.status END) AS disposition,"
          + " c.status AS call_status";

  static final String RECIPIENT_FROM =
      " FROM campaign_recipients r LEFT JOIN calls c ON c.id = r.call_id";

  private static final String RECIPIENT = RECIPIENT_SELECT + RECIPIENT_FROM;

  static Future<List<JsonObject>> page(
      SqlClient client, UUID campaignId, Long afterSeq, int limit) {
    return client
        .preparedQuery(
            RECIPIENT + " WHERE r.campaign_id = $1 AND r.seq > $2 ORDER BY r.seq LIMIT $3")
        .execute(Tuple.of(campaignId, afterSeq == null ? Long.MIN_VALUE : afterSeq, limit))
        .map(rows -> Rows.map(rows, VoiceStore::recipient));
  }

  static Future<JsonObject> recipient(SqlClient client, UUID campaignId, long seq) {
    return client
        .preparedQuery(RECIPIENT + " WHERE r.campaign_id = $1 AND r.seq = $2")
        .execute(Tuple.of(campaignId, seq))
        .map(rows -> Rows.first(rows, VoiceStore::recipient));
  }

  static JsonObject recipient(Row row) {
    String state = row.getString("state");
    String disposition = row.getString("disposition");
    String status =
        switch (state) {
          case "skipped", "canceled" -> state;
          case "pending" -> row.getInteger("attempts") > 0 ? "retry_wait" : "pending";
          default -> disposition == null ? "calling" : disposition;
        };
    OffsetDateTime notBefore = row.getOffsetDateTime("not_before");
    return new JsonObject()
        .put("seq", row.getLong("seq"))
        .put("phone_number", row.getString("phone_number"))
        .put("data", row.getJson("data"))
        .put("status", status)
        .put("reason", row.getString("reason"))
        .put("attempts", row.getInteger("attempts"))
        .put("disposition", disposition)
        .put("call_id", Rows.id(row, "call_id"))
        .put(
            "next_attempt_at",
            "pending".equals(state) && notBefore != null && notBefore.getYear() > 1
                ? notBefore.toInstant().toString()
                : null);
  }

  /**
   * The campaign's dialler figures: recipients by state, calls under way, attempts by disposition,
   * and the average talk time of answered calls (from their CDRs).
   */
  static Future<JsonObject> stats(SqlClient client, Campaign campaign) {
    Future<JsonObject> recipients =
        client
            .preparedQuery(
                "SELECT count(*) AS total,"
                    + " count(*) FILTER (WHERE state = 'pending' AND attempts = 0) AS pending,"
                    + " count(*) FILTER (WHERE state = 'pending' AND attempts > 0) AS retry_wait,"
                    + " count(*) FILTER (WHERE state = 'queued' AND disposition IS NOT NULL) AS done,"
                    + " count(*) FILTER (WHERE state = 'skipped') AS skipped,"
                    + " count(*) FILTER (WHERE state = 'canceled') AS canceled"
                    + " FROM campaign_recipients WHERE campaign_id = $1")
            .execute(Tuple.of(campaign.id()))
            .map(
                rows -> {
                  Row r = rows.iterator().next();
                  return new JsonObject()
                      .put("total", r.getLong("total"))
                      .put("pending", r.getLong("pending"))
                      .put("retry_wait", r.getLong("retry_wait"))
                      .put("done", r.getLong("done"))
                      .put("skipped", r.getLong("skipped"))
                      .put("canceled", r.getLong("canceled"));
                });
    Future<JsonObject> calls =
        client
            .preparedQuery(
                "SELECT status, count(*) AS n FROM calls WHERE campaign_id = $1 GROUP BY status")
            .execute(Tuple.of(campaign.id()))
            .map(
                rows -> {
                  JsonObject by = new JsonObject();
                  for (String s :
                      List.of(
                          "queued",
                          "dialing",
                          "ringing",
                          "answered",
                          "completed",
                          "busy",
                          "no_answer",
                          "failed",
                          "canceled",
                          "machine")) {
                    by.put(s, 0L);
                  }
                  rows.forEach(row -> by.put(row.getString("status"), row.getLong("n")));
                  return by;
                });
    Future<JsonObject> cdrs =
        client
            .preparedQuery(
                "SELECT count(*) AS n, avg(talk_seconds) FILTER (WHERE answered_at IS NOT NULL)"
                    + " AS talk FROM cdrs WHERE campaign_id = $1")
            .execute(Tuple.of(campaign.id()))
            .map(
                rows -> {
                  Row r = rows.iterator().next();
                  BigDecimal talk = r.getBigDecimal("talk");
                  return new JsonObject()
                      .put("cdrs", r.getLong("n"))
                      .put(
                          "average_talk_seconds",
                          talk == null
                              ? 0.0
                              : talk.setScale(3, java.math.RoundingMode.HALF_UP).doubleValue());
                });
    return Future.all(recipients, calls, cdrs)
        .map(
            x -> {
              JsonObject by = calls.result();
              long calling =
                  by.getLong("queued")
                      + by.getLong("dialing")
                      + by.getLong("ringing")
                      + by.getLong("answered");
              long attempts = 0;
              for (String k : by.fieldNames()) {
                attempts += by.getLong(k);
              }
              return new JsonObject()
                  .put("id", campaign.id().toString())
                  .put("name", campaign.spec().name())
                  .put("channel", "voice")
                  .put("status", campaign.status())
                  .put("started_at", campaign.startedAt())
                  .put("finished_at", campaign.finishedAt())
                  .put("recipients", recipients.result())
                  .put("calling", calling)
                  .put("answered", by.getLong("completed"))
                  .put("busy", by.getLong("busy"))
                  .put("no_answer", by.getLong("no_answer"))
                  .put("failed", by.getLong("failed"))
                  .put("canceled", by.getLong("canceled"))
                  .put("machine", by.getLong("machine"))
                  .put("attempts", attempts)
                  .put("cdrs", cdrs.result().getLong("cdrs"))
                  .put("average_talk_seconds", cdrs.result().getDouble("average_talk_seconds"))
                  .put("calls_by_status", by);
            });
  }

  /** Rows as a JSON array. */
  static JsonArray array(List<JsonObject> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(out::add);
    return out;
  }
}
