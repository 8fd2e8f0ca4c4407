package herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import herald.channel.OutboundItem;
import herald.channel.Receipt;
import herald.channel.SendOutcome;
import herald.platform.database.EmbeddedPostgres;
import herald.testing.TestHerald;
import herald.testing.TestPostgres;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The lane's writes (the sent record of a batch, the receipts that settle it) read the rows of that
 * batch and no others, however many messages and parts the sender already has and however stale the
 * table statistics are. A busy sender's first minutes are exactly that case: the tables grow faster
 * than autovacuum analyses them, and a statement the planner may turn into a scan of every part of
 * the sender (or every message in a status) gets slower with each message sent. Each statement's
 * executed plan is taken from PostgreSQL's {@code auto_explain}, which this test's own pool loads
 * and which sends each plan to the client as a notice.
 */
class MessageWritePlanTest {
  private static final int HISTORY = 5_000;
  private static final int BATCH = 20;

  /** More than a batch's rows and far fewer than the sender's history. */
  private static final int MOST_ROWS_A_STATEMENT_MAY_READ = 500;

  private static final Pattern SCAN =
      Pattern.compile(
          "(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)"
              + "(?: using (\\S+))? on (\\S+).*?actual time=\\S+ rows=(\\d+) loops=(\\d+)");
  private static final Pattern REMOVED = Pattern.compile("Rows Removed by Filter: (\\d+)");
  private static final Pattern JOIN_FILTER_REMOVED =
      Pattern.compile("Rows Removed by Join Filter: (\\d+)");

  private static TestHerald herald;
  private static Pool explained;
  private static final String NOTICE_LOGGER = "io.vertx.sqlclient.impl.SocketConnectionBase";
  private static final List<String> plans = new CopyOnWriteArrayList<>();
  private static final AppenderBase<ILoggingEvent> capture =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          String message = event.getFormattedMessage();
          if (message.contains("plan:")) {
            plans.add(message);
          }
        }
      };
  private static UUID accountId;
  private static UUID senderId;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    Pool pool = herald.herald().platform().pool();
    accountId =
        pool.query("SELECT account_id FROM senders LIMIT 1")
            .execute()
            .await()
            .iterator()
            .next()
            .getUUID("account_id");
    senderId = inactiveSender(pool, "plan test");
    // Its history, written as traffic writes it: sending, then sent with a part each.
    pool.preparedQuery(
            "INSERT INTO messages (id, account_id, sender_id, channel, to_number, body, encoding,"
                + " segments, status) SELECT gen_random_uuid(), $1, $2, 'sms',"
                + " '+1415555' || lpad(g::text, 4, '0'), 'history', 'GSM-7', 1, 'sending'"
                + " FROM generate_series(1, $3) g")
        .execute(Tuple.of(accountId, senderId, HISTORY))
        .await();
    pool.preparedQuery(
            "UPDATE messages SET status = 'sent', sent_at = now(), provider_message_id = 'h-' || id"
                + " WHERE sender_id = $1")
        .execute(Tuple.of(senderId))
        .await();
    pool.preparedQuery(
            "INSERT INTO message_parts (sender_id, provider_message_id, message_id, part)"
                + " SELECT sender_id, provider_message_id, id, 1 FROM messages WHERE sender_id = $1")
        .execute(Tuple.of(senderId))
        .await();

    EmbeddedPostgres pg = TestPostgres.get();
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost(pg.host())
            .setPort(pg.port())
            .setDatabase(herald.database())
            .setUser(pg.user())
            .setPassword(pg.password());
    explained =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1))
            .connectingTo(options)
            .using(herald.vertx())
            .withConnectHandler(
                connection ->
                    connection
                        .query(
                            "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0;"
                                + " SET auto_explain.log_analyze = on;"
                                + " SET auto_explain.log_level = notice")
                        .execute()
                        .onComplete(done -> connection.close()))
            .build();
    // The client logs each notice the server sends (the plans) through this logger; a connection's
    // own notice handler is not kept by the pool.
    Logger notices = (Logger) LoggerFactory.getLogger(NOTICE_LOGGER);
    notices.addAppender(capture);
    capture.start();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(NOTICE_LOGGER)).detachAppender(capture);
    if (explained != null) {
      explained.close().await();
    }
    herald.close();
  }

  @Test
  void recordingABatchSentAndApplyingItsReceiptsReadOnlyThatBatchsRows() {
    Pool pool = herald.herald().platform().pool();
    pool.preparedQuery(
            "INSERT INTO messages (id, account_id, sender_id, channel, to_number, body, encoding,"
                + " segments, status) SELECT gen_random_uuid(), $1, $2, 'sms',"
                + " '+1415666' || lpad(g::text, 4, '0'), 'batch', 'GSM-7', 1, 'queued'"
                + " FROM generate_series(1, $3) g")
        .execute(Tuple.of(accountId, senderId, BATCH))
        .await();
    MessageQueueStore store = new MessageQueueStore(explained);
    List<OutboundItem> claimed = store.claim(senderId, BATCH).await();
    assertThat(claimed).hasSize(BATCH);
    List<SendOutcome> outcomes = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    for (OutboundItem item : claimed) {
      String pid = "b-" + item.id();
      outcomes.add(SendOutcome.sent(item.id(), List.of(pid)));
      receipts.add(new Receipt(pid, true, "DELIVRD", "000"));
    }

    plans.clear();
    store.record(senderId, outcomes, claimed, 3, attempt -> Duration.ofSeconds(1)).await();
    List<ReceiptStore.Settled> settled =
        new ReceiptStore(explained).applyReceipts(senderId, List.of(senderId), receipts).await();

    assertThat(settled).hasSize(BATCH).allMatch(s -> s.status().equals("delivered"));
    Row counts =
        pool.preparedQuery(
                "SELECT count(*) FILTER (WHERE status = 'delivered') AS delivered,"
                    + " count(*) FILTER (WHERE status = 'sent') AS sent FROM messages"
                    + " WHERE sender_id = $1")
            .execute(Tuple.of(senderId))
            .await()
            .iterator()
            .next();
    assertThat(counts.getLong("delivered")).isEqualTo(BATCH);
    assertThat(counts.getLong("sent")).isEqualTo(HISTORY);

    // Every statement of the two transactions was explained, and none read the history.
    assertThat(plans)
        .anySatisfy(plan -> assertThat(plan).contains("INSERT INTO message_parts"))
        .anySatisfy(plan -> assertThat(plan).contains("FROM unnest($2::text[], $3::bool[]"));
    for (String plan : plans) {
      assertThat(rowsRead(plan))
          .as("rows read by one node of\n%s", plan)
          .isLessThanOrEqualTo(MOST_ROWS_A_STATEMENT_MAY_READ);
    }
  }

  /**
   * A large batch of outcomes (sent, retried and failed, as a wide SMPP window or a requeue after
   * an outage makes) is written in time that grows with the batch, not with its square: no node of
   * any plan compares each message with every row of the statement's input arrays (a third of the
   * batch in each statement would drop 9,900 rows in such a join filter; an event's queue rows drop
   * one row per consumer that does not take it), and none reads more than ten rows per message of
   * the message tables (the sender's 30,000 earlier messages stay unread).
   */
  @Test
  void recordingALargeBatchAndItsReceiptsComparesEachMessageWithItsOwnOutcomeOnly() {
    int batch = 300;
    Pool pool = herald.herald().platform().pool();
    UUID bulkSender = inactiveSender(pool, "plan test, large batch");
    pool.preparedQuery(
            "INSERT INTO messages (id, account_id, sender_id, channel, to_number, body, encoding,"
                + " segments, status) SELECT gen_random_uuid(), $1, $2, 'sms',"
                + " '+1415777' || lpad(g::text, 4, '0'), 'bulk', 'GSM-7', 1,"
                + " CASE WHEN g <= $3 THEN 'queued' ELSE 'sent' END"
                + " FROM generate_series(1, $4) g")
        .execute(Tuple.of(accountId, bulkSender, batch, 30_000))
        .await();
    // Statistics taken while no message is sending, as autovacuum takes them on a busy gateway
    // between batches: the planner then expects a batch's lock sub-select to yield one row.
    pool.query("ANALYZE messages").execute().await();
    MessageQueueStore store = new MessageQueueStore(explained);
    List<OutboundItem> claimed = store.claim(bulkSender, batch).await();
    assertThat(claimed).hasSize(batch);
    List<SendOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i++) {
      UUID id = claimed.get(i).id();
      outcomes.add(
          switch (i % 3) {
            case 0 -> SendOutcome.sent(id, List.of("l-" + id));
            case 1 -> SendOutcome.of(id, SendOutcome.Kind.RETRY, "throttled", "try later");
            default -> SendOutcome.of(id, SendOutcome.Kind.FAILED, "rejected", "bad number");
          });
    }

    plans.clear();
    store.record(bulkSender, outcomes, claimed, 3, attempt -> Duration.ofSeconds(60)).await();
    List<Receipt> receipts = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i += 3) {
      receipts.add(new Receipt("l-" + claimed.get(i).id(), true, "DELIVRD", "000"));
    }
    List<ReceiptStore.Settled> settled =
        new ReceiptStore(explained)
            .applyReceipts(bulkSender, List.of(bulkSender), receipts)
            .await();
    assertThat(settled).hasSize(batch / 3);

    Row counts =
        pool.preparedQuery(
                "SELECT count(*) FILTER (WHERE status = 'sent') AS sent,"
                    + " count(*) FILTER (WHERE status = 'delivered') AS delivered,"
                    + " count(*) FILTER (WHERE status = 'queued') AS queued,"
                    + " count(*) FILTER (WHERE status = 'failed') AS failed FROM messages"
                    + " WHERE sender_id = $1")
            .execute(Tuple.of(bulkSender))
            .await()
            .iterator()
            .next();
    assertThat(counts.getLong("sent")).isEqualTo(30_000 - batch);
    assertThat(counts.getLong("delivered")).isEqualTo(batch / 3);
    assertThat(counts.getLong("queued")).isEqualTo(batch / 3);
    assertThat(counts.getLong("failed")).isEqualTo(batch / 3);
    assertThat(plans)
        .anySatisfy(plan -> assertThat(plan).contains("status = 'sent'"))
        .anySatisfy(plan -> assertThat(plan).contains("status = 'queued'"))
        .anySatisfy(plan -> assertThat(plan).contains("status = 'failed'"))
        .anySatisfy(plan -> assertThat(plan).contains("FROM unnest($2::text[], $3::bool[]"));
    for (String plan : plans) {
      assertThat(rowsRead(plan))
          .as("rows read by one node of\n%s", plan)
          .isLessThanOrEqualTo(10L * batch);
      Matcher removed = JOIN_FILTER_REMOVED.matcher(plan);
      while (removed.find()) {
        assertThat(Long.parseLong(removed.group(1)))
            .as("rows a join filter compared and dropped in\n%s", plan)
            .isLessThanOrEqualTo(10L * batch);
      }
    }
  }

  /**
   * A sender of the test's own, inactive so that no lane sends for it while the test drives the
   * store.
   */
  private static UUID inactiveSender(Pool pool, String name) {
    UUID id = UUID.randomUUID();
    pool.preparedQuery(
            "INSERT INTO senders (id, account_id, name, channel, provider, rate_per_second,"
                + " is_active) VALUES ($1, $2, $3, 'sms', 'smpp', 100, false)")
        .execute(Tuple.of(id, accountId, name))
        .await();
    return id;
  }

  /** The most rows any scan node of the messages or parts tables read (kept or filtered away). */
  private static long rowsRead(String plan) {
    long most = 0;
    String[] lines = plan.split("\n");
    for (int i = 0; i < lines.length; i++) {
      Matcher scan = SCAN.matcher(lines[i]);
      if (!scan.find()) {
        continue;
      }
      String relation = scan.group(3);
      String index = scan.group(2) == null ? "" : scan.group(2);
      if (!relation.startsWith("message") && !index.startsWith("message")) {
        continue;
      }
      long read = Long.parseLong(scan.group(4)) * Long.parseLong(scan.group(5));
      for (int j = i + 1; j < lines.length && j <= i + 4; j++) {
        Matcher removed = REMOVED.matcher(lines[j]);
        if (removed.find()) {
          read += Long.parseLong(removed.group(1)) * Long.parseLong(scan.group(5));
          break;
        }
      }
      most = Math.max(most, read);
    }
    return most;
  }
}
