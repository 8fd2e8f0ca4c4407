package herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import herald.channel.OutboundItem;
import herald.channel.SendOutcome;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweeps over in-flight messages that are not their writer (the refresh of held messages, the
 * stale sweep) skip a row another transaction holds instead of waiting for it, so they never take
 * part in a deadlock with the outcome or receipt writers; the rows they can lock they still handle.
 */
class MessageLockOrderTest {
  private static InFlight fixture;
  private static Pool pool;
  private static UUID accountId;
  private static UUID senderId;

  @BeforeAll
  static void start() {
    fixture = InFlight.start();
    pool = fixture.pool;
    senderId = fixture.senderId;
    accountId = fixture.accountId;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Messages as a process killed mid-send leaves them: {@code sending}, an hour untouched. */
  private static List<UUID> inFlight(int n) {
    List<MessageStore.NewMessage> rows = fixture.insert(n, "sending", 7000, "in flight");
    List<UUID> ids = rows.stream().map(MessageStore.NewMessage::id).toList();
    pool.preparedQuery(
            "UPDATE messages SET updated_at = now() - interval '1 hour' WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .await();
    return ids;
  }

  /** Opens a transaction that holds {@code id}'s row lock, as a writer in mid-commit does. */
  private static SqlConnection lock(UUID id) {
    SqlConnection connection = pool.getConnection().await();
    Transaction tx = connection.begin().await();
    assertThat(tx).isNotNull();
    connection
        .preparedQuery("SELECT id FROM messages WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .await();
    return connection;
  }

  private static Map<UUID, Row> rows(List<UUID> ids) {
    Map<UUID, Row> byId = new HashMap<>();
    pool.preparedQuery(
            "SELECT id, status, updated_at > now() - interval '1 minute' AS fresh FROM messages"
                + " WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .await()
        .forEach(row -> byId.put(row.getUUID("id"), row));
    return byId;
  }

  /** Waits for a sweep that must not wait on the lock; a sweep that waits fails the test. */
  private static <T> T withoutWaiting(Future<T> sweep) throws Exception {
    return sweep.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theStaleSweepTakesBackWhatItCanLockAndSkipsARowBeingWritten() throws Exception {
    List<UUID> ids = inFlight(3);
    SqlConnection writer = lock(ids.get(1));
    try {
      int taken = withoutWaiting(new MessageQueueStore(pool).requeueStale(Duration.ofMinutes(30)));
      // (other tests' leftovers may be taken too: the rows below are what counts)
      assertThat(taken).isGreaterThanOrEqualTo(2);
    } finally {
      writer.close().await();
    }
    Map<UUID, Row> after = rows(ids);
    assertThat(after.get(ids.get(0)).getString("status")).isEqualTo("queued");
    assertThat(after.get(ids.get(1)).getString("status")).isEqualTo("sending");
    assertThat(after.get(ids.get(2)).getString("status")).isEqualTo("queued");
  }

  /**
   * Verifies that a send outcome arriving after the stale sweep took its message back (the lane's
   * process was presumed dead) changes nothing: the message stays queued for its next attempt and
   * no {@code message.sent} event reports a send the row does not show, while the outcome of a
   * message still {@code sending} in the same batch is recorded with its event.
   */
  @Test
  void aLateSentOutcomeForAMessageTakenBackWritesNoSentEvent() throws Exception {
    List<UUID> stale = inFlight(2);
    withoutWaiting(new MessageQueueStore(pool).requeueStale(Duration.ofMinutes(30)));
    List<UUID> live = inFlight(1);
    List<UUID> all = List.of(stale.get(0), stale.get(1), live.get(0));
    List<SendOutcome> outcomes = new ArrayList<>();
    List<OutboundItem> claimed = new ArrayList<>();
    for (UUID id : all) {
      outcomes.add(SendOutcome.sent(id, List.of("late-" + id)));
      claimed.add(
          new OutboundItem(id, accountId, "+14155557000", "+15551230000", "in flight", "GSM-7", 1));
    }
    new MessageQueueStore(pool)
        .record(senderId, outcomes, claimed, 3, attempt -> Duration.ofSeconds(1))
        .await();

    Map<UUID, Row> after = rows(all);
    assertThat(after.get(stale.get(0)).getString("status")).isEqualTo("queued");
    assertThat(after.get(stale.get(1)).getString("status")).isEqualTo("queued");
    assertThat(after.get(live.get(0)).getString("status")).isEqualTo("sent");
    List<UUID> reported = new ArrayList<>();
    pool.preparedQuery(
            "SELECT subject_id FROM events WHERE type = 'message.sent' AND subject_id = ANY($1)")
        .execute(Tuple.of(all.toArray(UUID[]::new)))
        .await()
        .forEach(row -> reported.add(row.getUUID("subject_id")));
    assertThat(reported).containsExactly(live.get(0));
  }

  @Test
  void refreshingHeldMessagesSkipsARowBeingWrittenAndRefreshesTheRest() throws Exception {
    List<UUID> ids = inFlight(3);
    SqlConnection writer = lock(ids.get(0));
    try {
      withoutWaiting(new MessageQueueStore(pool).touch(ids));
    } finally {
      writer.close().await();
    }
    Map<UUID, Row> after = rows(ids);
    assertThat(after.get(ids.get(0)).getBoolean("fresh")).isFalse();
    assertThat(after.get(ids.get(1)).getBoolean("fresh")).isTrue();
    assertThat(after.get(ids.get(2)).getBoolean("fresh")).isTrue();
  }
}
