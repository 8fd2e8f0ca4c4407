package herald.call;

import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.database.Outbox;
import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * Queues calls and ends them on request: each change in one transaction with its outbox event; the
 * sender's lane is woken (or told to hang up) once it commits.
 */
public final class CallService {
  private final Vertx vertx;
  private final Pool pool;

  public CallService(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Commits a queued call with its {@code call.queued} event, then wakes its sender's lane. */
  public Future<Call> queue(Call call) {
    return pool.withTransaction(
            tx ->
                CallStore.insert(tx, call)
                    .compose(
                        saved ->
                            Outbox.append(
                                    tx,
                                    saved.accountId(),
                                    EventType.CALL_QUEUED,
                                    saved.id(),
                                    saved.toJson())
                                .map(saved)))
        .onSuccess(
            saved ->
                vertx.eventBus().publish(Addresses.MESSAGES_QUEUED, saved.senderId().toString()));
  }

  /**
   * Ends the account's call: a queued one is canceled at once ({@code call.failed} with status
   * {@code canceled}, no CDR since it was never dialled); a live one is hung up by its lane, which
   * ends it with its CDR when the channel is destroyed. 404 for another account's call, 409 for one
   * that has ended.
   */
  public Future<Call> hangup(UUID accountId, UUID id) {
    return pool.withTransaction(
            tx ->
                CallStore.getForUpdate(tx, accountId, id)
                    .compose(
                        call -> {
                          Responses.found(call, "Call");
                          if (!Call.LIVE.contains(call.status())) {
                            throw ApiException.conflict(
                                "The call has ended (" + call.status() + ")");
                          }
                          if ("queued".equals(call.status())) {
                            return CallStore.cancel(tx, id)
                                .compose(
                                    canceled ->
                                        Outbox.append(
                                                tx,
                                                accountId,
                                                EventType.CALL_FAILED,
                                                id,
                                                canceled.toJson())
                                            .map(canceled));
                          }
                          return CallStore.requestHangup(tx, id);
                        }))
        .onSuccess(
            call -> {
              if (Call.LIVE.contains(call.status())) {
                vertx.eventBus().publish(Addresses.callHangup(call.senderId()), id.toString());
              }
            });
  }
}
