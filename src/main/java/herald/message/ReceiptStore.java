package herald.message;

import herald.channel.Receipt;
import herald.channel.StatusUpdate;
import herald.event.EventType;
import herald.platform.database.Outbox;
import herald.platform.database.Pipelined;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What providers report after a send, applied to the messages table: SMPP delivery receipts (in
 * batches, parked as pending when they outran the sent record) and the step-by-step status reports
 * of senders such as WhatsApp. Each status change commits with its event.
 *
 * <p>Lock order as in {@link MessageQueueStore}: provider-id advisory locks first, in hash order,
 * then message rows in id order.
 */
public final class ReceiptStore {
  private final Pool pool;

  public ReceiptStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * A message a delivery receipt settled.
   *
   * @param status {@code delivered} or {@code undelivered}
   * @param lagSeconds time from its sent record to the receipt's commit
   */
  public record Settled(UUID senderId, String status, double lagSeconds) {}

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
    return Pipelined.chainedTransaction(
        pool,
        tx -> {
          // Written without waiting for each other (Pipelined), in this order.
          Future<Void> locked =
              lockProviderIds(tx, receipts.stream().map(Receipt::providerId).toList());
          Future<Applied> settling = apply(tx, senderIds, receipts);
          return Future.all(locked, settling)
              .map(v -> settling.result())
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
                  });
        });
  }

  /**
   * Serialises the sent record and receipts of the same provider ids: whichever commits second sees
   * the other's rows, so a receipt parked as pending is always applied. Locks are taken in hash
   * order, so two such transactions cannot deadlock; they end with the transaction.
   */
  static Future<Void> lockProviderIds(SqlClient tx, List<String> providerIds) {
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
  static Future<List<Settled>> applyPending(SqlClient tx, UUID senderId, List<String> partIds) {
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
  private record Applied(Set<String> unmatched, List<Settled> settled) {}

  /** Applies receipts in {@code tx}, with the events of the messages they settle: one statement. */
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
                + " max(err) FILTER (WHERE NOT ok) AS err, max(stat) FILTER (WHERE NOT ok) AS stat"
                + " FROM p GROUP BY message_id),"
                // = ANY(ARRAY(...)) probes the primary key; IN (SELECT ...) let the planner scan
                // every message for status 'sent' when the statistics were stale.
                + " l AS (SELECT x.id FROM messages x WHERE x.id = ANY(ARRAY(SELECT message_id FROM agg))"
                + " AND x.status = 'sent' ORDER BY x.id FOR UPDATE),"
                + " upd AS (UPDATE messages m SET parts_delivered = m.parts_delivered + agg.delivered,"
                + " status = CASE WHEN agg.bad THEN 'undelivered'"
                + " WHEN m.parts_delivered + agg.delivered >= m.parts THEN 'delivered' ELSE m.status END,"
                + " error_code = CASE WHEN agg.bad THEN agg.err ELSE m.error_code END,"
                + " error_message = CASE WHEN agg.bad THEN 'delivery receipt: ' || agg.stat ELSE m.error_message END,"
                + " done_at = CASE WHEN agg.bad OR m.parts_delivered + agg.delivered >= m.parts THEN now() ELSE m.done_at END,"
                + " updated_at = now()"
                + " FROM agg, l WHERE m.id = agg.message_id AND m.id = l.id"
                + " RETURNING m.*, extract(epoch FROM now() - m.sent_at)::float8 AS lag),"
                // The settled messages take the event ids in id order; there are never more of
                // them than receipts, and as many ids as receipts are passed.
                + " settled AS (SELECT u.*, ($6::uuid[])[row_number() OVER (ORDER BY u.id)] AS eid"
                + " FROM upd u WHERE u.status IN ('delivered', 'undelivered')),"
                + MessageEvents.eventsCte(
                    "settled", "CASE m.status WHEN 'delivered' THEN $7 ELSE $8 END")
                + " SELECT 'u' AS kind, id::text AS value, status, sender_id, lag FROM upd"
                + " UNION ALL SELECT 'm', r.pid, NULL, NULL, NULL FROM r"
                + " WHERE NOT EXISTS (SELECT 1 FROM p WHERE p.pid = r.pid)"
                + " UNION ALL SELECT 'q', count(*)::text, NULL, NULL, NULL FROM queued")
        .execute(
            Tuple.from(
                new Object[] {
                  senderIds.toArray(UUID[]::new),
                  pids,
                  ok,
                  stats,
                  errs,
                  MessageEvents.eventIds(receipts.size()),
                  EventType.MESSAGE_DELIVERED.type(),
                  EventType.MESSAGE_UNDELIVERED.type()
                }))
        .compose(
            rows -> {
              List<Settled> settled = new ArrayList<>();
              Set<String> unmatched = new HashSet<>();
              rows.forEach(
                  row -> {
                    String status = row.getString("status");
                    switch (row.getString("kind")) {
                      case "m" -> unmatched.add(row.getString("value"));
                      case "q" -> Outbox.appended(tx, Integer.parseInt(row.getString("value")));
                      default -> {
                        if ("delivered".equals(status) || "undelivered".equals(status)) {
                          Double lag = row.getDouble("lag");
                          settled.add(
                              new Settled(row.getUUID("sender_id"), status, lag == null ? 0 : lag));
                        }
                      }
                    }
                  });
              return Future.succeededFuture(new Applied(unmatched, settled));
            });
  }

  /** The statuses a status report may move a message to, with the statuses it may move from. */
  private static final Map<String, List<String>> STATUS_FROM =
      Map.of(
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
                      Row row = rows.iterator().next();
                      UUID id = row.getUUID("id");
                      boolean moves = from.contains(row.getString("status"));
                      JsonObject pricing =
                          update.pricing() == null
                              ? row.getJsonObject("pricing")
                              : (row.getJsonObject("pricing") == null
                                      ? new JsonObject()
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
                          .compose(x -> MessageEvents.appendEvents(tx, event, List.of(id)))
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
}
