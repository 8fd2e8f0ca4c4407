package herald.campaign;

import herald.blacklist.BlacklistStore;
import herald.event.EventType;
import herald.message.MessageEvents;
import herald.message.MessageStore;
import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The engine's SQL over a campaign's recipients and the messages made for them: adding recipients,
 * snapshotting the audience, taking due recipients, and the campaign-wide changes that pause, stop
 * and retry do to its messages. Every change commits with its events.
 */
final class RecipientStore {
  /** Rows per statement when adding recipients. */
  static final int CHUNK = 5000;

  private RecipientStore() {}

  /**
   * A recipient to add: a valid E.164 number with its variables, or the raw text of an invalid one
   * with {@code skipReason}.
   */
  record NewRecipient(String phone, JsonObject data, String timezone, String skipReason) {}

  /** Deletes the campaign's inline recipients (those not taken from a contact). */
  static Future<Void> deleteInline(SqlClient tx, UUID campaignId) {
    return tx.preparedQuery(
            "DELETE FROM campaign_recipients WHERE campaign_id = $1 AND contact_id IS NULL")
        .execute(Tuple.of(campaignId))
        .mapEmpty();
  }

  /**
   * Adds recipients (in statements of {@value #CHUNK}); a number already in the campaign is not
   * added again.
   *
   * @return how many were added; the rest were duplicates
   */
  static Future<Integer> add(SqlClient tx, UUID campaignId, List<NewRecipient> recipients) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (int from = 0; from < recipients.size(); from += CHUNK) {
      List<NewRecipient> chunk =
          recipients.subList(from, Math.min(recipients.size(), from + CHUNK));
      chain = chain.compose(done -> addChunk(tx, campaignId, chunk).map(n -> done + n));
    }
    return chain;
  }

  /**
   * Adds a few recipients (at most {@link #LISTED}) like {@link #add}, answering the sequence
   * numbers of those added, in input order (duplicates dropped).
   */
  static Future<List<Long>> addListed(SqlClient tx, UUID campaignId, List<NewRecipient> few) {
    return insert(tx, campaignId, few, " RETURNING seq")
        .map(
            rows -> {
              List<Long> seqs = new java.util.ArrayList<>();
              rows.forEach(row -> seqs.add(row.getLong("seq")));
              java.util.Collections.sort(seqs);
              return seqs;
            });
  }

  /** At most this many recipients are added with their sequence numbers answered. */
  static final int LISTED = 1000;

  private static Future<Integer> addChunk(SqlClient tx, UUID campaignId, List<NewRecipient> chunk) {
    return insert(tx, campaignId, chunk, "").map(rows -> rows.rowCount());
  }

  private static Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> insert(
      SqlClient tx, UUID campaignId, List<NewRecipient> chunk, String returning) {
    int n = chunk.size();
    String[] phones = new String[n];
    String[] data = new String[n];
    String[] zones = new String[n];
    String[] reasons = new String[n];
    for (int i = 0; i < n; i++) {
      NewRecipient r = chunk.get(i);
      phones[i] = r.phone();
      data[i] = r.data() == null || r.data().isEmpty() ? null : r.data().encode();
      zones[i] = r.timezone();
      reasons[i] = r.skipReason();
    }
    return tx.preparedQuery(
            "INSERT INTO campaign_recipients (campaign_id, phone_number, data, timezone, state, reason)"
                + " SELECT $1, t.phone, t.data::jsonb, t.tz, CASE WHEN t.reason IS NULL THEN 'pending' ELSE 'skipped' END,"
                + " t.reason FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY"
                + " AS t(phone, data, tz, reason, ord) ORDER BY t.ord ON CONFLICT DO NOTHING"
                + returning)
        .execute(Tuple.of(campaignId, phones, data, zones, reasons));
  }

  /** Removes one recipient of the campaign; answers whether it was there. */
  static Future<Boolean> delete(SqlClient tx, UUID campaignId, long seq) {
    return tx.preparedQuery("DELETE FROM campaign_recipients WHERE campaign_id = $1 AND seq = $2")
        .execute(Tuple.of(campaignId, seq))
        .map(rows -> rows.rowCount() > 0);
  }

  /**
   * Snapshots the next chunk of the campaign's groups and contacts (active contacts only, in id
   * order after {@code after}) into its recipients. A contact whose number is already an inline
   * recipient is not added again (the inline recipient, with its own data, stands). Safe to repeat
   * after a crash.
   *
   * @return the last contact id of the chunk, or null when the audience is done
   */
  static Future<UUID> snapshot(SqlClient tx, Campaign campaign, UUID after, int limit) {
    return tx.preparedQuery(
            "WITH chunk AS (SELECT c.id, c.phone_number, c.timezone FROM contacts c"
                + " WHERE c.account_id = $2 AND c.status = 'active' AND c.id > $3"
                + " AND (c.id = ANY($4) OR EXISTS (SELECT 1 FROM contact_group_members g"
                + " WHERE g.contact_id = c.id AND g.group_id = ANY($5)))"
                + " ORDER BY c.id LIMIT $6),"
                + " ins AS (INSERT INTO campaign_recipients (campaign_id, phone_number, contact_id, timezone)"
                + " SELECT $1, phone_number, id, timezone FROM chunk ORDER BY id"
                + " ON CONFLICT (campaign_id, phone_number) DO NOTHING RETURNING 1)"
                + " SELECT (SELECT id FROM chunk ORDER BY id DESC LIMIT 1) AS last,"
                + " (SELECT count(*) FROM ins) AS added")
        .execute(
            Tuple.from(
                new Object[] {
                  campaign.id(),
                  campaign.accountId(),
                  after == null ? new UUID(0, 0) : after,
                  campaign.spec().contactIds().toArray(UUID[]::new),
                  campaign.spec().groupIds().toArray(UUID[]::new),
                  limit
                }))
        .map(rows -> rows.iterator().next().getUUID("last"));
  }

  /** A due recipient, with what personalises its message. */
  record Due(
      long seq,
      String phone,
      JsonObject data,
      String timezone,
      int attempts,
      boolean blacklisted,
      JsonObject contact) {}

  /** Locks up to {@code limit} due pending recipients, in order, for the rest of {@code tx}. */
  static Future<List<Due>> takeDue(SqlClient tx, Campaign campaign, Instant now, int limit) {
    return tx.preparedQuery(
            "SELECT r.seq, r.phone_number, r.data, r.timezone, r.attempts,"
                + " "
                + BlacklistStore.listedSql("$2", "r.phone_number")
                + " AS blacklisted,"
                + " CASE WHEN c.id IS NULL THEN NULL ELSE jsonb_build_object('name', c.name, 'first_name', c.first_name,"
                + " 'last_name', c.last_name, 'email', c.email, 'timezone', c.timezone,"
                + " 'custom_fields', c.custom_fields) END AS contact"
                + " FROM campaign_recipients r LEFT JOIN contacts c ON c.id = r.contact_id"
                + " WHERE r.campaign_id = $1 AND r.state = 'pending' AND r.not_before <= $3"
                + " ORDER BY r.not_before, r.seq LIMIT $4 FOR UPDATE OF r SKIP LOCKED")
        .execute(Tuple.of(campaign.id(), campaign.accountId(), now.atOffset(ZoneOffset.UTC), limit))
        .map(
            rows ->
                Rows.map(
                    rows,
                    (Row row) ->
                        new Due(
                            row.getLong("seq"),
                            row.getString("phone_number"),
                            (JsonObject) row.getJson("data"),
                            row.getString("timezone"),
                            row.getInteger("attempts"),
                            row.getBoolean("blacklisted"),
                            (JsonObject) row.getJson("contact"))));
  }

  /**
   * What became of one taken recipient: queued with a message, skipped or deferred (left pending
   * until {@code notBefore}).
   */
  record Outcome(
      long seq,
      String state,
      String reason,
      UUID messageId,
      String variant,
      String operator,
      Instant notBefore) {}

  /** Records what became of taken recipients and inserts their messages, in {@code tx}. */
  static Future<Void> record(
      SqlClient tx,
      Campaign campaign,
      List<Outcome> outcomes,
      List<MessageStore.NewMessage> messages) {
    int n = outcomes.size();
    Long[] seqs = new Long[n];
    String[] states = new String[n];
    String[] reasons = new String[n];
    UUID[] ids = new UUID[n];
    String[] variants = new String[n];
    String[] operators = new String[n];
    OffsetDateTime[] notBefore = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      seqs[i] = o.seq();
      states[i] = o.state();
      reasons[i] = o.reason();
      ids[i] = o.messageId();
      variants[i] = o.variant();
      operators[i] = o.operator();
      notBefore[i] = o.notBefore() == null ? null : o.notBefore().atOffset(ZoneOffset.UTC);
    }
    Future<Void> inserted =
        messages.isEmpty()
            ? Future.succeededFuture()
            : MessageStore.insert(
                tx,
                campaign.accountId(),
                campaign.id(),
                "outbound",
                "queued",
                messages,
                EventType.MESSAGE_QUEUED);
    return inserted.compose(
        v ->
            tx.preparedQuery(
                    "UPDATE campaign_recipients r SET state = u.state, reason = u.reason,"
                        + " message_id = coalesce(u.mid, r.message_id),"
                        + " variant = coalesce(u.variant, r.variant), operator = coalesce(u.op, r.operator),"
                        + " attempts = r.attempts + CASE WHEN u.mid IS NULL THEN 0 ELSE 1 END,"
                        + " not_before = coalesce(u.nb, r.not_before), updated_at = now()"
                        + " FROM unnest($2::bigint[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[],"
                        + " $8::timestamptz[]) AS u(seq, state, reason, mid, variant, op, nb)"
                        + " WHERE r.campaign_id = $1 AND r.seq = u.seq")
                .execute(
                    Tuple.from(
                        new Object[] {
                          campaign.id(), seqs, states, reasons, ids, variants, operators, notBefore
                        }))
                .mapEmpty());
  }

  /**
   * The campaign's messages still waiting in the queue, and those being sent, each counted up to
   * {@code cap} (so that a deep queue costs a bounded index scan, every tick).
   */
  record InFlight(long queued, long sending) {}

  static Future<InFlight> inFlight(SqlClient client, UUID campaignId, int cap) {
    return client
        .preparedQuery(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM messages WHERE campaign_id = $1"
                + " AND status = 'queued' LIMIT $2) q) AS queued,"
                + " (SELECT count(*) FROM (SELECT 1 FROM messages WHERE campaign_id = $1"
                + " AND status = 'sending' LIMIT $2) s) AS sending")
        .execute(Tuple.of(campaignId, cap))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new InFlight(row.getLong("queued"), row.getLong("sending"));
            });
  }

  /** When the next pending recipient falls due (null when none is pending). */
  static Future<Instant> nextDue(SqlClient client, UUID campaignId) {
    return client
        .preparedQuery(
            "SELECT min(not_before) AS due FROM campaign_recipients"
                + " WHERE campaign_id = $1 AND state = 'pending'")
        .execute(Tuple.of(campaignId))
        .map(
            rows -> {
              OffsetDateTime due = rows.iterator().next().getOffsetDateTime("due");
              return due == null ? null : due.toInstant();
            });
  }

  /**
   * Makes recipients whose message failed pending again, to be retried after {@code delaySeconds};
   * with {@code belowAttempts} only those tried fewer times than that.
   *
   * @return how many were made pending
   */
  static Future<Integer> retryFailed(
      SqlClient tx, UUID campaignId, Integer belowAttempts, int delaySeconds) {
    return tx.preparedQuery(
            "UPDATE campaign_recipients r SET state = 'pending', reason = NULL, updated_at = now(),"
                + " not_before = greatest(now(), coalesce(m.done_at, now()) + $3 * interval '1 second')"
                + " FROM messages m WHERE m.campaign_id = $1 AND m.status IN ('failed', 'undelivered')"
                + " AND r.campaign_id = $1 AND r.message_id = m.id AND r.state = 'queued'"
                + " AND ($2::int IS NULL OR r.attempts < $2)")
        .execute(Tuple.of(campaignId, belowAttempts, delaySeconds))
        .map(rows -> rows.rowCount());
  }

  /** Holds the campaign's queued messages (pause): the engine claims none of them until resumed. */
  static Future<Void> hold(SqlClient tx, UUID campaignId) {
    return tx.preparedQuery(
            "UPDATE messages SET next_attempt_at = 'infinity', updated_at = now()"
                + " WHERE campaign_id = $1 AND status = 'queued'")
        .execute(Tuple.of(campaignId))
        .mapEmpty();
  }

  /**
   * Releases held messages (resume), spaced {@code spacingMs} apart from now in their original
   * order so they do not go out as a burst.
   */
  static Future<Void> release(SqlClient tx, UUID campaignId, double spacingMs) {
    return tx.preparedQuery(
            "UPDATE messages m SET next_attempt_at = now() + o.n * $2 * interval '1 millisecond',"
                + " updated_at = now() FROM (SELECT id, row_number() OVER (ORDER BY scheduled_at, id) - 1 AS n"
                + " FROM messages WHERE campaign_id = $1 AND status = 'queued') o WHERE m.id = o.id")
        .execute(Tuple.of(campaignId, spacingMs))
        .mapEmpty();
  }

  /**
   * Stops a campaign's remaining work: its queued messages are canceled (with their events) and its
   * pending recipients marked canceled.
   *
   * @return how many messages were canceled
   */
  static Future<Integer> cancelRemaining(SqlClient tx, UUID campaignId) {
    return tx.preparedQuery(
            "UPDATE messages SET status = 'canceled', error_code = 'campaign_stopped',"
                + " done_at = now(), updated_at = now()"
                + " WHERE campaign_id = $1 AND status = 'queued' RETURNING id")
        .execute(Tuple.of(campaignId))
        .compose(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID("id")));
              return MessageEvents.appendEvents(tx, EventType.MESSAGE_CANCELED, ids)
                  .map(ids.size());
            })
        .compose(
            canceled ->
                tx.preparedQuery(
                        "UPDATE campaign_recipients SET state = 'canceled', reason = 'campaign_stopped',"
                            + " updated_at = now() WHERE campaign_id = $1 AND state = 'pending'")
                    .execute(Tuple.of(campaignId))
                    .map(canceled));
  }

  /**
   * Copies a campaign's own recipients (inline numbers and CSV rows, not its snapshotted contacts)
   * into another: a recurring campaign's run, or a clone.
   */
  static Future<Void> copy(SqlClient tx, UUID from, UUID to) {
    return tx.preparedQuery(
            "INSERT INTO campaign_recipients (campaign_id, phone_number, contact_id, data, timezone, state, reason)"
                + " SELECT $2, phone_number, contact_id, data, timezone,"
                + " CASE WHEN state = 'skipped' THEN 'skipped' ELSE 'pending' END,"
                + " CASE WHEN state = 'skipped' THEN reason END"
                + " FROM campaign_recipients WHERE campaign_id = $1 AND contact_id IS NULL ORDER BY seq")
        .execute(Tuple.of(from, to))
        .mapEmpty();
  }
}
