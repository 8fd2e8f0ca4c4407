package herald.message;

import herald.event.EventType;
import herald.platform.database.GroupCommit;
import herald.platform.database.Pipelined;
import herald.platform.http.IdempotencyStore;
import herald.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Commits accepted sends through a {@link GroupCommit}: small requests arriving while a commit is
 * under way wait for it and are then committed together in one transaction, so a burst of single
 * sends costs a few transactions instead of one each, and an idle gateway adds no delay. A request
 * is answered only after the transaction holding it commits. If a shared transaction fails (one
 * request's idempotency key raced another's, say), each of its requests is retried in a transaction
 * of its own, so one request's failure never fails the others.
 *
 * <p>One instance per HTTP verticle, used on its event loop only.
 */
final class IntakeCommitter {
  /** Requests at least this large are committed on their own: they are batches already. */
  static final int SOLO_ROWS = 100;

  private static final GroupCommit.Options OPTIONS =
      new GroupCommit.Options(Duration.ZERO, 2, 2_000, true);

  /** One request's rows, its idempotency record if it has a key. */
  record Request(
      UUID accountId,
      List<MessageStore.NewMessage> rows,
      Map<UUID, String> channels,
      String idempotencyKey,
      byte[] requestHash,
      JsonObject response) {}

  private final Pool pool;
  private final Metrics metrics;
  private GroupCommit<Boolean, Request, Void> group;

  IntakeCommitter(Pool pool, Metrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
  }

  /**
   * Completes once the request's messages, events and idempotency record are committed.
   *
   * @param channels each sender's channel (for the queued counters)
   */
  Future<Void> commit(
      UUID accountId,
      List<MessageStore.NewMessage> rows,
      Map<UUID, String> channels,
      String idempotencyKey,
      byte[] requestHash,
      JsonObject response) {
    Request request = new Request(accountId, rows, channels, idempotencyKey, requestHash, response);
    if (rows.size() >= SOLO_ROWS) {
      return transaction(List.of(request));
    }
    if (group == null) {
      group =
          new GroupCommit<>(
              Vertx.currentContext(),
              OPTIONS,
              (key, requests) -> transaction(requests),
              r -> r.rows().size());
    }
    return group.submit(Boolean.TRUE, request);
  }

  /** One insert per account for the whole group, then each request's idempotency record. */
  private Future<Void> transaction(List<Request> group) {
    Map<UUID, List<MessageStore.NewMessage>> byAccount = new LinkedHashMap<>();
    group.forEach(
        r -> byAccount.computeIfAbsent(r.accountId(), k -> new ArrayList<>()).addAll(r.rows()));
    return Pipelined.<Void>transaction(
            pool,
            tx -> {
              // Independent statements, written without waiting for each other (Pipelined).
              List<Future<Void>> statements = new ArrayList<>();
              byAccount.forEach(
                  (account, rows) ->
                      statements.add(
                          MessageStore.insert(
                              tx, account, "outbound", "queued", rows, EventType.MESSAGE_QUEUED)));
              for (Request r : group) {
                if (r.idempotencyKey() != null) {
                  statements.add(saveKey(tx, r));
                }
              }
              return Future.all(statements).mapEmpty();
            })
        .onSuccess(v -> countQueued(group));
  }

  private void countQueued(List<Request> committed) {
    Map<UUID, Integer> bySender = new LinkedHashMap<>();
    Map<UUID, String> channels = new LinkedHashMap<>();
    for (Request r : committed) {
      r.rows().forEach(m -> bySender.merge(m.senderId(), 1, Integer::sum));
      channels.putAll(r.channels());
    }
    bySender.forEach((sender, n) -> metrics.messages(channels.get(sender), sender, "queued", n));
  }

  private static Future<Void> saveKey(SqlClient tx, Request r) {
    return IdempotencyStore.save(
        tx, r.accountId(), r.idempotencyKey(), r.requestHash(), 202, r.response());
  }
}
