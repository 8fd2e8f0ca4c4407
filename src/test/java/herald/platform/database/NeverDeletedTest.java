package herald.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import herald.testing.TestHerald;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages name their account and sender without foreign keys (V23): the rule those keys kept holds
 * because the database refuses to delete accounts, senders and messages at all.
 */
class NeverDeletedTest {
  private static TestHerald herald;
  private static Pool pool;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    pool = herald.herald().platform().pool();
    herald.client().loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DELETE FROM accounts",
        "DELETE FROM senders",
        "DELETE FROM messages",
        "TRUNCATE accounts CASCADE",
        "TRUNCATE senders CASCADE",
        "TRUNCATE messages"
      })
  void theDatabaseRefusesToDeleteWhatMessagesReferTo(String statement) {
    long before = count();
    Throwable refused = catchThrowable(() -> pool.query(statement).execute().await());
    assertThat(refused).isInstanceOf(PgException.class);
    assertThat(((PgException) refused).getSqlState()).isEqualTo("23001");
    assertThat(refused).hasMessageContaining("never deleted");
    assertThat(count()).as("nothing deleted").isEqualTo(before);
  }

  private static long count() {
    return pool.query(
            "SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM senders)"
                + " + (SELECT count(*) FROM messages) AS n")
        .execute()
        .await()
        .iterator()
        .next()
        .getLong("n");
  }
}
