package herald.message;

import herald.channel.OutboundItem;
import herald.channel.SendOutcome;
import herald.event.EventType;
import herald.platform.database.Outbox;
import herald.platform.database.Pipelined;
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
 * LOCKED}, recording what providers did, and requeueing work a crash left in flight (receipts are
 * {@link ReceiptStore}'s). Every status change and its events commit in one transaction.
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
    // Unflushed: a claim lost with PostgreSQL leaves its messages queued, which is what the
    // sweep of stale claims would make of them anyway; whatever of them was sent is recorded by
    // a durable sent record, whose commit flushes the claim's WAL too.
    return Pipelined.unflushedTransaction(
        pool,
        tx ->
            tx.preparedQuery(
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
                                    row.getJsonObject("content")))));
  }

  /**
   * Records a batch of outcomes: sent (with one part row per provider id), requeued with backoff,
   * or failed; each with its event.
   *
   * @param backoff the retry delay for a message by its attempt count
   * @param maxAttempts a RETRY at or past this many attempts becomes FAILED
   * @return the messages settled by receipts that had arrived before their sent record
   */
  public Future<List<ReceiptStore.Settled>> record(
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
    List<Integer> partCounts = new ArrayList<>();
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
          partCounts.add(o.providerIds().size());
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
    return Pipelined.chainedTransaction(
        pool,
        tx -> {
          Future<List<ReceiptStore.Settled>> settled =
              markSent(
                  tx,
                  senderId,
                  new SentParts(sentIds, firstIds, partCounts, partIds, partMessages, partNumbers));
          Future<Void> requeued =
              requeue(tx, retryIds, retryDelays, retryCounts, retryCodes, retryMessages);
          Future<Void> failed = fail(tx, failedIds, failedCodes, failedMessages);
          return Future.all(settled, requeued, failed).map(v -> settled.result());
        });
  }

  /** Whether an outcome at this attempt fails the message rather than requeueing it. */
  public static boolean givesUp(SendOutcome outcome, int attempt, int maxAttempts) {
    return outcome.kind() == SendOutcome.Kind.FAILED
        || (outcome.kind() == SendOutcome.Kind.RETRY && attempt >= maxAttempts);
  }

  /**
   * Marks messages sent, writes their provider parts and their {@code message.sent} events in one
   * statement: only those still {@code sending} are marked (one taken back by the stale sweep
   * meanwhile is neither changed nor reported), each with its number of provider ids (what its
   * receipts must add up to; passed with the message rather than counted from the parts written, as
   * a join of the update with those would be planned as a loop over all of them per message), each
   * event snapshotted from the row the update returned.
   */
  private static final String MARK_SENT =
      "WITH parts AS (INSERT INTO message_parts (sender_id, provider_message_id, message_id, part)"
          + " SELECT $5, p.pid, p.mid, p.part FROM unnest($6::text[], $7::uuid[], $8::int[])"
          + " AS p(pid, mid, part) ON CONFLICT DO NOTHING),"
          + " sent AS (UPDATE messages m SET status = 'sent', provider_message_id = l.pid,"
          + " parts = l.n, sent_at = now(), error_code = NULL, error_message = NULL,"
          + " updated_at = now()"
          + " FROM "
          + lockInOrder(
              "unnest($1::uuid[], $2::text[], $3::uuid[], $9::int[]) AS u(id, pid, eid, n)")
          + " WHERE m.id = l.id AND l.status = 'sending' RETURNING m.*, l.eid),"
          + MessageEvents.eventsOf("sent", "$4");

  /**
   * The sent outcomes of a record: per message its id, first provider id and number of provider
   * ids; per part its provider id, message and number.
   */
  private record SentParts(
      List<UUID> ids,
      List<String> firstIds,
      List<Integer> partCounts,
      List<String> partIds,
      List<UUID> partMessages,
      List<Integer> partNumbers) {}

  private static Future<List<ReceiptStore.Settled>> markSent(
      SqlClient tx, UUID senderId, SentParts sent) {
    if (sent.ids().isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    // Written without waiting for each other (Pipelined): the provider-id locks before the row
    // locks, as every writer of these ids takes them.
    Future<Void> locked = ReceiptStore.lockProviderIds(tx, sent.partIds());
    Future<?> marked =
        tx.preparedQuery(MARK_SENT)
            .execute(
                Tuple.from(
                    new Object[] {
                      sent.ids().toArray(UUID[]::new),
                      sent.firstIds().toArray(String[]::new),
                      MessageEvents.eventIds(sent.ids().size()),
                      EventType.MESSAGE_SENT.type(),
                      senderId,
                      sent.partIds().toArray(String[]::new),
                      sent.partMessages().toArray(UUID[]::new),
                      sent.partNumbers().toArray(Integer[]::new),
                      sent.partCounts().toArray(Integer[]::new)
                    }))
            .onSuccess(rows -> Outbox.appended(tx, rows.rowCount()));
    Future<List<ReceiptStore.Settled>> pending =
        ReceiptStore.applyPending(tx, senderId, sent.partIds());
    return Future.all(locked, marked, pending).map(v -> pending.result());
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
                + " next_attempt_at = now() + l.delay * interval '1 millisecond',"
                + " attempts = CASE WHEN l.counts THEN m.attempts ELSE m.attempts - 1 END,"
                + " error_code = l.code, error_message = l.msg, updated_at = now() FROM "
                + lockInOrder(
                    "unnest($1::uuid[], $2::bigint[], $3::bool[], $4::text[], $5::text[])"
                        + " AS u(id, delay, counts, code, msg)")
                + " WHERE m.id = l.id AND l.status = 'sending'")
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
            "UPDATE messages m SET status = 'failed', error_code = l.code, error_message = l.msg,"
                + " done_at = now(), updated_at = now() FROM "
                + lockInOrder("unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, code, msg)")
                + " WHERE m.id = l.id AND l.status = 'sending'")
        .execute(
            Tuple.of(
                ids.toArray(UUID[]::new),
                codes.toArray(String[]::new),
                messages.toArray(String[]::new)))
        .compose(v -> MessageEvents.appendEvents(tx, EventType.MESSAGE_FAILED, ids));
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
   * A sub-select, aliased {@code l}, that locks the messages named by the rows of {@code input} (an
   * {@code unnest(...) AS u(id, ...)} of the statement's arrays) in id order, and yields each input
   * row with the message's current {@code status} (a locked row is read in its latest version). The
   * input is joined here, once, on the primary key: joined again in the outer statement, the
   * planner (which guesses ten rows for an {@code unnest} of a parameter) rescanned it for every
   * message, so that statement grew with the square of the batch (178 ms for 1,000 messages,
   * against 45–79 ms now). It filters on nothing but the id; the caller checks {@code l.status},
   * and {@code OFFSET 0} keeps the planner from pushing that check down into the scan. A status
   * condition on the scan lets the planner read the partial {@code status = 'sending'} index
   * instead, whose dead entries grow with the traffic until vacuum.
   */
  private static String lockInOrder(String input) {
    return "(SELECT x.status, u.* FROM "
        + input
        + " JOIN messages x ON x.id = u.id ORDER BY x.id OFFSET 0 FOR UPDATE OF x) l";
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
                      return MessageEvents.appendEvents(tx, EventType.MESSAGE_CANCELED, ids)
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
