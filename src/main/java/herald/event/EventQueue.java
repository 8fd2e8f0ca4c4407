package herald.event;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The durable queues of the event consumers: every event gets one {@code event_queue} row per
 * consumer registered in {@code event_consumers}, written by the outbox in the event's own
 * transaction (see {@link herald.platform.database.Outbox}). A consumer takes its rows in a
 * transaction that also does its work (deleting them, {@code FOR UPDATE SKIP LOCKED} so several
 * instances share the queue), so a crash before the commit leaves them queued: at least once. A
 * consumer only ever touches its own rows; adding one (the Kafka relay, the AI agent) is a row in
 * {@code event_consumers} (a migration) plus its own taker, and changes nothing for the others.
 */
public final class EventQueue {
  /** The webhook fan-out ({@code herald.webhook.DispatcherVerticle}). */
  public static final String WEBHOOKS = "webhooks";

  private EventQueue() {}

  /**
   * A CTE body that deletes up to {@code limit} of {@code consumer}'s queue rows, oldest event
   * first, skipping rows another transaction holds, and returns their {@code event_id}s; the
   * arguments are SQL parameter references such as {@code $1}.
   */
  public static String claim(String consumer, String limit) {
    return "DELETE FROM event_queue WHERE consumer = "
        + consumer
        + " AND event_id IN (SELECT event_id FROM event_queue WHERE consumer = "
        + consumer
        + " ORDER BY event_id LIMIT "
        + limit
        + " FOR UPDATE SKIP LOCKED) RETURNING event_id";
  }

  /** An event as a consumer takes it. */
  public record Event(
      UUID id, UUID accountId, String type, UUID subjectId, JsonObject data, Instant createdAt) {}

  /**
   * Takes up to {@code limit} events queued for {@code consumer}, oldest first, in {@code tx}: they
   * leave the queue when {@code tx} commits and stay in it when it rolls back.
   */
  public static Future<List<Event>> take(SqlClient tx, String consumer, int limit) {
    return tx.preparedQuery(
            "WITH taken AS ("
                + claim("$1", "$2")
                + ") SELECT e.id, e.account_id, e.type, e.subject_id, e.data, e.created_at"
                + " FROM taken t JOIN events e ON e.id = t.event_id ORDER BY e.id")
        .execute(Tuple.of(consumer, limit))
        .map(
            rows ->
                Rows.map(
                    rows,
                    row ->
                        new Event(
                            row.getUUID("id"),
                            row.getUUID("account_id"),
                            row.getString("type"),
                            row.getUUID("subject_id"),
                            row.getJsonObject("data"),
                            row.getOffsetDateTime("created_at").toInstant())));
  }
}
