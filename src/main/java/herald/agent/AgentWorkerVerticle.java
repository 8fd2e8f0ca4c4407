package herald.agent;

import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.config.AgentConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent worker: claims agent tasks ({@code FOR UPDATE SKIP LOCKED}, so any number of workers on
 * any number of nodes share them), builds the prompt (system prompt, the last turns with the same
 * number, the category's template), calls the model through {@link ChatClient}, and commits the
 * reply as an outbound message on the sender the message came in on together with the task's
 * result, in one transaction, under the task's claim token. The reply's message id is the task id,
 * so one task can never send two replies. A model that fails yields the agent's fallback reply and
 * an error-log entry.
 *
 * <p>Wakes on {@link AgentIntake#WAKE} and polls every {@code agents.poll_ms}; holds at most {@code
 * agents.batch_size} tasks at once.
 */
public final class AgentWorkerVerticle extends VerticleBase {
  public static final String GROUP = "agent-workers";

  /** Local map of each agent's breaker state ({@code closed}, {@code open}, {@code half_open}). */
  public static final String BREAKERS = "herald.agent.breakers";

  private static final Logger LOG = LoggerFactory.getLogger(AgentWorkerVerticle.class);

  private final Platform platform;
  private final AgentConfig config;
  private TaskStore tasks;
  private ChatClient chat;
  private int inFlight;
  private boolean polling;
  private boolean again;
  private long lastSweep;
  private volatile boolean stopping;

  public AgentWorkerVerticle(Platform platform) {
    this.platform = platform;
    this.config = platform.config().agents();
  }

  @Override
  public Future<?> start() {
    tasks = new TaskStore(platform.pool());
    LocalMap<String, String> breakers = vertx.sharedData().getLocalMap(BREAKERS);
    chat = new ChatClient(vertx, config, breakers::put);
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    vertx.eventBus().localConsumer(AgentIntake.WAKE, message -> poll());
    vertx.setPeriodic(config.poll().toMillis(), id -> poll());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    // Tasks in flight are left to their lease, as after a crash: another worker re-runs them.
    stopping = true;
    chat.close();
    return Future.succeededFuture();
  }

  private void poll() {
    if (!platform.started().get() || stopping) {
      return;
    }
    if (polling) {
      again = true;
      return;
    }
    int room = config.batchSize() - inFlight;
    if (room <= 0) {
      return;
    }
    polling = true;
    UUID token = UUID.randomUUID();
    long now = System.nanoTime();
    boolean sweep = now - lastSweep > Math.min(5_000, config.lease().toMillis()) * 1_000_000L;
    Future<Void> swept = Future.succeededFuture();
    if (sweep) {
      lastSweep = now;
      swept = tasks.abandon(config.maxClaims()).compose(this::logAbandoned);
    }
    swept
        .compose(v -> tasks.claim(token, config.lease(), config.maxClaims(), room))
        .onSuccess(
            claimed -> {
              inFlight += claimed.size();
              for (AgentTask task : claimed) {
                run(task)
                    .onFailure(
                        err ->
                            LOG.warn(
                                "Agent task {} not completed: {}", task.id(), err.getMessage()))
                    .onComplete(
                        x -> {
                          inFlight--;
                          poll();
                        });
              }
              if (claimed.size() == room) {
                again = true;
              }
            })
        .onFailure(err -> LOG.warn("Claiming agent tasks failed: {}", err.getMessage()))
        .onComplete(
            x -> {
              polling = false;
              if (again) {
                again = false;
                poll();
              }
            });
  }

  private Future<Void> logAbandoned(List<TaskStore.Abandoned> abandoned) {
    Future<Void> chain = Future.succeededFuture();
    for (TaskStore.Abandoned a : abandoned) {
      chain =
          chain.compose(
              v ->
                  ErrorStore.record(
                      platform.pool(),
                      a.accountId(),
                      a.agentId(),
                      a.id(),
                      a.phoneNumber(),
                      "abandoned",
                      "the task's worker stopped " + config.maxClaims() + " times; not retried",
                      new JsonObject()));
    }
    return chain;
  }

  private Future<Void> run(AgentTask task) {
    long began = System.nanoTime();
    return AgentStore.get(platform.pool(), task.accountId(), task.agentId())
        .compose(
            agent ->
                agent == null
                    ? Future.<Void>failedFuture("agent " + task.agentId() + " is gone")
                    : tasks
                        .history(task, agent.historyTurns())
                        .compose(
                            history -> {
                              JsonArray prompt = prompt(agent, task, history);
                              return chat.complete(agent, prompt)
                                  .compose(result -> commit(agent, task, prompt, result, began));
                            }));
  }

  private static JsonArray prompt(Agent agent, AgentTask task, List<String[]> history) {
    JsonArray messages = new JsonArray();
    if (agent.systemPrompt() != null) {
      messages.add(new JsonObject().put("role", "system").put("content", agent.systemPrompt()));
    }
    for (String[] turn : history) {
      messages.add(new JsonObject().put("role", "user").put("content", turn[0]));
      messages.add(new JsonObject().put("role", "assistant").put("content", turn[1]));
    }
    messages.add(
        new JsonObject()
            .put("role", "user")
            .put("content", agent.userPrompt(task.category(), task.content())));
    return messages;
  }

  private Future<Void> commit(
      Agent agent, AgentTask task, JsonArray prompt, ChatClient.Result result, long began) {
    if (stopping) {
      return Future.failedFuture("stopping: the task is left to its lease");
    }
    String text =
        Replies.fit(
            result.ok() ? result.reply() : agent.fallbackReply(),
            task.channel(),
            agent.maxSegments(),
            task.maxReplyChars());
    int elapsed = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - began) / 1_000_000);
    TaskStore.Completion completion =
        new TaskStore.Completion(
            task.id(),
            task.claimToken(),
            result.ok(),
            prompt,
            text,
            result.model(),
            result.usage(),
            result.errorType(),
            result.errorMessage(),
            elapsed);
    return platform
        .pool()
        .withTransaction(
            tx ->
                TaskStore.complete(tx, completion)
                    .compose(
                        mine -> {
                          if (!mine) {
                            return Future.succeededFuture(false);
                          }
                          Future<Void> logged =
                              result.ok()
                                  ? Future.succeededFuture()
                                  : ErrorStore.record(
                                      tx,
                                      task.accountId(),
                                      agent.id(),
                                      task.id(),
                                      task.phoneNumber(),
                                      result.errorType(),
                                      result.errorMessage(),
                                      new JsonObject()
                                          .put("model", agent.model())
                                          .put("base_url", agent.baseUrl())
                                          .put("attempts", result.attempts())
                                          .put("timeout_ms", agent.timeoutMs()));
                          return logged
                              .compose(
                                  v ->
                                      Replies.queue(
                                          tx,
                                          task.id(),
                                          task.accountId(),
                                          task.senderId(),
                                          task.channel(),
                                          task.phoneNumber(),
                                          task.ourNumber(),
                                          text,
                                          new JsonObject()
                                              .put("agent_task_id", task.id().toString())
                                              .put("fallback", !result.ok())))
                              .map(true);
                        }))
        .map(
            committed -> {
              if (committed && task.senderId() != null) {
                vertx.eventBus().publish(Addresses.MESSAGES_QUEUED, task.senderId().toString());
              }
              return null;
            });
  }
}
