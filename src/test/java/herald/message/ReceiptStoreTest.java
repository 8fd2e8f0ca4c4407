package herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import herald.channel.OutboundItem;
import herald.channel.Receipt;
import herald.channel.SendOutcome;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch of delivery receipts settles its messages and writes each one's event in the same
 * statement: {@code message.delivered} or {@code message.undelivered} by the status the receipt
 * left, snapshotted from the updated row, and nothing for a multipart message still waiting for
 * parts; a receipt that matches no part is parked until its sent record arrives.
 */
class ReceiptStoreTest {
  private static InFlight fixture;
  private static Pool pool;
  private static UUID accountId;

  @BeforeAll
  static void start() {
    fixture = InFlight.start();
    pool = fixture.pool;
    accountId = fixture.accountId;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Messages being sent (status {@code sending}), as a lane holds them; none is claimed again. */
  private static List<OutboundItem> sending(int n) {
    List<MessageStore.NewMessage> rows = fixture.insert(n, "sending", 8000, "receipt test");
    return rows.stream()
        .map(m -> new OutboundItem(m.id(), accountId, m.to(), m.from(), m.body(), null, 1, null))
        .toList();
  }

  private static List<Row> events(UUID messageId) {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery("SELECT type, data FROM events WHERE subject_id = $1 ORDER BY id")
        .execute(Tuple.of(messageId))
        .await()
        .forEach(rows::add);
    return rows;
  }

  @Test
  void aBatchOfReceiptsSettlesItsMessagesWithTheirEventsAndParksWhatMatchesNothing() {
    List<OutboundItem> items = sending(3);
    UUID delivered = items.get(0).id();
    UUID undelivered = items.get(1).id();
    UUID multipart = items.get(2).id();
    String tag = delivered.toString().substring(24);
    new MessageQueueStore(pool)
        .record(
            fixture.senderId,
            List.of(
                SendOutcome.sent(delivered, List.of("d-" + tag)),
                SendOutcome.sent(undelivered, List.of("u-" + tag)),
                SendOutcome.sent(multipart, List.of("p1-" + tag, "p2-" + tag))),
            items,
            3,
            attempt -> Duration.ofSeconds(1))
        .await();

    List<ReceiptStore.Settled> settled =
        new ReceiptStore(pool)
            .applyReceipts(
                fixture.senderId,
                List.of(fixture.senderId),
                List.of(
                    new Receipt("d-" + tag, true, "DELIVRD", "000"),
                    new Receipt("u-" + tag, false, "UNDELIV", "013"),
                    new Receipt("p1-" + tag, true, "DELIVRD", "000"),
                    new Receipt("early-" + tag, true, "DELIVRD", "000")))
            .await();

    assertThat(settled)
        .extracting(ReceiptStore.Settled::status)
        .containsExactlyInAnyOrder("delivered", "undelivered");

    List<Row> deliveredEvents = events(delivered);
    assertThat(deliveredEvents)
        .extracting(r -> r.getString("type"))
        .containsExactly("message.queued", "message.sent", "message.delivered");
    JsonObject data = deliveredEvents.get(2).getJsonObject("data");
    assertThat(data.getString("id")).isEqualTo(delivered.toString());
    assertThat(data.getString("status")).isEqualTo("delivered");
    assertThat(data.getString("provider_message_id")).isEqualTo("d-" + tag);

    List<Row> undeliveredEvents = events(undelivered);
    assertThat(undeliveredEvents)
        .extracting(r -> r.getString("type"))
        .containsExactly("message.queued", "message.sent", "message.undelivered");
    JsonObject failed = undeliveredEvents.get(2).getJsonObject("data");
    assertThat(failed.getString("status")).isEqualTo("undelivered");
    assertThat(failed.getString("error_code")).isEqualTo("013");
    assertThat(failed.getString("error_message")).isEqualTo("delivery receipt: UNDELIV");

    assertThat(events(multipart))
        .as("one part of two delivered: no event yet")
        .extracting(r -> r.getString("type"))
        .containsExactly("message.queued", "message.sent");
    Row waiting =
        pool.preparedQuery("SELECT status, parts_delivered FROM messages WHERE id = $1")
            .execute(Tuple.of(multipart))
            .await()
            .iterator()
            .next();
    assertThat(waiting.getString("status")).isEqualTo("sent");
    assertThat(waiting.getInteger("parts_delivered")).isEqualTo(1);

    // The second part's receipt completes it: its sent record counted two parts.
    assertThat(
            new ReceiptStore(pool)
                .applyReceipts(
                    fixture.senderId,
                    List.of(fixture.senderId),
                    List.of(new Receipt("p2-" + tag, true, "DELIVRD", "000")))
                .await())
        .extracting(ReceiptStore.Settled::status)
        .containsExactly("delivered");
    assertThat(events(multipart))
        .extracting(r -> r.getString("type"))
        .containsExactly("message.queued", "message.sent", "message.delivered");

    assertThat(
            pool.preparedQuery(
                    "SELECT count(*) AS n FROM pending_receipts WHERE provider_message_id = $1")
                .execute(Tuple.of("early-" + tag))
                .await()
                .iterator()
                .next()
                .getLong("n"))
        .as("the receipt that matched no part waits for its sent record")
        .isEqualTo(1);
  }
}
