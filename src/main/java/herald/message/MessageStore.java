package herald.message;

import herald.channel.sms.Encoding;
import herald.event.EventType;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * All SQL about messages. Batches go through {@code unnest} so a thousand messages cost one
 * statement, and every status change writes its event into the outbox in the same transaction, with
 * the event data snapshotted from the row by SQL.
 */
public final class MessageStore {
  static final String COLUMNS =
      "id, account_id, sender_id, campaign_id, direction, channel, to_number, from_number, body,"
          + " encoding, segments, status, attempts, provider_message_id, error_code, error_message,"
          + " metadata, callback_url, scheduled_at, created_at, updated_at, sent_at, done_at, content,"
          + " pricing";

  private static final String INSERT =
      "INSERT INTO messages (id, account_id, sender_id, direction, channel, to_number, from_number, body,"
          + " encoding, segments, status, scheduled_at, next_attempt_at, metadata, callback_url, campaign_id,"
          + " content)"
          + " SELECT t.id, $1, t.sender_id, $2, (SELECT s.channel FROM senders s WHERE s.id = t.sender_id),"
          + " t.to_number, t.from_number, t.body, t.encoding,"
          + " t.segments, $3, t.scheduled_at, coalesce(t.scheduled_at, now()), t.metadata::jsonb, t.callback_url,"
          + " $16::uuid, t.content::jsonb"
          + " FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[],"
          + " $10::int[], $11::timestamptz[], $12::text[], $13::text[], $17::text[])"
          + " AS t(id, sender_id, to_number, from_number, body, encoding, segments, scheduled_at, metadata,"
          + " callback_url, content)";

  /** The insert, and one event per inserted row built from what it returned: one statement. */
  private static final String INSERT_WITH_EVENTS =
      "WITH m AS ("
          + INSERT
          + " RETURNING *),"
          + " appended AS (INSERT INTO events (id, account_id, type, subject_id, data)"
          + " SELECT e.eid, m.account_id, $14, m.id, "
          + MessageEvents.EVENT_DATA
          + " FROM m JOIN unnest($4::uuid[], $15::uuid[]) AS e(mid, eid) ON e.mid = m.id"
          + MessageEvents.EVENT_ROW
          + " RETURNING id, account_id) "
          + Outbox.enqueue("appended");

  /**
   * A message to insert.
   *
   * @param encoding the SMS wire encoding ({@code GSM-7}, {@code UCS-2}), or null for channels
   *     without one
   * @param content the channel's typed content (WhatsApp), or null
   */
  public record NewMessage(
      UUID id,
      UUID senderId,
      String to,
      String from,
      String body,
      String encoding,
      int segments,
      Instant scheduledAt,
      JsonObject metadata,
      String callbackUrl,
      JsonObject content) {

    /** An SMS message: text in an encoding, no typed content. */
    public NewMessage(
        UUID id,
        UUID senderId,
        String to,
        String from,
        String body,
        Encoding encoding,
        int segments,
        Instant scheduledAt,
        JsonObject metadata,
        String callbackUrl) {
      this(
          id,
          senderId,
          to,
          from,
          body,
          encoding.wireName(),
          segments,
          scheduledAt,
          metadata,
          callbackUrl,
          null);
    }
  }

  /**
   * A text Herald sends on its own (a keyword confirmation, an auto-reply) through a sender of
   * {@code channel}, shaped by that channel's {@link herald.channel.ContentFormat} as a send of the
   * same text would be (an SMS picks its encoding and segments, a WhatsApp text becomes a text
   * content). A channel without a format, or a text its format refuses, is stored as SMS text.
   */
  public static NewMessage textReply(
      UUID id,
      UUID senderId,
      String channel,
      String to,
      String from,
      String text,
      JsonObject metadata) {
    herald.channel.ContentFormat format = herald.channel.registry.Channels.contentFormat(channel);
    herald.channel.ContentFormat.Prepared prepared =
        format == null ? null : format.prepare(text, null, new java.util.ArrayList<>());
    if (prepared == null) {
      Encoding encoding = Encoding.detect(text);
      return new NewMessage(
          id, senderId, to, from, text, encoding, encoding.segments(text), null, metadata, null);
    }
    return new NewMessage(
        id,
        senderId,
        to,
        from,
        prepared.body(),
        prepared.encoding(),
        prepared.segments(),
        null,
        metadata,
        null,
        prepared.content());
  }

  private final Pool pool;

  public MessageStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts messages with one event each ({@code message.queued} or {@code message.received}), all
   * in {@code tx}.
   */
  public static Future<Void> insert(
      SqlClient tx,
      UUID accountId,
      String direction,
      String status,
      List<NewMessage> batch,
      EventType eventType) {
    return insert(tx, accountId, null, direction, status, batch, eventType);
  }

  /**
   * {@link #insert} for the messages of a campaign. A message's {@code scheduledAt} is when it may
   * be sent: for a campaign, its slot in the paced stream.
   */
  public static Future<Void> insert(
      SqlClient tx,
      UUID accountId,
      UUID campaignId,
      String direction,
      String status,
      List<NewMessage> batch,
      EventType eventType) {
    int n = batch.size();
    UUID[] ids = new UUID[n];
    UUID[] senders = new UUID[n];
    String[] to = new String[n];
    String[] from = new String[n];
    String[] bodies = new String[n];
    String[] encodings = new String[n];
    Integer[] segments = new Integer[n];
    OffsetDateTime[] scheduled = new OffsetDateTime[n];
    String[] metadata = new String[n];
    String[] callbacks = new String[n];
    String[] contents = new String[n];
    for (int i = 0; i < n; i++) {
      NewMessage m = batch.get(i);
      ids[i] = m.id();
      senders[i] = m.senderId();
      to[i] = m.to();
      from[i] = m.from();
      bodies[i] = m.body();
      encodings[i] = m.encoding();
      contents[i] = m.content() == null ? null : m.content().encode();
      segments[i] = m.segments();
      scheduled[i] = m.scheduledAt() == null ? null : m.scheduledAt().atOffset(ZoneOffset.UTC);
      metadata[i] = m.metadata() == null ? null : m.metadata().encode();
      callbacks[i] = m.callbackUrl();
    }
    UUID[] eventIds = MessageEvents.eventIds(n);
    return tx.preparedQuery(INSERT_WITH_EVENTS)
        .execute(
            Tuple.from(
                new Object[] {
                  accountId,
                  direction,
                  status,
                  ids,
                  senders,
                  to,
                  from,
                  bodies,
                  encodings,
                  segments,
                  scheduled,
                  metadata,
                  callbacks,
                  eventType.type(),
                  eventIds,
                  campaignId,
                  contents
                }))
        .onSuccess(rows -> Outbox.appended(tx, rows.rowCount()))
        .mapEmpty();
  }

  /**
   * Serialises the inbound messages of one provider id and answers whether this one is new: false
   * when {@code senderId} already stored an inbound message with this id (a redelivered webhook).
   * Always true for a null id. Part of the storing transaction.
   */
  public static Future<Boolean> claimInbound(SqlClient tx, UUID senderId, String providerId) {
    if (providerId == null) {
      return Future.succeededFuture(true);
    }
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
        .execute(Tuple.of(providerId))
        .compose(
            v ->
                tx.preparedQuery(
                        "SELECT 1 FROM messages WHERE sender_id = $1 AND provider_message_id = $2"
                            + " AND direction = 'inbound'")
                    .execute(Tuple.of(senderId, providerId)))
        .map(rows -> rows.rowCount() == 0);
  }

  /** Records the provider's id of a stored message; nothing for a null id. */
  public static Future<Void> setProviderId(SqlClient tx, UUID id, String providerId) {
    if (providerId == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("UPDATE messages SET provider_message_id = $2 WHERE id = $1")
        .execute(Tuple.of(id, providerId))
        .mapEmpty();
  }

  public Future<Message> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM messages WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Message::from));
  }

  /** The message's events, oldest first: its status history. */
  public Future<List<JsonObject>> history(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT type, data, created_at FROM events"
                + " WHERE subject_id = $1 AND account_id = $2 ORDER BY id")
        .execute(Tuple.of(id, accountId))
        .map(
            rows ->
                Rows.map(
                    rows,
                    row ->
                        new JsonObject()
                            .put("event", row.getString("type"))
                            .put("status", row.getJsonObject("data").getString("status"))
                            .put("error_code", row.getJsonObject("data").getString("error_code"))
                            .put(
                                "error_message",
                                row.getJsonObject("data").getString("error_message"))
                            .put("at", Rows.iso(row, "created_at"))));
  }

  /** Filters for lists and exports; null fields do not filter. */
  public record Filter(
      String status,
      String channel,
      UUID senderId,
      String to,
      UUID campaignId,
      Instant from,
      Instant until,
      String direction) {}

  public Future<List<Message>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where = where(accountId, filter).and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM messages WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Message::from));
  }

  /** How many messages match {@code filter}, by status. */
  public Future<JsonObject> countByStatus(UUID accountId, Filter filter) {
    Where where = where(accountId, filter);
    return pool.preparedQuery(
            "SELECT status, count(*) AS n FROM messages WHERE " + where.sql() + " GROUP BY status")
        .execute(Tuple.from(where.args()))
        .map(
            rows -> {
              JsonObject counts = new JsonObject();
              long total = 0;
              for (Row row : rows) {
                counts.put(row.getString("status"), row.getLong("n"));
                total += row.getLong("n");
              }
              return new JsonObject().put("total", total).put("by_status", counts);
            });
  }

  /** The conditions of {@code filter} (null fields do not filter). */
  static Where where(UUID accountId, Filter filter) {
    return new Where("account_id = ", accountId)
        .and("status = ", filter.status())
        .and("channel = ", filter.channel())
        .and("sender_id = ", filter.senderId())
        .and("to_number = ", filter.to())
        .and("campaign_id = ", filter.campaignId())
        .and("direction = ", filter.direction())
        .and("created_at >= ", filter.from())
        .and("created_at < ", filter.until());
  }

  /** Cancels a message that has not left Herald; null when there is no such message. */
  public Future<Message> cancel(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "SELECT " + COLUMNS + " FROM messages WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .compose(
            rows -> {
              Message found = Rows.first(rows, Message::from);
              if (found == null || !found.status().equals("queued")) {
                return Future.succeededFuture(found);
              }
              return tx.preparedQuery(
                      "UPDATE messages SET status = 'canceled', done_at = now(), updated_at = now()"
                          + " WHERE id = $1 RETURNING "
                          + COLUMNS)
                  .execute(Tuple.of(id))
                  .compose(
                      updated ->
                          MessageEvents.appendEvents(tx, EventType.MESSAGE_CANCELED, List.of(id))
                              .map(v -> Rows.first(updated, Message::from)));
            });
  }
}
