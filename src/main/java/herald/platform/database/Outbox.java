package herald.platform.database;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The transactional outbox: an event is written with the connection of the transaction that makes
 * the change it reports, so both commit or neither does. (Message events are written in batches by
 * the message stores, which snapshot the rows in SQL.)
 */
public final class Outbox {
  private Outbox() {}

  public static Future<Void> append(
      SqlClient tx, UUID accountId, String type, UUID subjectId, JsonObject data) {
    return append(tx, Ids.newId(), accountId, type, subjectId, data);
  }

  /** {@link #append} with an event id the caller chose (to answer with it, say). */
  public static Future<Void> append(
      SqlClient tx, UUID eventId, UUID accountId, String type, UUID subjectId, JsonObject data) {
    return tx.preparedQuery(
            "INSERT INTO events (id, account_id, type, subject_id, data) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(eventId, accountId, type, subjectId, data))
        .mapEmpty();
  }
}
