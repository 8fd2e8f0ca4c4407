package herald.message;

import herald.event.EventType;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The events of messages, in SQL: each event's body is a snapshot of its message row taken by the
 * statement that wrote the row (or, for {@link #appendEvents}, read it), and each event gets its
 * consumers' queue rows in the same statement ({@link Outbox#enqueue}).
 */
public final class MessageEvents {
  private MessageEvents() {}

  /**
   * The event body of a message: {@code to_json} of the lateral row {@link #EVENT_ROW} names {@code
   * ev}. A row's {@code to_json} costs about 4 µs where {@code jsonb_build_object} of the same 19
   * keys cost 10, and into the {@code json} column (V24) it is stored as built, not parsed again.
   */
  static final String EVENT_DATA = "to_json(ev)";

  /**
   * The lateral row, built from the message row {@code m}, whose fields are the event body's keys;
   * it follows the {@code FROM} clause of every statement that uses {@link #EVENT_DATA}.
   */
  static final String EVENT_ROW =
      " CROSS JOIN LATERAL (SELECT m.id, m.status, m.direction, m.channel, m.to_number AS \"to\","
          + " m.from_number AS \"from\", m.sender_id, m.campaign_id, m.segments, m.encoding,"
          + " m.attempts, m.provider_message_id, m.error_code, m.error_message, m.metadata,"
          + " CASE WHEN m.direction = 'inbound' THEN m.body END AS body, m.content, m.pricing,"
          + " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS \"timestamp\") ev";

  /**
   * The rest of a statement that writes one event per row of the CTE {@code cte}, which returns
   * message rows ({@code messages.*}) with each event's id as {@code eid}: the events of type
   * {@code typeExpr} (a parameter reference such as {@code $4}, or an expression over the row
   * {@code m}), snapshotted from those rows, and their queue rows. For an {@code UPDATE ...
   * RETURNING} CTE it writes events for exactly the rows the update changed, without looking them
   * up again.
   */
  public static String eventsOf(String cte, String typeExpr) {
    return appendedFrom(cte, typeExpr) + Outbox.enqueue("appended");
  }

  /**
   * {@link #eventsOf} as two more CTEs, {@code appended} and {@code queued} (one row per queue row
   * written), for a statement that must answer something else.
   */
  public static String eventsCte(String cte, String typeExpr) {
    return appendedFrom(cte, typeExpr)
        + ", queued AS ("
        + Outbox.enqueue("appended")
        + " RETURNING 1)";
  }

  private static String appendedFrom(String cte, String typeExpr) {
    return " appended AS (INSERT INTO events (id, account_id, type, subject_id, data)"
        + " SELECT m.eid, m.account_id, "
        + typeExpr
        + ", m.id, "
        + EVENT_DATA
        + " FROM "
        + cte
        + " m"
        + EVENT_ROW
        + " RETURNING id, account_id) ";
  }

  /** Event ids for {@code n} events, in order. */
  public static UUID[] eventIds(int n) {
    UUID[] ids = new UUID[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Ids.newId();
    }
    return ids;
  }

  /** One event of a type per message, snapshotting each message row as it is now. */
  private static final String APPEND_EVENTS =
      "WITH appended AS (INSERT INTO events (id, account_id, type, subject_id, data)"
          + " SELECT e.eid, m.account_id, $3, m.id, "
          + EVENT_DATA
          + " FROM unnest($1::uuid[], $2::uuid[]) AS e(mid, eid) JOIN messages m ON m.id = e.mid"
          + EVENT_ROW
          + " RETURNING id, account_id) "
          + Outbox.enqueue("appended");

  /** Writes one {@code type} event per message, snapshotting each message row as it is now. */
  public static Future<Void> appendEvents(SqlClient tx, EventType type, List<UUID> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(APPEND_EVENTS)
        .execute(
            Tuple.of(messageIds.toArray(UUID[]::new), eventIds(messageIds.size()), type.type()))
        .onSuccess(rows -> Outbox.appended(tx, rows.rowCount()))
        .mapEmpty();
  }
}
