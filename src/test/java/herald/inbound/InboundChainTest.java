package herald.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestHerald;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inbound handler chain: steps run in order in the transaction that stores the message, a
 * keyword ends the chain at the opt-out step, and a later step (where the AI agent will sit) sees
 * every other message and can write in the same transaction.
 */
class InboundChainTest {
  private static TestHerald herald;
  private static Pool pool;
  private static UUID accountId;
  private static UUID senderId;

  /** A later step: records what it saw and rolls the store back on "fail". */
  private static final class Recording implements InboundHandler {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public Future<Handled> handle(SqlClient tx, Received message) {
      seen.add(message.text());
      if (message.text().equals("fail")) {
        return Future.failedFuture("the agent failed");
      }
      return Future.succeededFuture(Handled.CONTINUE);
    }
  }

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    pool = herald.herald().platform().pool();
    TestHerald.Sender sender = herald.firstSender();
    senderId = sender.id();
    accountId = sender.accountId();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static long inboundFrom(String from) {
    return pool.preparedQuery(
            "SELECT count(*) FROM messages WHERE direction = 'inbound' AND to_number = $1")
        .execute(Tuple.of(from))
        .await()
        .iterator()
        .next()
        .getLong(0);
  }

  private static long blacklisted(String number) {
    return pool.preparedQuery(
            "SELECT count(*) FROM blacklist WHERE account_id = $1 AND phone_number = $2")
        .execute(Tuple.of(accountId, number))
        .await()
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void aKeywordStopsAtTheOptOutStepAndOtherTextGoesOnToTheNextStep() {
    Recording later = new Recording();
    InboundMessages messages =
        new InboundMessages(
            pool, List.of(new OptOutKeywords(herald.herald().platform().config().sms()), later));

    boolean replied =
        messages.store(accountId, senderId, "sms", "+14155558801", "+15550001", "STOP").await();
    boolean other =
        messages
            .store(accountId, senderId, "sms", "+14155558802", "+15550001", "what time is it?")
            .await();

    assertThat(replied).isTrue();
    assertThat(blacklisted("+14155558801")).isEqualTo(1);
    assertThat(other).isFalse();
    assertThat(later.seen).containsExactly("what time is it?");
  }

  @Test
  void aStepThatFailsRollsTheStoredMessageBack() {
    InboundMessages messages = new InboundMessages(pool, List.of(new Recording()));
    Future<Boolean> stored =
        messages.store(accountId, senderId, "sms", "+14155558803", "+15550003", "fail");
    assertThat(stored.toCompletionStage().toCompletableFuture().handle((v, e) -> e).join())
        .isNotNull();
    // to_number of an inbound message is our number
    assertThat(inboundFrom("+15550003")).isZero();
  }
}
