package herald.template;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/** Creates, replaces and deletes templates, each in one transaction with its audit entry. */
public final class TemplateService {
  private final Pool pool;

  public TemplateService(Pool pool) {
    this.pool = pool;
  }

  /** Inserts {@code template} (its id and account already set); answers its public JSON. */
  public Future<JsonObject> create(Actor actor, Template template) {
    return pool.withTransaction(
        tx ->
            TemplateStore.insert(tx, template)
                .compose(saved -> audit(tx, actor, "create", null, saved)));
  }

  /** Replaces the template of {@code given}'s id; 404 when it is not the account's. */
  public Future<JsonObject> replace(Actor actor, Template given) {
    return pool.withTransaction(
        tx ->
            TemplateStore.getForUpdate(tx, actor.accountId(), given.id())
                .compose(
                    before -> {
                      Responses.found(before, "Template");
                      return TemplateStore.update(tx, given)
                          .compose(saved -> audit(tx, actor, "update", before, saved));
                    }));
  }

  /** Deletes the template; 404 when it is not the account's. */
  public Future<Void> delete(Actor actor, UUID id) {
    return pool.withTransaction(
        tx ->
            TemplateStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Template");
                      return TemplateStore.delete(tx, actor.accountId(), id)
                          .compose(
                              v ->
                                  AuditStore.record(
                                      tx, actor, "delete", "template", id, before.toJson(), null));
                    }));
  }

  private static Future<JsonObject> audit(
      SqlClient tx, Actor actor, String action, Template before, Template after) {
    return AuditStore.record(
            tx,
            actor,
            action,
            "template",
            after.id(),
            before == null ? null : before.toJson(),
            after.toJson())
        .map(after.toJson());
  }
}
