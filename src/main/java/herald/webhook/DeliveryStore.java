package herald.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import herald.event.EventQueue;
import herald.event.EventType;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The dispatcher's SQL about deliveries: fan-out, claiming, recording attempts; the log the API
 * reads is {@link DeliveryLog}.
 */
public final class DeliveryStore {
  private static final String TEST = "'" + EventType.WEBHOOK_TEST.type() + "'";

  /**
   * Which endpoints an event goes to; {@code e} is the event, {@code w} the endpoint. An endpoint
   * gets the events written since it was created, never older ones, however late the fan-out.
   */
  private static final String MATCHES =
      "((e.type = "
          + TEST
          + " AND w.id = e.subject_id)"
          + " OR (e.type <> "
          + TEST
          + " AND w.is_active AND e.created_at >= w.created_at"
          + " AND (w.sender_id IS NULL OR w.sender_id::text = e.data->>'sender_id')"
          + " AND EXISTS (SELECT 1 FROM unnest(w.events) f WHERE f = '*' OR f = e.type"
          + " OR (right(f, 2) = '.*' AND starts_with(e.type, left(f, -1))))))";

  /**
   * Claims events from the webhook consumer's queue and makes their deliveries in one statement.
   * Deliveries to plain endpoints are made already leased and returned with their event, so the
   * dispatcher sends them without claiming them again, as many per endpoint as its pump here has
   * room for ({@code $3}, {@code $4}: endpoint ids and room); the rest are made due, for the pump
   * to claim as it drains (leasing more would have it give them back, one more write each). Those
   * of ordered and rate-limited endpoints are made due and claimed by their pumps in order and at
   * their pace, and so are those of endpoints no dispatcher of this process owns, for their owner
   * on another node. Events that match no endpoint (most of them, for accounts without one) just
   * leave the queue.
   */
  private static final String FAN_OUT =
      "WITH claimed AS ("
          + EventQueue.claim("'" + EventQueue.WEBHOOKS + "'", "$1")
          + "),"
          + " made AS ("
          + " INSERT INTO webhook_deliveries (id, endpoint_id, account_id, event_id, event_type,"
          + "  retries_left, next_attempt_at)"
          + " SELECT webhook_uuid7(), w.id, e.account_id, e.id, e.type, w.retry_limit,"
          + "  CASE WHEN w.ordered OR w.rate_limit_per_second IS NOT NULL"
          + "   OR row_number() OVER (PARTITION BY w.id ORDER BY e.id) > coalesce(o.room, 0)"
          + "  THEN now() ELSE now() + (w.timeout_seconds + $2::int) * interval '1 second' END"
          + " FROM claimed c JOIN events e ON e.id = c.event_id"
          + " JOIN webhook_endpoints w ON w.account_id = e.account_id AND "
          + MATCHES
          + " LEFT JOIN unnest($3::uuid[], $4::int[]) AS o(id, room) ON o.id = w.id"
          + " ORDER BY e.id"
          + " ON CONFLICT (endpoint_id, event_id) DO NOTHING"
          + " RETURNING id, endpoint_id, event_id, retries_left, next_attempt_at > now() AS leased)"
          + " SELECT n.events, m.id, m.endpoint_id, m.event_id, m.retries_left, m.leased, e.type,"
          + "  CASE WHEN m.leased THEN e.data::text END AS data, e.created_at"
          + " FROM (SELECT count(*) AS events FROM claimed) n"
          + " LEFT JOIN (made m JOIN events e ON e.id = m.event_id) ON true";

  private static final String RETURNING =
      " RETURNING d.id, d.event_id, d.attempts, d.retries_left, e.type, e.data::text AS data,"
          + " e.created_at";

  private static final String CLAIM =
      "UPDATE webhook_deliveries d SET next_attempt_at = now() + ($3::int) * interval '1 second'"
          + " FROM events e WHERE e.id = d.event_id AND d.id IN ("
          + "  SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending'"
          + "  AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
          + RETURNING;

  private static final String CLAIM_HEAD =
      "UPDATE webhook_deliveries d SET next_attempt_at = now() + ($3::int) * interval '1 second'"
          + " FROM events e WHERE e.id = d.event_id AND d.next_attempt_at <= now() AND d.id = ("
          + "  SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending'"
          + "  ORDER BY event_id LIMIT 1 FOR UPDATE) AND $2 > 0"
          + RETURNING;

  private static final String RECORD =
      "WITH r AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::text[],"
          + "  $6::text[], $7::timestamptz[], $8::timestamptz[], $9::int[], $10::int[])"
          + "  AS r(id, status, code, latency, body, error, at, next_at, retries_left, attempt)),"
          // The delivery row holds its latest attempt; the one it held before moves to the
          // history (read from the snapshot the statement started with, before the update). A
          // result older than the row's attempt (never expected: one lease, one attempt at a time)
          // goes to the history instead of over the newer one.
          + " logged AS (INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at,"
          + "  response_status, latency_ms, response_body, error)"
          + "  SELECT d.id, d.attempts, d.last_attempt_at, d.response_status, d.latency_ms,"
          + "  d.response_body, d.error"
          + "  FROM r JOIN webhook_deliveries d ON d.id = r.id"
          + "  WHERE d.attempts > 0 AND d.attempts < r.attempt AND d.last_attempt_at IS NOT NULL"
          + "  UNION ALL SELECT r.id, r.attempt, r.at, r.code, r.latency, r.body, r.error"
          + "  FROM r JOIN webhook_deliveries d ON d.id = r.id WHERE r.attempt < d.attempts"
          + "  ON CONFLICT DO NOTHING)"
          + " UPDATE webhook_deliveries d SET status = r.status, attempts = r.attempt,"
          + " retries_left = r.retries_left, next_attempt_at = coalesce(r.next_at, d.next_attempt_at),"
          + " last_attempt_at = r.at, response_status = r.code, latency_ms = r.latency,"
          + " response_body = r.body, error = r.error,"
          + " done_at = CASE WHEN r.status = 'pending' THEN NULL ELSE r.at END"
          + " FROM r WHERE d.id = r.id AND r.attempt >= d.attempts";

  private final Pool pool;

  public DeliveryStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs one dispatcher statement in a transaction that commits without waiting for the WAL flush.
   * Safe here: if PostgreSQL itself crashed and lost such a commit, a fan-out would be redone from
   * the queue (its delete is lost with it), a claim would simply not hold, and a recorded attempt
   * would be made again: at least once either way. Herald dying does not lose them at all.
   */
  private Future<RowSet<Row>> relaxed(Function<SqlConnection, Future<RowSet<Row>>> statement) {
    return pool.withTransaction(
        tx ->
            tx.query("SET LOCAL synchronous_commit = off")
                .execute()
                .compose(v -> statement.apply(tx)));
  }

  /**
   * Events moved from the queue to delivery rows: endpoints that got due work, and deliveries made
   * already leased, by endpoint, to send now.
   */
  record FanOut(long events, Set<UUID> due, Map<UUID, List<Claimed>> leased) {}

  /**
   * Claims up to {@code limit} queued events and makes their deliveries, in one statement. Only
   * deliveries to plain endpoints in {@code room} (those a pump of this process serves) are made
   * leased, at most as many per endpoint as its room; the others are made due.
   */
  Future<FanOut> fanOut(int limit, int leaseMarginSeconds, Map<UUID, Integer> room) {
    UUID[] endpoints = room.keySet().toArray(UUID[]::new);
    Integer[] rooms = new Integer[endpoints.length];
    for (int i = 0; i < endpoints.length; i++) {
      rooms[i] = room.get(endpoints[i]);
    }
    Tuple args = Tuple.of(limit, leaseMarginSeconds, endpoints, rooms);
    return relaxed(tx -> tx.preparedQuery(FAN_OUT).execute(args))
        .map(
            rows -> {
              long events = 0;
              Set<UUID> due = new HashSet<>();
              Map<UUID, List<Claimed>> leased = new HashMap<>();
              for (Row row : rows) {
                events = row.getLong("events");
                UUID endpoint = row.getUUID("endpoint_id");
                if (endpoint == null) {
                  continue;
                }
                if (row.getBoolean("leased")) {
                  leased
                      .computeIfAbsent(endpoint, k -> new ArrayList<>())
                      .add(
                          new Claimed(
                              row.getUUID("id"),
                              row.getUUID("event_id"),
                              row.getString("type"),
                              0,
                              row.getInteger("retries_left"),
                              row.getString("data"),
                              row.getOffsetDateTime("created_at").toInstant()));
                } else {
                  due.add(endpoint);
                }
              }
              return new FanOut(events, due, leased);
            });
  }

  /**
   * A delivery claimed for one attempt, with its event.
   *
   * @param data the event's data as stored (JSON text; copied into the body, never parsed into a
   *     tree)
   */
  record Claimed(
      UUID id,
      UUID eventId,
      String type,
      int attempts,
      int retriesLeft,
      String data,
      Instant eventAt) {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The exact body sent and signed: minified {@code {"id","type","timestamp","data"}}. The data
     * is streamed from its stored text into the body (which minifies it, as some writers store
     * {@code jsonb}'s spaced form), so a delivery costs no tree of the event and no second
     * serialization of one.
     */
    String body() {
      StringWriter out = new StringWriter(data.length() + 160);
      try (JsonGenerator body = JSON.createGenerator(out);
          JsonParser stored = JSON.createParser(data)) {
        body.writeStartObject();
        body.writeStringField("id", eventId.toString());
        body.writeStringField("type", type);
        body.writeStringField("timestamp", eventAt.toString());
        body.writeFieldName("data");
        stored.nextToken();
        body.copyCurrentStructure(stored);
        body.writeEndObject();
      } catch (IOException e) {
        // The column is json: PostgreSQL stored nothing it could not parse.
        throw new UncheckedIOException("event " + eventId + " has unreadable data", e);
      }
      return out.toString();
    }
  }

  /**
   * Claims due deliveries of one endpoint, leasing each for {@code leaseSeconds}: until then no one
   * else claims it, and after it (a crash) it is due again. Ordered endpoints get only their oldest
   * pending delivery, and only when it is due.
   */
  Future<List<Claimed>> claim(UUID endpointId, boolean ordered, int limit, int leaseSeconds) {
    return relaxed(
            tx ->
                tx.preparedQuery(ordered ? CLAIM_HEAD : CLAIM)
                    .execute(Tuple.of(endpointId, limit, leaseSeconds)))
        .map(
            rows ->
                Rows.map(
                    rows,
                    row ->
                        new Claimed(
                            row.getUUID("id"),
                            row.getUUID("event_id"),
                            row.getString("type"),
                            row.getInteger("attempts"),
                            row.getInteger("retries_left"),
                            row.getString("data"),
                            row.getOffsetDateTime("created_at").toInstant())));
  }

  /**
   * The outcome of one attempt and what follows.
   *
   * @param status the delivery's state after it: pending (retry at {@code nextAt}), succeeded or
   *     failed
   */
  record Result(
      UUID id,
      int attempt,
      Instant at,
      Integer responseStatus,
      int latencyMs,
      String responseBody,
      String error,
      String status,
      Instant nextAt,
      int retriesLeft) {}

  /** Records a batch of attempts and their deliveries' new states in one statement. */
  Future<Void> record(List<Result> results) {
    int n = results.size();
    UUID[] ids = new UUID[n];
    String[] statuses = new String[n];
    Integer[] codes = new Integer[n];
    Integer[] latencies = new Integer[n];
    String[] bodies = new String[n];
    String[] errors = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    OffsetDateTime[] next = new OffsetDateTime[n];
    Integer[] retriesLeft = new Integer[n];
    Integer[] attempts = new Integer[n];
    for (int i = 0; i < n; i++) {
      Result r = results.get(i);
      ids[i] = r.id();
      statuses[i] = r.status();
      codes[i] = r.responseStatus();
      latencies[i] = r.latencyMs();
      bodies[i] = r.responseBody();
      errors[i] = r.error();
      at[i] = r.at().atOffset(ZoneOffset.UTC);
      next[i] = r.nextAt() == null ? null : r.nextAt().atOffset(ZoneOffset.UTC);
      retriesLeft[i] = r.retriesLeft();
      attempts[i] = r.attempt();
    }
    Tuple args =
        Tuple.from(
            new Object[] {
              ids, statuses, codes, latencies, bodies, errors, at, next, retriesLeft, attempts
            });
    return relaxed(tx -> tx.preparedQuery(RECORD).execute(args)).mapEmpty();
  }

  /** Makes claimed deliveries due at {@code at} without counting an attempt. */
  Future<Void> release(List<UUID> ids, Instant at) {
    return pool.preparedQuery(
            "UPDATE webhook_deliveries SET next_attempt_at = $2"
                + " WHERE id = ANY($1) AND status = 'pending'")
        .execute(Tuple.of(ids.toArray(UUID[]::new), at.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /**
   * Which of {@code endpointIds} (those a dispatcher owns) are active with deliveries due now, for
   * the sweep that wakes their pumps: one index probe per endpoint.
   */
  Future<Set<UUID>> dueEndpoints(Collection<UUID> endpointIds) {
    if (endpointIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(
            "SELECT w.id FROM webhook_endpoints w WHERE w.id = ANY($1) AND w.is_active"
                + " AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = w.id"
                + " AND d.status = 'pending' AND d.next_attempt_at <= now())")
        .execute(Tuple.of(endpointIds.toArray(UUID[]::new)))
        .map(rows -> new HashSet<>(Rows.map(rows, row -> row.getUUID("id"))));
  }

  /** Writes a {@code webhook.test} event for one endpoint; returns the event id. */
  static Future<UUID> appendTest(SqlClient tx, Endpoint e) {
    UUID id = Ids.newId();
    JsonObject data =
        new JsonObject()
            .put("message", "This is a test webhook delivery")
            .put("webhook_id", e.id().toString())
            .put("webhook_name", e.name());
    return Outbox.append(tx, id, e.accountId(), EventType.WEBHOOK_TEST, e.id(), data).map(id);
  }
}
