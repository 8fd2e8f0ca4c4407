package herald.agent;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;

/**
 * Changes to agents, tiers and the error log through the API, each in one transaction with its
 * audit entry (never the API key), and tasks run by hand.
 */
public final class AgentService {
  private final Pool pool;

  public AgentService(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> createAgent(Actor actor, Agent agent) {
    return pool.<JsonObject>withTransaction(
            tx ->
                AgentStore.insert(tx, agent)
                    .compose(
                        saved ->
                            AuditStore.record(
                                    tx, actor, "create", "agent", saved.id(), null, saved.toJson())
                                .map(saved.toJson())))
        .recover(err -> Future.failedFuture(duplicate(err, "agent")));
  }

  /** Applies {@code change} to the stored agent; 404 when the account has none of that id. */
  public Future<JsonObject> updateAgent(
      Actor actor, UUID id, java.util.function.Function<Agent, Agent> change) {
    return pool.<JsonObject>withTransaction(
            tx ->
                AgentStore.get(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Agent");
                          return AgentStore.update(tx, change.apply(before))
                              .compose(
                                  after ->
                                      AuditStore.record(
                                              tx,
                                              actor,
                                              "update",
                                              "agent",
                                              id,
                                              before.toJson(),
                                              after.toJson())
                                          .map(after.toJson()));
                        }))
        .recover(err -> Future.failedFuture(duplicate(err, "agent")));
  }

  /** 404 when absent; 409 while an inbound rule hands messages to it. */
  public Future<Void> deleteAgent(Actor actor, UUID id) {
    return pool.<Void>withTransaction(
            tx ->
                AgentStore.delete(tx, actor.accountId(), id)
                    .compose(
                        before ->
                            AuditStore.record(
                                tx,
                                actor,
                                "delete",
                                "agent",
                                id,
                                Responses.found(before, "Agent").toJson(),
                                null)))
        .recover(
            err ->
                Future.failedFuture(
                    isForeignKey(err)
                        ? ApiException.conflict(
                            "An inbound rule hands messages to this agent; change or delete it"
                                + " first")
                        : err));
  }

  public Future<JsonObject> createTier(Actor actor, Tier tier) {
    return pool.<JsonObject>withTransaction(
            tx ->
                TierStore.insert(tx, tier)
                    .compose(
                        saved ->
                            AuditStore.record(
                                    tx, actor, "create", "tier", saved.id(), null, saved.toJson())
                                .map(saved.toJson())))
        .recover(err -> Future.failedFuture(duplicate(err, "tier")));
  }

  public Future<JsonObject> updateTier(
      Actor actor, UUID id, java.util.function.Function<Tier, Tier> change) {
    return pool.<JsonObject>withTransaction(
            tx ->
                tx.preparedQuery(
                        "SELECT " + Tier.COLUMNS + " FROM tiers WHERE account_id = $1 AND id = $2")
                    .execute(io.vertx.sqlclient.Tuple.of(actor.accountId(), id))
                    .map(rows -> Rows.first(rows, Tier::from))
                    .compose(
                        before -> {
                          Responses.found(before, "Tier");
                          return TierStore.update(tx, change.apply(before))
                              .compose(
                                  after ->
                                      AuditStore.record(
                                              tx,
                                              actor,
                                              "update",
                                              "tier",
                                              id,
                                              before.toJson(),
                                              after.toJson())
                                          .map(after.toJson()));
                        }))
        .recover(err -> Future.failedFuture(duplicate(err, "tier")));
  }

  public Future<Void> deleteTier(Actor actor, UUID id) {
    return pool.withTransaction(
        tx ->
            TierStore.delete(tx, actor.accountId(), id)
                .compose(
                    before ->
                        AuditStore.record(
                            tx,
                            actor,
                            "delete",
                            "tier",
                            id,
                            Responses.found(before, "Tier").toJson(),
                            null)));
  }

  /** Marks an error-log entry resolved or not; 404 when the account has no such entry. */
  public Future<JsonObject> resolveError(Actor actor, UUID id, boolean resolved, String notes) {
    return pool.withTransaction(
        tx ->
            new ErrorStore(pool)
                .resolve(tx, actor.accountId(), id, resolved, notes)
                .compose(
                    after ->
                        AuditStore.record(
                                tx,
                                actor,
                                resolved ? "resolve" : "reopen",
                                "agent_error",
                                id,
                                null,
                                Responses.found(after, "Error log entry"))
                            .map(after)));
  }

  /**
   * Runs a task by hand: the same checks as an inbound message (tier, quota), then the workers
   * answer {@code phone} through {@code senderId}. Answers the task's id and status.
   */
  public Future<JsonObject> runTask(Actor actor, AgentIntake.Handoff handoff) {
    return pool.withTransaction(
            tx ->
                AgentStore.get(tx, actor.accountId(), handoff.agentId())
                    .compose(
                        agent -> {
                          if (agent == null) {
                            throw ApiException.validation(
                                "agent_id", "not_found", "no agent with this id");
                          }
                          return AgentIntake.handOff(tx, handoff);
                        })
                    .compose(
                        outcome ->
                            AuditStore.record(
                                    tx,
                                    actor,
                                    "run",
                                    "agent_task",
                                    outcome.taskId(),
                                    null,
                                    new JsonObject()
                                        .put("agent_id", handoff.agentId().toString())
                                        .put("phone_number", handoff.phone()))
                                .map(outcome)))
        .map(
            outcome ->
                new JsonObject()
                    .put("id", outcome.taskId().toString())
                    .put("status", outcome.status()));
  }

  private static Throwable duplicate(Throwable err, String what) {
    if (Rows.isUniqueViolation(err)) {
      return new ApiException(
          409,
          "duplicate-name",
          "Name taken",
          "The account already has a " + what + " of this name",
          List.of(new FieldError("name", "duplicate", "already taken")),
          null);
    }
    return err;
  }

  private static boolean isForeignKey(Throwable err) {
    return err instanceof io.vertx.pgclient.PgException pg && "23503".equals(pg.getSqlState());
  }
}
