package herald.message;

import herald.channel.OutboundItem;
import herald.channel.Receipt;
import herald.channel.SendOutcome;
import herald.channel.StatusUpdate;
import herald.event.EventType;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The outbound lanes' side of the messages table: claiming due work with {@code FOR UPDATE SKIP
 * LOCKED}, recording what providers did, applying delivery receipts, and requeueing work a crash
 * left in flight. Every status change and its events commit in one transaction.
 *
 * <p>Lock order: every statement that changes several messages locks them in id order ({@code ORDER
 * BY id FOR UPDATE} in a sub-select), and a transaction that takes provider-id advisory locks takes
 * them before any row lock, so two writers cannot deadlock. The sweeps that are not the state's
 * writer (refreshing held messages, taking back stale ones) skip locked rows instead of waiting: a
 * locked message is being written by its lane right now.
 */
public final class MessageQueueStore {
  private final Pool pool;

  public MessageQueueStore(Pool pool) {
    this.pool = pool;
  }

  /** Claims up to {@code limit} due messages of a sender, marking them {@code sending}. */
  public Future<List<OutboundItem>> claim(UUID senderId, int limit) {
    return pool.preparedQuery(
            "UPDATE messages m SET status = 'sending', attempts = m.attempts + 1,"
                + " updated_at = now() FROM (SELECT id FROM messages WHERE sender_id = $1 AND status = 'queued'"
                + " AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) c"
                + " WHERE m.id = c.id"
                + " RETURNING m.id, m.account_id, m.to_number, m.from_number, m.body, m.encoding, m.attempts,"
                + " m.content")
        .execute(Tuple.of(senderId, limit))
        .map(
            rows ->
                Rows.map(
                    rows,
                    row ->
                        new OutboundItem(
                            row.getUUID("id"),
                            row.getUUID("account_id"),
                            row.getString("to_number"),
                            row.getString("from_number"),
                            row.getString("body"),
                            row.getString("encoding"),
                            row.getInteger("attempts"),
                            row.getJsonObject("content"))));
  }

  /**
   * A message a delivery receipt settled.
   *
   * @param status {@code delivered} or {@code undelivered}
   * @param lagSeconds time from its sent record to the receipt's commit
   */
  public record Settled(UUID senderId, String status, double lagSeconds) {}

  /**
   * Records a batch of outcomes: sent (with one part row per provider id), requeued with backoff,
   * or failed; each with its event.
   *
   * @param backoff the retry delay for a message by its attempt count
   * @param maxAttempts a RETRY at or past this many attempts becomes FAILED
   * @return the messages settled by receipts that had arrived before their sent record
   */
  public Future<List<Settled>> record(
      UUID senderId,
      List<SendOutcome> outcomes,
      List<OutboundItem> claimed,
      int maxAttempts,
      Function<Integer, Duration> backoff) {
    List<UUID> sentIds = new ArrayList<>();
    List<String> firstIds = new ArrayList<>();
    List<String> partIds = new ArrayList<>();
    List<UUID> partMessages = new ArrayList<>();
    List<Integer> partNumbers = new ArrayList<>();
    List<UUID> retryIds = new ArrayList<>();
    List<Long> retryDelays = new ArrayList<>();
    List<Boolean> retryCounts = new ArrayList<>();
    List<String> retryCodes = new ArrayList<>();
    List<String> retryMessages = new ArrayList<>();
    List<UUID> failedIds = new ArrayList<>();
    List<String> failedCodes = new ArrayList<>();
    List<String> failedMessages = new ArrayList<>();
    java.util.Map<UUID, Integer> attempts = new java.util.HashMap<>();
    claimed.forEach(m -> attempts.put(m.id(), m.attempts()));
    for (SendOutcome o : outcomes) {
      int attempt = attempts.getOrDefault(o.messageId(), 1);
      switch (o.kind()) {
        case SENT -> {
          sentIds.add(o.messageId());
          firstIds.add(o.providerIds().isEmpty() ? null : o.providerIds().get(0));
          for (int part = 0; part < o.providerIds().size(); part++) {
            partIds.add(o.providerIds().get(part));
            partMessages.add(o.messageId());
            partNumbers.add(part + 1);
          }
        }
        case RETRY, PAUSED -> {
          if (givesUp(o, attempt, maxAttempts)) {
            failedIds.add(o.messageId());
            failedCodes.add(o.errorCode());
            failedMessages.add("gave up after " + attempt + " attempts: " + o.errorMessage());
          } else {
            retryIds.add(o.messageId());
            retryDelays.add(
                o.kind() == SendOutcome.Kind.PAUSED ? 1000L : backoff.apply(attempt).toMillis());
            retryCounts.add(o.kind() == SendOutcome.Kind.RETRY);
            retryCodes.add(o.errorCode());
            retryMessages.add(o.errorMessage());
          }
        }
        case FAILED -> {
          failedIds.add(o.messageId());
          failedCodes.add(o.errorCode());
          failedMessages.add(o.errorMessage());
        }
      }
    }
    return pool.withTransaction(
        tx ->
            markSent(tx, senderId, sentIds, firstIds, partIds, partMessages, partNumbers)
                .compose(
                    settled ->
                        requeue(tx, retryIds, retryDelays, retryCounts, retryCodes, retryMessages)
                            .compose(v -> fail(tx, failedIds, failedCodes, failedMessages))
                            .map(settled)));
  }

  /** Whether an outcome at this attempt fails the message rather than requeueing it. */
  public static boolean givesUp(SendOutcome outcome, int attempt, int maxAttempts) {
    return outcome.kind() == SendOutcome.Kind.FAILED
        || (outcome.kind() == SendOutcome.Kind.RETRY && attempt >= maxAttempts);
  }

  /**
   * Marks messages sent and writes their {@code message.sent} events in one statement: only those
   * still {@code sending} (one taken back by the stale sweep meanwhile is neither changed nor
   * reported), each event snapshotted from the row the update returned.
   */
  private static final String MARK_SENT =
      "WITH sent AS (UPDATE messages m SET status = 'sent', provider_message_id = u.pid,"
          + " sent_at = now(), error_code = NULL, error_message = NULL, updated_at = now()"
          + " FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS u(id, pid, eid), "
          + lockInOrder("$1")
          + " WHERE m.id = u.id AND m.id = l.id AND l.status = 'sending' RETURNING m.*, u.eid),"
          + MessageStore.eventsOf("sent", "$4");

  private static Future<List<Settled>> markSent(
      SqlClient tx,
      UUID senderId,
      List<UUID> ids,
      List<String> firstIds,
      List<String> partIds,
      List<UUID> partMessages,
      List<Integer> partNumbers) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return lockProviderIds(tx, partIds)
        .compose(
            v ->
                tx.preparedQuery(MARK_SENT)
                    .execute(
                        Tuple.of(
                            ids.toArray(UUID[]::new),
                            firstIds.toArray(String[]::new),
                            MessageStore.eventIds(ids.size()),
                            EventType.MESSAGE_SENT.type()))
                    .onSuccess(rows -> Outbox.appended(tx, rows.rowCount())))
        .compose(
            v ->
                tx.preparedQuery(
                        "INSERT INTO message_parts (sender_id, provider_message_id, message_id, part)"
                            + " SELECT $1, p.pid, p.mid, p.part FROM unnest($2::text[], $3::uuid[], $4::int[]) AS p(pid, mid, part)"
                            + " ON CONFLICT DO NOTHING")
                    .execute(
                        Tuple.of(
                            senderId,
                            partIds.toArray(String[]::new),
                            partMessages.toArray(UUID[]::new),
                            partNumbers.toArray(Integer[]::new))))
        .compose(v -> applyPending(tx, senderId, partIds));
  }

  private static Future<Void> requeue(
      SqlClient tx,
      List<UUID> ids,
      List<Long> delays,
      List<Boolean> counts,
      List<String> codes,
      List<String> messages) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(
            "UPDATE messages m SET status = 'queued',"
                + " next_attempt_at = now() + u.delay * interval '1 millisecond',"
                + " attempts = CASE WHEN u.counts THEN m.attempts ELSE m.attempts - 1 END,"
                + " error_code = u.code, error_message = u.msg, updated_at = now()"
                + " FROM unnest($1::uuid[], $2::bigint[], $3::bool[], $4::text[], $5::text[]) AS u(id, delay, counts, code, msg), "
                + lockInOrder("$1")
                + " WHERE m.id = u.id AND m.id = l.id AND l.status = 'sending'")
        .execute(
            Tuple.of(
                ids.toArray(UUID[]::new),
                delays.toArray(Long[]::new),
                counts.toArray(Boolean[]::new),
                codes.toArray(String[]::new),
                messages.toArray(String[]::new)))
        .mapEmpty();
  }

  private static Future<Void> fail(
      SqlClient tx, List<UUID> ids, List<String> codes, List<String> messages) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(
            "UPDATE messages m SET status = 'failed', error_code = u.code, error_message = u.msg,"
                + " done_at = now(), updated_at = now()"
                + " FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, code, msg), "
                + lockInOrder("$1")
                + " WHERE m.id = u.id AND m.id = l.id AND l.status = 'sending'")
        .execute(
            Tuple.of(
                ids.toArray(UUID[]::new),
                codes.toArray(String[]::new),
                messages.toArray(String[]::new)))
        .compose(v -> MessageStore.appendEvents(tx, EventType.MESSAGE_FAILED, ids));
  }

  /**
   * Applies receipts in one transaction. A provider account delivers receipts to any of its
   * sessions, so they are matched against every sender sharing that account. Receipts whose message
   * is not yet recorded as sent (the provider answered faster than the lane committed) are kept in
   * {@code pending_receipts} and applied when the sent record commits; either way the receipt is
   * stored when the returned future succeeds.
   *
   * @param receivedBy the sender whose session received them
   * @param senderIds the senders sharing its provider account, itself included
   * @return the messages these receipts settled (delivered or undelivered)
   */
  public Future<List<Settled>> applyReceipts(
      UUID receivedBy, List<UUID> senderIds, List<Receipt> receipts) {
    return pool.withTransaction(
        tx ->
            lockProviderIds(tx, receipts.stream().map(Receipt::providerId).toList())
                .compose(v -> apply(tx, senderIds, receipts))
                .compose(
                    applied -> {
                      List<Receipt> waiting =
                          receipts.stream()
                              .filter(r -> applied.unmatched().contains(r.providerId()))
                              .toList();
                      if (waiting.isEmpty()) {
                        return Future.succeededFuture(applied.settled());
                      }
                      return tx.preparedQuery(
                              "INSERT INTO pending_receipts (provider_message_id, sender_id, delivered, status,"
                                  + " error_code) SELECT r.pid, $1, r.ok, r.stat, r.err"
                                  + " FROM unnest($2::text[], $3::bool[], $4::text[], $5::text[]) AS r(pid, ok, stat, err)")
                          .execute(
                              Tuple.of(
                                  receivedBy,
                                  waiting.stream().map(Receipt::providerId).toArray(String[]::new),
                                  waiting.stream().map(Receipt::delivered).toArray(Boolean[]::new),
                                  waiting.stream().map(Receipt::status).toArray(String[]::new),
                                  waiting.stream().map(Receipt::errorCode).toArray(String[]::new)))
                          .map(applied.settled());
                    }));
  }

  /**
   * Serialises the sent record and receipts of the same provider ids: whichever commits second sees
   * the other's rows, so a receipt parked as pending is always applied. Locks are taken in hash
   * order, so two such transactions cannot deadlock; they end with the transaction.
   */
  private static Future<Void> lockProviderIds(SqlClient tx, List<String> providerIds) {
    if (providerIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(
            "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(p) AS h"
                + " FROM unnest($1::text[]) AS p ORDER BY h) AS locks")
        .execute(Tuple.from(new Object[] {providerIds.toArray(String[]::new)}))
        .mapEmpty();
  }

  /**
   * Applies the receipts that arrived before these parts were recorded; part of the sent
   * transaction.
   */
  private static Future<List<Settled>> applyPending(
      SqlClient tx, UUID senderId, List<String> partIds) {
    return tx.preparedQuery(
            "DELETE FROM pending_receipts WHERE provider_message_id = ANY($1)"
                + " RETURNING provider_message_id, delivered, status, error_code")
        .execute(Tuple.from(new Object[] {partIds.toArray(String[]::new)}))
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                return Future.succeededFuture(List.<Settled>of());
              }
              List<Receipt> receipts = new ArrayList<>();
              rows.forEach(
                  row ->
                      receipts.add(
                          new Receipt(
                              row.getString("provider_message_id"),
                              row.getBoolean("delivered"),
                              row.getString("status"),
                              row.getString("error_code"))));
              return apply(tx, List.of(senderId), receipts).map(Applied::settled);
            });
  }

  /** What applying receipts did: the provider ids that matched no part, the messages settled. */
  private record Applied(java.util.Set<String> unmatched, List<Settled> settled) {}

  /** Applies receipts in {@code tx}. */
  private static Future<Applied> apply(SqlClient tx, List<UUID> senderIds, List<Receipt> receipts) {
    String[] pids = receipts.stream().map(Receipt::providerId).toArray(String[]::new);
    Boolean[] ok = receipts.stream().map(Receipt::delivered).toArray(Boolean[]::new);
    String[] stats = receipts.stream().map(Receipt::status).toArray(String[]::new);
    String[] errs = receipts.stream().map(Receipt::errorCode).toArray(String[]::new);
    return tx.preparedQuery(
            "WITH r AS (SELECT * FROM unnest($2::text[], $3::bool[], $4::text[], $5::text[]) AS r(pid, ok, stat, err)),"
                // One primary-key probe per receipt and sender: LIMIT keeps the planner from
                // flattening the lookup into a scan of every part of the senders, which it picks
                // when the table grew faster than its statistics (a busy sender's first minutes).
                + " p AS (SELECT mp.message_id, r.* FROM r CROSS JOIN unnest($1::uuid[]) AS s(id),"
                + " LATERAL (SELECT x.message_id FROM message_parts x"
                + " WHERE x.sender_id = s.id AND x.provider_message_id = r.pid LIMIT 1) mp),"
                + " agg AS (SELECT message_id, count(*) FILTER (WHERE ok) AS delivered, bool_or(NOT ok) AS bad,"
                + " max(err) FILTER (WHERE NOT ok) AS err, max(stat) FILTER (WHERE NOT ok) AS stat,"
                + " (SELECT count(*) FROM message_parts x WHERE x.message_id = p.message_id) AS parts"
                + " FROM p GROUP BY message_id),"
                // = ANY(ARRAY(...)) probes the primary key; IN (SELECT ...) let the planner scan
                // every message for status 'sent' when the statistics were stale.
                + " l AS (SELECT x.id FROM messages x WHERE x.id = ANY(ARRAY(SELECT message_id FROM agg))"
                + " AND x.status = 'sent' ORDER BY x.id FOR UPDATE),"
                + " upd AS (UPDATE messages m SET parts_delivered = m.parts_delivered + agg.delivered,"
                + " status = CASE WHEN agg.bad THEN 'undelivered'"
                + " WHEN m.parts_delivered + agg.delivered >= agg.parts THEN 'delivered' ELSE m.status END,"
                + " error_code = CASE WHEN agg.bad THEN agg.err ELSE m.error_code END,"
                + " error_message = CASE WHEN agg.bad THEN 'delivery receipt: ' || agg.stat ELSE m.error_message END,"
                + " done_at = CASE WHEN agg.bad OR m.parts_delivered + agg.delivered >= agg.parts THEN now() ELSE m.done_at END,"
                + " updated_at = now()"
                + " FROM agg, l WHERE m.id = agg.message_id AND m.id = l.id"
                + " RETURNING m.id, m.status, m.sender_id, extract(epoch FROM now() - m.sent_at)::float8 AS lag)"
                + " SELECT 'u' AS kind, id::text AS value, status, sender_id, lag FROM upd"
                + " UNION ALL SELECT 'm', r.pid, NULL, NULL, NULL FROM r"
                + " WHERE NOT EXISTS (SELECT 1 FROM p WHERE p.pid = r.pid)")
        .execute(Tuple.of(senderIds.toArray(UUID[]::new), pids, ok, stats, errs))
        .compose(
            rows -> {
              List<UUID> delivered = new ArrayList<>();
              List<UUID> undelivered = new ArrayList<>();
              List<Settled> settled = new ArrayList<>();
              java.util.Set<String> unmatched = new java.util.HashSet<>();
              rows.forEach(
                  row -> {
                    String status = row.getString("status");
                    if (row.getString("kind").equals("m")) {
                      unmatched.add(row.getString("value"));
                    } else if ("delivered".equals(status) || "undelivered".equals(status)) {
                      (status.equals("delivered") ? delivered : undelivered)
                          .add(UUID.fromString(row.getString("value")));
                      Double lag = row.getDouble("lag");
                      settled.add(
                          new Settled(row.getUUID("sender_id"), status, lag == null ? 0 : lag));
                    }
                  });
              return MessageStore.appendEvents(tx, EventType.MESSAGE_DELIVERED, delivered)
                  .compose(
                      v ->
                          MessageStore.appendEvents(tx, EventType.MESSAGE_UNDELIVERED, undelivered))
                  .map(new Applied(unmatched, settled));
            });
  }

  /** The statuses a status report may move a message to, with the statuses it may move from. */
  private static final java.util.Map<String, List<String>> STATUS_FROM =
      java.util.Map.of(
          "delivered", List.of("sent"),
          "read", List.of("sent", "delivered"),
          "failed", List.of("sent"));

  /**
   * Applies one status report ({@link StatusUpdate}) of a sender that reports every step, in one
   * transaction: its pricing is recorded when it carries any, and the message moves forward ({@code
   * sent} → {@code delivered} → {@code read}, or {@code sent} → {@code failed}) with its {@code
   * message.delivered}, {@code message.read} or {@code message.failed} event. A report that does
   * not move the message forward (a duplicate, {@code sent} after the send was recorded, {@code
   * delivered} after {@code read}) changes nothing else, so redeliveries apply once.
   *
   * @return false when no message of the sender has this provider id yet while some of its messages
   *     are being sent (the report outran the sent record: deliver it again later); true otherwise
   */
  public Future<Boolean> applyStatus(UUID senderId, StatusUpdate update) {
    List<String> from = STATUS_FROM.getOrDefault(update.status(), List.of());
    EventType event =
        switch (update.status()) {
          case "delivered" -> EventType.MESSAGE_DELIVERED;
          case "read" -> EventType.MESSAGE_READ;
          case "failed" -> EventType.MESSAGE_FAILED;
          default -> null;
        };
    return pool.withTransaction(
        tx ->
            lockProviderIds(tx, List.of(update.providerId()))
                .compose(
                    v ->
                        tx.preparedQuery(
                                "SELECT m.id, m.status, m.pricing FROM message_parts mp"
                                    + " JOIN messages m ON m.id = mp.message_id"
                                    + " WHERE mp.sender_id = $1 AND mp.provider_message_id = $2"
                                    + " FOR UPDATE OF m")
                            .execute(Tuple.of(senderId, update.providerId())))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return tx.preparedQuery(
                                "SELECT 1 FROM messages WHERE sender_id = $1 AND status = 'sending'"
                                    + " LIMIT 1")
                            .execute(Tuple.of(senderId))
                            .map(sending -> sending.rowCount() == 0);
                      }
                      io.vertx.sqlclient.Row row = rows.iterator().next();
                      UUID id = row.getUUID("id");
                      boolean moves = from.contains(row.getString("status"));
                      io.vertx.core.json.JsonObject pricing =
                          update.pricing() == null
                              ? row.getJsonObject("pricing")
                              : (row.getJsonObject("pricing") == null
                                      ? new io.vertx.core.json.JsonObject()
                                      : row.getJsonObject("pricing").copy())
                                  .mergeIn(update.pricing());
                      if (!moves) {
                        if (update.pricing() == null
                            || pricing.equals(row.getJsonObject("pricing"))) {
                          return Future.succeededFuture(true);
                        }
                        return tx.preparedQuery("UPDATE messages SET pricing = $2 WHERE id = $1")
                            .execute(Tuple.of(id, pricing))
                            .map(true);
                      }
                      boolean failed = update.status().equals("failed");
                      return tx.preparedQuery(
                              "UPDATE messages SET status = $2, pricing = $3,"
                                  + " error_code = CASE WHEN $4 THEN $5 ELSE error_code END,"
                                  + " error_message = CASE WHEN $4 THEN $6 ELSE error_message END,"
                                  + " done_at = coalesce(done_at, now()), updated_at = now()"
                                  + " WHERE id = $1")
                          .execute(
                              Tuple.of(
                                  id,
                                  update.status(),
                                  pricing,
                                  failed,
                                  update.errorCode(),
                                  update.errorMessage()))
                          .compose(x -> MessageStore.appendEvents(tx, event, List.of(id)))
                          .map(true);
                    }));
  }

  /**
   * Drops receipts that never matched a message (for traffic Herald did not send); returns how
   * many.
   */
  public Future<Integer> purgePendingReceipts(Duration olderThan) {
    return pool.preparedQuery(
            "DELETE FROM pending_receipts WHERE received_at < now() - $1 * interval '1 millisecond'")
        .execute(Tuple.of(olderThan.toMillis()))
        .map(rows -> rows.rowCount());
  }

  /**
   * Marks messages still held by a live lane (waiting for a capacity slot or for the provider) as
   * fresh, so {@link #requeueStale} takes only what a dead process left behind. Skips the rows
   * being written right now (their outcome refreshes them anyway) instead of waiting for them, so
   * it can never take part in a deadlock.
   */
  public Future<Void> touch(List<UUID> held) {
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(
            "UPDATE messages m SET updated_at = now() FROM (SELECT id, status FROM messages"
                + " WHERE id = ANY($1) ORDER BY id OFFSET 0 FOR UPDATE SKIP LOCKED) l"
                + " WHERE m.id = l.id AND l.status = 'sending'")
        .execute(Tuple.from(new Object[] {held.toArray(UUID[]::new)}))
        .mapEmpty();
  }

  /**
   * A sub-select, aliased {@code l}, that locks the messages of id array {@code param} in id order
   * and yields each one's {@code id} and current {@code status} (a locked row is read in its latest
   * version). It filters on nothing but the id, so it probes the primary key; the caller checks
   * {@code l.status}, and {@code OFFSET 0} keeps the planner from pushing that check down into the
   * scan. A status condition on the scan lets the planner read the partial {@code status =
   * 'sending'} index instead, whose dead entries grow with the traffic until vacuum.
   */
  private static String lockInOrder(String param) {
    return "(SELECT id, status FROM messages WHERE id = ANY("
        + param
        + ") ORDER BY id OFFSET 0 FOR UPDATE) l";
  }

  /**
   * Takes back messages claimed longer than {@code staleAfter} ago (their process died), in one
   * transaction. Those of a stopped campaign are canceled ({@code campaign_stopped}, with their
   * {@code message.canceled} events), as the stop canceled its other queued messages; those of a
   * paused campaign are queued held, as the pause held its other queued messages; the rest are
   * queued again. So a pause or a stop taken before a crash still holds after it.
   *
   * @return how many messages were taken back (canceled or queued)
   */
  public Future<Integer> requeueStale(Duration staleAfter) {
    Tuple stale = Tuple.of(staleAfter.toMillis());
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE messages m SET status = 'canceled', error_code = 'campaign_stopped',"
                        + " done_at = now(), updated_at = now()"
                        + " FROM (SELECT id FROM messages WHERE status = 'sending'"
                        + " AND updated_at < now() - $1 * interval '1 millisecond'"
                        + " ORDER BY id FOR UPDATE SKIP LOCKED) l"
                        + " WHERE m.id = l.id"
                        + " AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = m.campaign_id"
                        + " AND c.status = 'stopped') RETURNING m.id")
                .execute(stale)
                .compose(
                    canceled -> {
                      List<UUID> ids = new ArrayList<>();
                      canceled.forEach(row -> ids.add(row.getUUID("id")));
                      return MessageStore.appendEvents(tx, EventType.MESSAGE_CANCELED, ids)
                          .map(ids.size());
                    })
                .compose(
                    canceled ->
                        tx.preparedQuery(
                                "UPDATE messages m SET status = 'queued', updated_at = now(),"
                                    + " next_attempt_at = CASE WHEN EXISTS (SELECT 1 FROM campaigns c"
                                    + " WHERE c.id = m.campaign_id AND c.status = 'paused')"
                                    + " THEN 'infinity'::timestamptz ELSE now() END"
                                    + " FROM (SELECT id FROM messages WHERE status = 'sending'"
                                    + " AND updated_at < now() - $1 * interval '1 millisecond'"
                                    + " ORDER BY id FOR UPDATE SKIP LOCKED) l"
                                    + " WHERE m.id = l.id")
                            .execute(stale)
                            .map(rows -> canceled + rows.rowCount())));
  }
}
