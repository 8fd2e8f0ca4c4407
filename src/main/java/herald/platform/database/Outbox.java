package herald.platform.database;

import herald.platform.bus.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
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
          + " VALUES ($1, $2, $3, $4, $5) RETURNING id, account_id) "
          + enqueue("appended");

  private Outbox() {}

  /**
   * The statement that queues the events whose ids and accounts the CTE {@code cte} returned (as
   * {@code id, account_id}) for every consumer that takes them: consumers of every account, and the
   * others for the accounts they subscribed ({@link #subscribe}). Every writer of events ends its
   * statement with it.
   */
  public static String enqueue(String cte) {
    return "INSERT INTO event_queue (consumer, event_id)"
        + " SELECT c.name, a.id FROM "
        + cte
        + " a JOIN event_consumers c ON c.every_account OR EXISTS (SELECT 1 FROM"
        + " event_consumer_accounts s WHERE s.consumer = c.name AND s.account_id = a.account_id)";
  }

  /**
   * Has {@code consumer} (one that does not take every account) take {@code accountId}'s events
   * from the events written after {@code tx} commits. Idempotent.
   */
  public static Future<Void> subscribe(SqlClient tx, String consumer, UUID accountId) {
    return tx.preparedQuery(
            "INSERT INTO event_consumer_accounts (consumer, account_id) VALUES ($1, $2)"
                + " ON CONFLICT DO NOTHING")
        .execute(Tuple.of(consumer, accountId))
        .mapEmpty();
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
        .onSuccess(rows -> appended(tx, rows.rowCount()))
        .mapEmpty();
  }

  /**
   * Publishes {@link Addresses#EVENTS_APPENDED} once {@code tx}'s transaction commits (at once when
   * {@code tx} is not in a transaction: the statement has committed), telling the consumers that
   * events may have been queued for them. Nothing is published for a rollback. Called on a Vert.x
   * context, as every SQL callback is; without one nothing is published and the consumers' slow
   * sweep takes the events.
   */
  public static void appended(SqlClient tx) {
    appended(tx, -1);
  }

  /**
   * {@link #appended(SqlClient)} for a statement that ends with {@link #enqueue} and so reports how
   * many queue rows it wrote ({@code queueRows}, its row count; negative when unknown). The wake-up
   * still goes out when it wrote none, since readers of the events themselves (the monitoring
   * stream) want every event, but its body ({@code false}) tells queue consumers that nothing waits
   * for them: a message event of an account without webhook endpoints then costs no consumer a
   * transaction.
   */
  public static void appended(SqlClient tx, int queueRows) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return;
    }
    Vertx vertx = context.owner();
    Boolean queued = queueRows != 0;
    Future<Void> commit = Pipelined.commitOf(tx);
    if (commit == null && tx instanceof SqlConnection c && c.transaction() != null) {
      commit = c.transaction().completion();
    }
    if (commit == null) {
      vertx.eventBus().publish(Addresses.EVENTS_APPENDED, queued);
    } else {
      commit.onSuccess(v -> vertx.eventBus().publish(Addresses.EVENTS_APPENDED, queued));
    }
  }

  /** Whether an {@link Addresses#EVENTS_APPENDED} wake-up may have queued events for consumers. */
  public static boolean queuedAny(Object wakeBody) {
    return !Boolean.FALSE.equals(wakeBody);
  }
}
