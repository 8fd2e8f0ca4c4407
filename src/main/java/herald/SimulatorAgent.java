package herald;

import herald.account.AccountStore;
import herald.agent.Agent;
import herald.agent.AgentRoutes;
import herald.agent.AgentService;
import herald.agent.AgentStore;
import herald.audit.Actor;
import herald.platform.database.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * The platform account's AI agent for the model simulator of the default run, created on the first
 * start and kept pointing at the simulator's port, through {@link AgentService} (audited as a
 * system change). No inbound rule is created: until an operator adds one, inbound messages are
 * stored and answered only by the opt-out keywords, as without agents (see docs/agent.md).
 */
final class SimulatorAgent {
  /** Name of the agent Herald creates for the simulator; it updates that one agent only. */
  static final String NAME = "Simulator model";

  private SimulatorAgent() {}

  static Future<Void> wire(Pool pool, String baseUrl, String model, String apiKey) {
    AgentStore agents = new AgentStore(pool);
    AgentService service = new AgentService(pool);
    return AccountStore.platform(pool)
        .compose(
            account -> {
              Actor system = Actor.system(account.id());
              return agents
                  .byName(account.id(), NAME)
                  .compose(
                      existing -> {
                        if (existing == null) {
                          return service.createAgent(
                              system, agent(account.id(), baseUrl, model, apiKey));
                        }
                        if (!baseUrl.equals(existing.baseUrl())) {
                          return service.updateAgent(
                              system, existing.id(), before -> before.withBaseUrl(baseUrl));
                        }
                        return Future.succeededFuture();
                      });
            })
        .mapEmpty();
  }

  private static Agent agent(java.util.UUID accountId, String baseUrl, String model, String key) {
    return new Agent(
        Ids.newId(),
        accountId,
        NAME,
        baseUrl,
        model,
        key,
        "You answer text messages. Keep every answer short enough for one SMS.",
        new JsonObject(),
        new JsonObject()
            .put("coding", new JsonArray().add("code").add("python").add("java"))
            .put("debug", new JsonArray().add("debug").add("error").add("bug")),
        0.7,
        300,
        5,
        3,
        10_000,
        AgentRoutes.DEFAULT_FALLBACK,
        null,
        AgentRoutes.DEFAULT_UNKNOWN_TIER,
        null,
        null,
        "keywords",
        null,
        null);
  }
}
