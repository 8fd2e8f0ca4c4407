package herald.platform.database;

import herald.platform.bus.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The transactional outbox: an event is written with the connection of the transaction that makes
 * the change it reports, so both commit or neither does. Every event also gets one {@code
 * event_queue} row per registered consumer ({@code event_consumers}) in the same statement, and
 * once the transaction commits {@link Addresses#EVENTS_APPENDED} is published so consumers take it
 * at once instead of polling. (Message and blacklist events are written in batches by their stores,
 * which snapshot the rows in SQL; they use {@link #enqueue} and {@link #appended} the same way.)
 */
public final class Outbox {
  /** An event type of the catalogue ({@code herald.event.EventType}); never a bare string. */
  public interface Type {
    /** The wire name, such as {@code message.queued}. */
    String type();
  }

  private static final String APPEND =
      "WITH appended AS (INSERT INTO events (id, account_id, type, subject_id, data)"
          + " VALUES ($1, $2, $3, $4, $5) RETURNING id) "
          + enqueue("appended");

  private Outbox() {}

  /**
   * The statement that queues, for every consumer, the events whose ids the CTE {@code cte}
   * returned (as {@code id}); every writer of events ends its statement with it.
   */
  public static String enqueue(String cte) {
    return "INSERT INTO event_queue (consumer, event_id)"
        + " SELECT c.name, a.id FROM "
        + cte
        + " a CROSS JOIN event_consumers c";
  }

  public static Future<Void> append(
      SqlClient tx, UUID accountId, Type type, UUID subjectId, JsonObject data) {
    return append(tx, Ids.newId(), accountId, type, subjectId, data);
  }

  /** {@link #append} with an event id the caller chose (to answer with it, say). */
  public static Future<Void> append(
      SqlClient tx, UUID eventId, UUID accountId, Type type, UUID subjectId, JsonObject data) {
    return tx.preparedQuery(APPEND)
        .execute(Tuple.of(eventId, accountId, type.type(), subjectId, data))
        .onSuccess(rows -> appended(tx))
        .mapEmpty();
  }

  /**
   * Publishes {@link Addresses#EVENTS_APPENDED} once {@code tx}'s transaction commits (at once when
   * {@code tx} is not in a transaction: the statement has committed). Nothing is published for a
   * rollback. Called on a Vert.x context, as every SQL callback is; without one nothing is
   * published and the consumers' slow sweep takes the events.
   */
  public static void appended(SqlClient tx) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return;
    }
    Vertx vertx = context.owner();
    Transaction transaction = tx instanceof SqlConnection c ? c.transaction() : null;
    if (transaction == null) {
      vertx.eventBus().publish(Addresses.EVENTS_APPENDED, null);
    } else {
      transaction
          .completion()
          .onSuccess(v -> vertx.eventBus().publish(Addresses.EVENTS_APPENDED, null));
    }
  }
}
