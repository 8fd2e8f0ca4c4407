package herald.sender;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.bus.Addresses;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Creates, changes and deactivates senders: each change in one transaction with its audit entry,
 * then, once committed, a {@link Addresses#SENDERS_CHANGED} publish so that the engine and the
 * channels reload the sender at once (they also reload periodically). Used by the sender routes and
 * by the composition root for the simulator's sender.
 */
public final class SenderService {
  private final Vertx vertx;
  private final Pool pool;

  public SenderService(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /**
   * Inserts {@code sender} (id, account and validated settings already set); making it the default
   * clears the account's previous default for its channel.
   */
  public Future<Sender> create(Actor actor, Sender sender) {
    return pool.withTransaction(
            tx ->
                SenderStore.insert(tx, sender)
                    .compose(saved -> audit(tx, actor, "create", null, saved)))
        .map(this::changed);
  }

  /**
   * Locks the sender, applies {@code change} to it (which may fail, with field errors say, after
   * the sender was found) and writes the result. 404 when it is not the account's.
   */
  public Future<Sender> update(Actor actor, UUID id, UnaryOperator<Sender> change) {
    return pool.withTransaction(
            tx ->
                SenderStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Sender");
                          return SenderStore.update(tx, change.apply(before))
                              .compose(saved -> audit(tx, actor, "update", before, saved));
                        }))
        .map(this::changed);
  }

  /**
   * Deactivates the sender (and takes away its default flag), keeping the history of messages sent
   * through it. 404 when it is not the account's.
   */
  public Future<Sender> deactivate(Actor actor, UUID id) {
    return pool.withTransaction(
            tx ->
                SenderStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Sender");
                          Sender after =
                              new Sender(
                                  before.id(),
                                  before.accountId(),
                                  before.name(),
                                  before.channel(),
                                  before.provider(),
                                  before.settings(),
                                  before.secrets(),
                                  before.ratePerSecond(),
                                  false,
                                  false,
                                  before.createdAt(),
                                  before.updatedAt());
                          return SenderStore.update(tx, after)
                              .compose(saved -> audit(tx, actor, "delete", before, saved));
                        }))
        .map(this::changed);
  }

  private static Future<Sender> audit(
      SqlClient tx, Actor actor, String action, Sender before, Sender after) {
    return AuditStore.record(
            tx,
            actor,
            action,
            "sender",
            after.id(),
            before == null ? null : before.toJson(),
            after.toJson())
        .map(after);
  }

  /** Tells the engine and channels to reload this sender. */
  private Sender changed(Sender sender) {
    vertx.eventBus().publish(Addresses.SENDERS_CHANGED, sender.id().toString());
    return sender;
  }
}
