package herald.message;

import herald.event.EventType;
import herald.platform.http.IdempotencyStore;
import herald.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Commits accepted sends. Small requests arriving while a commit is under way wait for it and are
 * then committed together in one transaction (group commit), so a burst of single sends costs a few
 * transactions instead of one each, and an idle gateway adds no delay. A request is answered only
 * after the transaction holding it commits. If a shared transaction fails (one request's
 * idempotency key raced another's, say), each of its requests is retried in a transaction of its
 * own, so one request's failure never fails the others.
 *
 * <p>One instance per HTTP verticle, used on its event loop only.
 */
final class IntakeCommitter {
  /** Requests at least this large are committed on their own: they are batches already. */
  static final int SOLO_ROWS = 100;

  private static final int MAX_GROUP_ROWS = 2_000;
  private static final int MAX_IN_FLIGHT = 2;

  /** One request's rows, its idempotency record if it has a key, and who waits for it. */
  record Request(
      UUID accountId,
      List<MessageStore.NewMessage> rows,
      String idempotencyKey,
      byte[] requestHash,
      JsonObject response,
      Promise<Void> committed) {}

  private final Pool pool;
  private final Metrics metrics;
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private int inFlight;

  IntakeCommitter(Pool pool, Metrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
  }

  /** Completes once the request's messages, events and idempotency record are committed. */
  Future<Void> commit(
      UUID accountId,
      List<MessageStore.NewMessage> rows,
      String idempotencyKey,
      byte[] requestHash,
      JsonObject response) {
    Request request =
        new Request(accountId, rows, idempotencyKey, requestHash, response, Promise.promise());
    if (rows.size() >= SOLO_ROWS) {
      return transaction(List.of(request));
    }
    waiting.add(request);
    drain();
    return request.committed().future();
  }

  private void drain() {
    while (inFlight < MAX_IN_FLIGHT && !waiting.isEmpty()) {
      List<Request> group = new ArrayList<>();
      int rows = 0;
      while (!waiting.isEmpty() && rows + waiting.peek().rows().size() <= MAX_GROUP_ROWS) {
        Request next = waiting.poll();
        rows += next.rows().size();
        group.add(next);
      }
      inFlight++;
      transaction(group)
          .onComplete(
              done -> {
                if (done.succeeded()) {
                  group.forEach(r -> r.committed().complete());
                } else if (group.size() == 1) {
                  group.get(0).committed().fail(done.cause());
                } else {
                  group.forEach(r -> transaction(List.of(r)).onComplete(r.committed()));
                }
                inFlight--;
                drain();
              });
    }
  }

  /** One insert per account for the whole group, then each request's idempotency record. */
  private Future<Void> transaction(List<Request> group) {
    Map<UUID, List<MessageStore.NewMessage>> byAccount = new LinkedHashMap<>();
    group.forEach(
        r -> byAccount.computeIfAbsent(r.accountId(), k -> new ArrayList<>()).addAll(r.rows()));
    return pool.<Void>withTransaction(
            tx -> {
              Future<Void> chain = Future.succeededFuture();
              for (Map.Entry<UUID, List<MessageStore.NewMessage>> e : byAccount.entrySet()) {
                chain =
                    chain.compose(
                        v ->
                            MessageStore.insert(
                                tx,
                                e.getKey(),
                                "outbound",
                                "queued",
                                e.getValue(),
                                EventType.MESSAGE_QUEUED));
              }
              for (Request r : group) {
                if (r.idempotencyKey() != null) {
                  chain = chain.compose(v -> saveKey(tx, r));
                }
              }
              return chain;
            })
        .onSuccess(v -> countQueued(byAccount.values()));
  }

  private void countQueued(Iterable<List<MessageStore.NewMessage>> committed) {
    Map<UUID, Integer> bySender = new LinkedHashMap<>();
    committed.forEach(rows -> rows.forEach(m -> bySender.merge(m.senderId(), 1, Integer::sum)));
    bySender.forEach((sender, n) -> metrics.messages("sms", sender, "queued", n));
  }

  private static Future<Void> saveKey(SqlClient tx, Request r) {
    return IdempotencyStore.save(
        tx, r.accountId(), r.idempotencyKey(), r.requestHash(), 202, r.response());
  }
}
