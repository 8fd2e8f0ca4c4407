package herald.message;

import herald.channel.sms.Encoding;
import herald.event.EventType;
import herald.platform.database.Ids;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Herald whose lanes never take back what a test leaves in flight (the stale sweep waits a day),
 * and messages written straight into the lanes' states, as the tests of the lanes' stores need
 * them.
 */
final class InFlight implements AutoCloseable {
  final TestHerald herald;
  final Pool pool;
  final UUID senderId;
  final UUID accountId;

  private InFlight(TestHerald herald) {
    this.herald = herald;
    this.pool = herald.herald().platform().pool();
    TestHerald.Sender sender = herald.firstSender();
    this.senderId = sender.id();
    this.accountId = sender.accountId();
  }

  static InFlight start() {
    return new InFlight(
        TestHerald.start(
            new JsonObject().put("engine", new JsonObject().put("stale_sending_seconds", 86_400))));
  }

  /**
   * Inserts {@code n} one-part SMS messages of the first sender in {@code status}, each with its
   * {@code message.queued} event, to {@code +1415555<firstNumber + i>}.
   */
  List<MessageStore.NewMessage> insert(int n, String status, int firstNumber, String body) {
    List<MessageStore.NewMessage> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          new MessageStore.NewMessage(
              Ids.newId(),
              senderId,
              "+1415555" + (firstNumber + i),
              "+15551230000",
              body,
              Encoding.GSM_7,
              1,
              null,
              null,
              null));
    }
    pool.withTransaction(
            tx ->
                MessageStore.insert(
                    tx, accountId, "outbound", status, rows, EventType.MESSAGE_QUEUED))
        .await();
    return rows;
  }

  @Override
  public void close() {
    herald.close();
  }
}
