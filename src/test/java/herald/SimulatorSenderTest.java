package herald;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestHerald;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's sender is written through {@code SenderService} as any sender is: created once as
 * the platform account's default on first start, then re-pointed at a new SMSC port with an audited
 * update, and left alone when the port has not changed.
 */
class SimulatorSenderTest {
  private static TestHerald herald;
  private static Pool pool;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    pool = herald.herald().platform().pool();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static RowSet<Row> query(String sql) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(SimulatorSender.NAME))
        .toCompletionStage()
        .toCompletableFuture()
        .join();
  }

  private static Row sender() {
    RowSet<Row> rows =
        query(
            "SELECT id, is_default, is_active, settings->>'port' AS port FROM senders"
                + " WHERE name = $1");
    assertThat(rows.size()).as("one simulator sender").isEqualTo(1);
    return rows.iterator().next();
  }

  private static long audits(String action) {
    return query(
            "SELECT count(*) AS n FROM audit_logs a JOIN senders s ON a.resource_id = s.id::text"
                + " WHERE s.name = $1 AND a.resource_type = 'sender' AND a.action = '"
                + action
                + "'")
        .iterator()
        .next()
        .getLong("n");
  }

  @Test
  void createsTheDefaultSenderOnceThenRepointsItWithAnAuditedUpdateOnlyWhenThePortChanges() {
    Row first = sender();
    assertThat(first.getBoolean("is_default")).isTrue();
    assertThat(first.getBoolean("is_active")).isTrue();
    assertThat(audits("create")).isEqualTo(1);
    int port = Integer.parseInt(first.getString("port"));

    join(SimulatorSender.wire(herald.vertx(), pool, port + 1));
    Row moved = sender();
    assertThat(moved.getUUID("id")).isEqualTo(first.getUUID("id"));
    assertThat(moved.getString("port")).isEqualTo(Integer.toString(port + 1));
    assertThat(moved.getBoolean("is_default")).isTrue();
    assertThat(audits("update")).isEqualTo(1);

    join(SimulatorSender.wire(herald.vertx(), pool, port + 1));
    assertThat(audits("update")).as("same port: nothing written").isEqualTo(1);
    assertThat(audits("create")).isEqualTo(1);
  }

  private static void join(io.vertx.core.Future<Void> future) {
    future.toCompletionStage().toCompletableFuture().join();
  }
}
