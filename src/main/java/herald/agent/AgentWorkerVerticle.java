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
                    : classify(agent, task)
                        .compose(
                            classified ->
                                classified.rejectedBy() != null
                                    ? reject(agent, task, classified, began)
                                    : answer(agent, task, classified, began)));
  }

  /**
   * What the model said the task's category is, when the agent classifies by model and the category
   * was not given: one of the agent's categories, else (an answer outside them, a failed call) the
   * keyword map's, kept. A category the task's tier does not allow rejects the task.
   */
  private Future<Classified> classify(Agent agent, AgentTask task) {
    if (!"model".equals(agent.classification()) || !"keywords".equals(task.categorySource())) {
      return Future.succeededFuture(new Classified(task.category(), null, null, null));
    }
    List<String> categories = agent.categories();
    JsonArray messages =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("role", "system")
                    .put(
                        "content",
                        "Classify the user's message into exactly one of these categories: "
                            + String.join(", ", categories)
                            + ". Answer with the category name only."))
            .add(new JsonObject().put("role", "user").put("content", task.content()));
    return chat.complete(agent, messages, 0.0, 10)
        .compose(
            result -> {
              String answer = result.ok() ? Replies.category(result.reply(), categories) : null;
              if (answer == null) {
                return Future.succeededFuture(
                    new Classified(task.category(), null, result.usage(), null));
              }
              if (task.tier() == null) {
                return Future.succeededFuture(
                    new Classified(answer, "model", result.usage(), null));
              }
              return TierStore.byName(platform.pool(), task.accountId(), task.tier())
                  .map(
                      tier ->
                          new Classified(
                              answer,
                              "model",
                              result.usage(),
                              tier != null && !tier.allows(answer) ? tier : null));
            });
  }

  /** The category a task runs under, and the tier that refuses it (else null). */
  private record Classified(
      String category, String source, ChatClient.Usage usage, Tier rejectedBy) {}

  private Future<Void> answer(Agent agent, AgentTask task, Classified classified, long began) {
    return tasks
        .history(task, agent.historyTurns())
        .compose(
            history -> {
              JsonArray prompt = prompt(agent, classified.category(), task, history);
              return chat.complete(agent, prompt)
                  .compose(
                      result ->
                          commit(
                              agent,
                              task,
                              prompt,
                              result.ok() ? result.reply() : agent.fallbackReply(),
                              result,
                              classified,
                              null,
                              began));
            });
  }

  /** The model's category is not allowed by the tier: its over-quota message, no model answer. */
  private Future<Void> reject(Agent agent, AgentTask task, Classified classified, long began) {
    ChatClient.Result none =
        new ChatClient.Result(
            false,
            null,
            null,
            agent.model(),
            "category_not_allowed",
            "tier '" + task.tier() + "' does not allow '" + classified.category() + "'",
            0);
    return commit(
        agent,
        task,
        new JsonArray(),
        classified.rejectedBy().overQuotaMessage(),
        none,
        classified,
        "rejected",
        began);
  }

  private static JsonArray prompt(
      Agent agent, String category, AgentTask task, List<String[]> history) {
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
            .put("content", agent.userPrompt(category, task.content())));
    return messages;
  }

  private Future<Void> commit(
      Agent agent,
      AgentTask task,
      JsonArray prompt,
      String answer,
      ChatClient.Result result,
      Classified classified,
      String status,
      long began) {
    if (stopping) {
      return Future.failedFuture("stopping: the task is left to its lease");
    }
    String text = Replies.fit(answer, task.channel(), agent.maxSegments(), task.maxReplyChars());
    int elapsed = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - began) / 1_000_000);
    TaskStore.Completion completion =
        new TaskStore.Completion(
            task.id(),
            task.claimToken(),
            result.ok(),
            prompt,
            text,
            result.model(),
            sum(result.usage(), classified.usage()),
            result.errorType(),
            result.errorMessage(),
            elapsed,
            status,
            classified.source() == null ? null : classified.category(),
            classified.source());
    boolean logError = !result.ok() && status == null;
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
                              !logError
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
                                              .put("fallback", logError)))
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

  /** Token counts of the answer and of the classification call together. */
  private static ChatClient.Usage sum(ChatClient.Usage a, ChatClient.Usage b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return new ChatClient.Usage(
        a.promptTokens() + b.promptTokens(),
        a.completionTokens() + b.completionTokens(),
        a.totalTokens() + b.totalTokens());
  }
}
