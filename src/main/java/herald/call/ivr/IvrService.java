package herald.call.ivr;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * Creates, replaces and deletes IVRs, each in one transaction with its audit entry. A call takes a
 * snapshot of its IVR when it is queued, so changes here never reach a call already placed.
 */
public final class IvrService {
  private final Pool pool;

  public IvrService(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> create(Actor actor, Ivr ivr) {
    return pool.withTransaction(
        tx ->
            IvrStore.insert(tx, ivr)
                .compose(
                    saved ->
                        AuditStore.record(
                                tx, actor, "create", "ivr", saved.id(), null, saved.toJson())
                            .map(saved.toJson())));
  }

  /** Replaces the IVR of {@code given}'s id; 404 when it is not the account's. */
  public Future<JsonObject> replace(Actor actor, Ivr given) {
    return pool.withTransaction(
        tx ->
            IvrStore.getForUpdate(tx, actor.accountId(), given.id())
                .compose(
                    before -> {
                      Responses.found(before, "IVR");
                      return IvrStore.update(tx, given)
                          .compose(
                              saved ->
                                  AuditStore.record(
                                          tx,
                                          actor,
                                          "update",
                                          "ivr",
                                          saved.id(),
                                          before.toJson(),
                                          saved.toJson())
                                      .map(saved.toJson()));
                    }));
  }

  /** Deletes the IVR; 404 when it is not the account's. Calls already placed keep their copy. */
  public Future<Void> delete(Actor actor, UUID id) {
    return pool.withTransaction(
        tx ->
            IvrStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "IVR");
                      return IvrStore.delete(tx, actor.accountId(), id)
                          .compose(
                              v ->
                                  AuditStore.record(
                                      tx, actor, "delete", "ivr", id, before.toJson(), null))
                          .mapEmpty();
                    }));
  }
}
