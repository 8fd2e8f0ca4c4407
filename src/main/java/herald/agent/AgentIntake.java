package herald.agent;

import herald.platform.database.Ids;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Hands an inbound message to an agent in the transaction that stores it: the number's tier (its
 * contact's, else the agent's default) and quotas are checked here, so an unknown tier, a category
 * the tier does not allow and a used-up quota are answered at once with the configured text and the
 * model is never called; otherwise a pending task is written for the agent workers, who are woken
 * when the transaction commits.
 */
public final class AgentIntake {
  /** The event-bus address that wakes the agent workers (local, no body). */
  public static final String WAKE = "herald.agent.tasks.wake";

  /**
   * A message for an agent.
   *
   * @param ruleId the inbound rule that handed it over, or null (a task run by hand)
   * @param inboundMessageId the stored inbound message, or null (a task run by hand)
   * @param phone the end user's address as received; replies go there
   * @param ourNumber the address it was sent to; replies come from there
   * @param category the category, or null to classify by the agent's keyword map
   */
  public record Handoff(
      UUID accountId,
      UUID agentId,
      UUID ruleId,
      UUID inboundMessageId,
      UUID senderId,
      String channel,
      String phone,
      String ourNumber,
      String text,
      String category) {}

  /**
   * What became of a handoff.
   *
   * @param replyQueued a reply was queued now (a rejection); false when a task waits for a worker
   */
  public record Outcome(UUID taskId, String status, boolean replyQueued) {}

  private AgentIntake() {}

  /** Runs the checks and writes the task (and any reply) in {@code tx}. */
  public static Future<Outcome> handOff(SqlClient tx, Handoff h) {
    return AgentStore.get(tx, h.accountId(), h.agentId())
        .compose(
            agent -> {
              if (agent == null) {
                return Future.failedFuture("agent " + h.agentId() + " does not exist");
              }
              return countRequest(tx, h).compose(contactTier -> decide(tx, h, agent, contactTier));
            });
  }

  /** Counts the request on the number's contact, if any; answers the contact's tier or null. */
  private static Future<String> countRequest(SqlClient tx, Handoff h) {
    String phone = h.phone();
    String e164 = phone.startsWith("+") ? phone : "+" + phone;
    return tx.preparedQuery(
            "UPDATE contacts SET total_requests = total_requests + 1, last_request_at = now()"
                + " WHERE account_id = $1 AND phone_number IN ($2, $3) RETURNING tier")
        .execute(Tuple.of(h.accountId(), phone, e164))
        .map(
            rows -> {
              for (Row row : rows) {
                if (row.getString("tier") != null) {
                  return row.getString("tier");
                }
              }
              return null;
            });
  }

  private static Future<Outcome> decide(SqlClient tx, Handoff h, Agent agent, String contactTier) {
    String tierName = contactTier != null ? contactTier : agent.defaultTier();
    String category = h.category() != null ? h.category() : agent.classify(h.text());
    if (tierName == null) {
      return pending(tx, h, category, null, 0, null);
    }
    return TierStore.byName(tx, h.accountId(), tierName)
        .compose(
            tier -> {
              if (tier == null) {
                return reject(
                    tx,
                    h,
                    category,
                    tierName,
                    "unknown_tier",
                    "no tier named '" + tierName + "'",
                    agent.unknownTierReply());
              }
              if (!tier.allows(category)) {
                return reject(
                    tx,
                    h,
                    category,
                    tierName,
                    "category_not_allowed",
                    "tier '" + tierName + "' does not allow '" + category + "'",
                    tier.overQuotaMessage());
              }
              return TaskStore.quotaCounts(tx, h.accountId(), h.phone())
                  .compose(
                      counts -> {
                        String over = overQuota(tier, counts);
                        if (over != null) {
                          return reject(
                              tx,
                              h,
                              category,
                              tierName,
                              "over_quota",
                              over,
                              tier.overQuotaMessage());
                        }
                        return pending(
                            tx, h, category, tierName, tier.priority(), tier.maxReplyChars());
                      });
            });
  }

  private static String overQuota(Tier tier, int[] counts) {
    if (tier.requestsPerHour() != null && counts[0] >= tier.requestsPerHour()) {
      return "hourly quota of " + tier.requestsPerHour() + " used up";
    }
    if (tier.requestsPerDay() != null && counts[1] >= tier.requestsPerDay()) {
      return "daily quota of " + tier.requestsPerDay() + " used up";
    }
    if (tier.requestsPerMonth() != null && counts[2] >= tier.requestsPerMonth()) {
      return "monthly quota of " + tier.requestsPerMonth() + " used up";
    }
    return null;
  }

  private static Future<Outcome> pending(
      SqlClient tx, Handoff h, String category, String tier, int priority, Integer maxChars) {
    UUID id = Ids.newId();
    return TaskStore.insert(
            tx,
            new TaskStore.NewTask(
                id,
                h.accountId(),
                h.agentId(),
                h.ruleId(),
                h.inboundMessageId(),
                h.senderId(),
                h.channel(),
                h.phone(),
                h.ourNumber(),
                h.text(),
                category,
                tier,
                priority,
                maxChars,
                "pending",
                null,
                null,
                null,
                h.category() != null ? "given" : "keywords"))
        .map(
            v -> {
              wakeWorkersOnCommit(tx);
              return new Outcome(id, "pending", false);
            });
  }

  private static Future<Outcome> reject(
      SqlClient tx,
      Handoff h,
      String category,
      String tier,
      String type,
      String detail,
      String reply) {
    UUID id = Ids.newId();
    return TaskStore.insert(
            tx,
            new TaskStore.NewTask(
                id,
                h.accountId(),
                h.agentId(),
                h.ruleId(),
                h.inboundMessageId(),
                h.senderId(),
                h.channel(),
                h.phone(),
                h.ourNumber(),
                h.text(),
                category,
                tier,
                0,
                null,
                "rejected",
                reply,
                type,
                detail,
                h.category() != null ? "given" : "keywords"))
        .compose(
            v ->
                Replies.queue(
                    tx,
                    id,
                    h.accountId(),
                    h.senderId(),
                    h.channel(),
                    h.phone(),
                    h.ourNumber(),
                    reply,
                    new JsonObject().put("agent_task_id", id.toString()).put("reason", type)))
        .map(new Outcome(id, "rejected", true));
  }

  /** Publishes {@link #WAKE} once {@code tx} commits (nothing on rollback). */
  static void wakeWorkersOnCommit(SqlClient tx) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return;
    }
    Vertx vertx = context.owner();
    Transaction transaction = tx instanceof SqlConnection c ? c.transaction() : null;
    if (transaction == null) {
      vertx.eventBus().publish(WAKE, null);
    } else {
      transaction.completion().onSuccess(v -> vertx.eventBus().publish(WAKE, null));
    }
  }
}
