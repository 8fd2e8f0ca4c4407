package herald.agent;

import herald.audit.Actor;
import herald.contact.ContactStore;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/agent-tasks} (the tasks agents ran, their analytics, and running one by hand) and
 * {@code /api/v1/agent-errors} (the error log of agent failures, with resolve).
 */
public final class TaskRoutes {
  private static final Set<String> STATUSES =
      Set.of("pending", "running", "done", "failed", "rejected");

  private final Vertx vertx;
  private final TaskStore tasks;
  private final ErrorStore errors;
  private final SenderStore senders;
  private final AgentService service;
  private final ContactStore contacts;

  public TaskRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.tasks = new TaskStore(pool);
    this.errors = new ErrorStore(pool);
    this.senders = new SenderStore(pool);
    this.service = new AgentService(pool);
    this.contacts = new ContactStore(pool);
  }

  public Router tasks(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("agents:read")).respond(this::list);
    router.get("/analytics").handler(Scoped.require("agents:read")).respond(this::analytics);
    router
        .get("/analytics/overview")
        .handler(Scoped.require("agents:read"))
        .respond(this::overview);
    router.get("/analytics/users").handler(Scoped.require("agents:read")).respond(this::users);
    router
        .post("/")
        .handler(Scoped.require("agents:write"))
        .handler(Responses.status(202, this::run));
    router.get("/:id").handler(Scoped.require("agents:read")).respond(this::get);
    return router;
  }

  public Router errors(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("agents:read")).respond(this::listErrors);
    router.patch("/:id").handler(Scoped.require("agents:write")).respond(this::resolve);
    return router;
  }

  private static TaskStore.Filter filter(RoutingContext ctx) {
    QueryParams q = new QueryParams(ctx);
    String phone = q.string("phone_number", 64);
    String category = q.string("category", 100);
    Boolean success = q.bool("success");
    String status = q.string("status", 16);
    var from = q.instant("created_after");
    var to = q.instant("created_before");
    q.check();
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "status",
                  "invalid_value",
                  "status must be pending, running, done, failed or rejected")));
    }
    return new TaskStore.Filter(phone, category, success, status, from, to);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    TaskStore.Filter f = filter(ctx);
    return tasks
        .list(Requests.principal(ctx).accountId(), f, page)
        .map(rows -> page.page(rows, AgentTask::id, AgentTask::toJson));
  }

  private Future<JsonObject> analytics(RoutingContext ctx) {
    return tasks.analytics(Requests.principal(ctx).accountId(), filter(ctx));
  }

  /**
   * The task analytics with the account's active contacts per tier, tasks today and this month,
   * tokens and the estimated cost per agent.
   */
  private Future<JsonObject> overview(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    TaskStore.Filter f = filter(ctx);
    Future<JsonObject> analytics = tasks.analytics(account, f);
    Future<JsonObject> costs = tasks.costs(account, f);
    Future<JsonObject> tiers = contacts.activeCountsByTier(account);
    return Future.all(analytics, costs, tiers)
        .map(
            v -> {
              JsonObject c = costs.result();
              JsonObject out = analytics.result();
              out.put("tasks_today", c.getLong("tasks_today"))
                  .put("tasks_this_month", c.getLong("tasks_this_month"))
                  .put("prompt_tokens", c.getLong("prompt_tokens"))
                  .put("completion_tokens", c.getLong("completion_tokens"))
                  .put("estimated_cost", c.getDouble("estimated_cost"))
                  .put("cost_by_agent", c.getJsonArray("agents"))
                  .put("contacts_by_tier", tiers.result());
              return out;
            });
  }

  /** Per end user: the numbers with the most tasks first ({@code limit}, 1 to 500, default 50). */
  private Future<JsonObject> users(RoutingContext ctx) {
    String limitParam = ctx.request().getParam("limit");
    int limit = 50;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 500) {
        throw ApiException.badRequest(
            "Invalid query parameters",
            List.of(
                new FieldError("limit", "invalid_value", "limit must be a number from 1 to 500")));
      }
    }
    TaskStore.Filter f = filter(ctx);
    return tasks
        .byUser(Requests.principal(ctx).accountId(), f, limit)
        .map(users -> new JsonObject().put("data", users));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Agent task");
    return tasks
        .get(Requests.principal(ctx).accountId(), id)
        .map(task -> Responses.found(task, "Agent task").toDetailJson());
  }

  /**
   * {@code {agent_id, phone_number, content, category?, sender_id?}}: the agent answers {@code
   * phone_number} through the sender (the account's default SMS sender when none is given), with
   * the same tier and quota checks as an inbound message. Answers 202 with the task's id.
   */
  private Future<JsonObject> run(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonInput in =
        JsonInput.of(ctx, Set.of("agent_id", "phone_number", "content", "category", "sender_id"));
    String agent = in.requiredString("agent_id", 1, 64);
    String phone = in.requiredString("phone_number", 3, 64);
    String content = in.requiredString("content", 1, 4000);
    String category = in.optionalString("category", 1, 100);
    String sender = in.optionalString("sender_id", 1, 64);
    UUID agentId = agent == null ? null : herald.platform.database.Ids.parse(agent);
    if (agent != null && agentId == null) {
      in.error("agent_id", "invalid_format", "'agent_id' must be an id");
    }
    UUID senderId = sender == null ? null : herald.platform.database.Ids.parse(sender);
    if (sender != null && senderId == null) {
      in.error("sender_id", "invalid_format", "'sender_id' must be an id");
    }
    in.check();
    return run(actor, agentId, phone, content, category, senderId);
  }

  /**
   * Runs a task by hand (what {@code POST /api/v1/agent-tasks} does): {@code agentId} answers
   * {@code phone} through {@code senderId}, or the account's default SMS sender when it is null.
   */
  public Future<JsonObject> run(
      Actor actor, UUID agentId, String phone, String content, String category, UUID senderId) {
    Future<herald.sender.Sender> chosen =
        senderId == null
            ? senders.defaultFor(actor.accountId(), "sms")
            : senders
                .byId(senderId)
                .map(s -> s == null || !s.accountId().equals(actor.accountId()) ? null : s);
    return chosen.compose(
        s -> {
          if (s == null) {
            throw ApiException.validation(
                "sender_id",
                "not_found",
                senderId == null
                    ? "the account has no default SMS sender; give sender_id"
                    : "no sender with this id");
          }
          return service.runTask(
              actor,
              new AgentIntake.Handoff(
                  actor.accountId(),
                  agentId,
                  null,
                  null,
                  s.id(),
                  s.channel(),
                  phone,
                  sourceAddress(s),
                  content,
                  category));
        });
  }

  /** The address a sender sends from by default (replies come from it). */
  private static String sourceAddress(herald.sender.Sender s) {
    var type = herald.channel.registry.Channels.type(s.provider());
    return type == null ? null : type.sourceAddress(s.settings());
  }

  private Future<JsonObject> listErrors(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String type = q.string("error_type", 64);
    Boolean resolved = q.bool("resolved");
    String phone = q.string("phone_number", 64);
    q.check();
    return errors
        .list(
            Requests.principal(ctx).accountId(), new ErrorStore.Filter(type, resolved, phone), page)
        .map(rows -> page.page(rows, ErrorStore::id, entry -> entry));
  }

  /** {@code {resolved, resolution_notes?}}. */
  private Future<JsonObject> resolve(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Error log entry");
    JsonInput in = JsonInput.of(ctx, Set.of("resolved", "resolution_notes"));
    in.require("resolved", "'resolved' is required");
    Boolean resolved = in.optionalBoolean("resolved", null);
    String notes = in.optionalString("resolution_notes", 0, 4000);
    in.check();
    return service.resolveError(Actor.of(ctx), id, resolved, notes);
  }
}
