package herald.compat.smsaiagent;

import herald.agent.AgentService;
import herald.agent.AgentStore;
import herald.agent.AgentTask;
import herald.agent.BroadcastRoutes;
import herald.agent.ErrorStore;
import herald.agent.TaskRoutes;
import herald.agent.TaskStore;
import herald.agent.Tier;
import herald.agent.TierStore;
import herald.audit.Actor;
import herald.auth.AuthRoutes;
import herald.campaign.Broadcasts;
import herald.contact.Contact;
import herald.contact.ContactService;
import herald.contact.ContactStore;
import herald.message.MessageRoutes;
import herald.phone.PhoneNumbers;
import herald.platform.Platform;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Seed 004's (the SMS-to-AI Agent's) REST API under {@link #PREFIX}: its paths, request shapes,
 * page-number pagination, {@code Token} auth and error shape, mapped onto Herald's contacts, tiers,
 * agent tasks, task analytics and agent error log. Parse, call a store or service, render: no logic
 * of its own. See "Seed 004 compatibility" in docs/agent.md for the mapping and what is left out.
 */
public final class SmsAiAgentRoutes {
  public static final String PREFIX = "/compat/sms-ai-agent/api";

  /**
   * The TwiML the seed's SMS webhook answers: an acknowledgement Twilio sends back at once (the AI
   * reply follows as its own message when a rule hands the message to an agent).
   */
  public static final String SMS_RECEIVED =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>Got your message; the"
          + " answer follows shortly.</Message></Response>";

  private static final long STARTED_AT = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000;

  private final Vertx vertx;
  private final ContactStore contacts;
  private final ContactService contactService;
  private final TaskStore tasks;
  private final ErrorStore errors;
  private final TierStore tiers;
  private final AgentService agents;
  private final MessageRoutes messages;
  private final TaskRoutes taskRoutes;
  private final AgentStore agentStore;
  private final BroadcastRoutes broadcastRoutes;
  private final Broadcasts broadcasts;
  private final String version;
  private final Supplier<Future<Void>> databaseCheck;

  /**
   * @param messages the message API whose send this layer uses for {@code send_message}
   * @param databaseCheck succeeds when the database answers (the health check's probe)
   */
  public SmsAiAgentRoutes(
      Vertx vertx,
      Platform platform,
      MessageRoutes messages,
      Supplier<Future<Void>> databaseCheck) {
    Pool pool = platform.pool();
    this.vertx = vertx;
    this.messages = messages;
    this.taskRoutes = new TaskRoutes(vertx, pool);
    this.agentStore = new AgentStore(pool);
    this.broadcastRoutes = new BroadcastRoutes(vertx, platform);
    this.broadcasts = new Broadcasts(vertx, pool, platform.clock());
    this.contacts = new ContactStore(pool);
    this.contactService = new ContactService(pool);
    this.tasks = new TaskStore(pool);
    this.errors = new ErrorStore(pool);
    this.tiers = new TierStore(pool);
    this.agents = new AgentService(pool);
    this.version = platform.version();
    this.databaseCheck = databaseCheck;
  }

  /**
   * Seed 004's {@code POST auth/token/} {@code {username, password}}: Herald's login, answered as
   * the seed does ({@code token}, {@code user_id}, {@code username}); the token is a login token,
   * sent back as {@code Authorization: Token <token>} (or Bearer) until it expires.
   */
  public static Future<JsonObject> token(RoutingContext ctx, AuthRoutes auth) {
    JsonInput in = JsonInput.of(ctx, Set.of("username", "password"));
    String username = in.requiredString("username", 1, 200);
    String password = in.requiredString("password", 1, 1024);
    in.check();
    return auth.logIn(username, password)
        .map(
            session ->
                new JsonObject()
                    .put("token", session.getString("token"))
                    .put("user_id", session.getJsonObject("user").getString("id"))
                    .put("username", session.getJsonObject("user").getString("username"))
                    .put("expires_in", session.getValue("expires_in")));
  }

  /** The failure handler of the prefix: seed 004's error shape instead of problem+json. */
  public static Handler<RoutingContext> errors() {
    return new SeedErrors();
  }

  /**
   * The router to mount at {@link #PREFIX}; {@code guards} (readiness, authentication, rate limits)
   * run before every route but the health check.
   */
  @SafeVarargs
  public final Router router(Bodies bodies, Handler<RoutingContext>... guards) {
    Router router = Router.router(vertx);
    router.get("/health").respond(this::health);
    for (Handler<RoutingContext> guard : guards) {
      router.route().handler(guard);
    }
    router.route().handler(bodies.standard());
    router.get("/users").handler(Scoped.require("contacts:read")).respond(this::listUsers);
    router
        .post("/users")
        .handler(Scoped.require("contacts:write"))
        .handler(Responses.status(201, this::createUser));
    router.get("/users/:phone").handler(Scoped.require("contacts:read")).respond(this::getUser);
    router
        .patch("/users/:phone")
        .handler(Scoped.require("contacts:write"))
        .respond(this::updateUser);
    router
        .post("/users/:phone/update_tier")
        .handler(Scoped.require("contacts:write"))
        .respond(this::updateTier);
    router
        .post("/users/:phone/send_message")
        .handler(Scoped.require("messages:send"))
        .handler(Responses.status(202, this::sendMessage));
    router.get("/tasks").handler(Scoped.require("agents:read")).respond(this::listTasks);
    router
        .post("/tasks")
        .handler(Scoped.require("agents:write"))
        .handler(Responses.status(202, this::createTask));
    router
        .get("/tasks/analytics")
        .handler(Scoped.require("agents:read"))
        .respond(this::taskAnalytics);
    router.get("/tasks/:id").handler(Scoped.require("agents:read")).respond(this::getTask);
    router
        .get("/analytics/overview")
        .handler(Scoped.require("agents:read"))
        .respond(this::overview);
    router
        .get("/analytics/users")
        .handler(Scoped.require("contacts:read"))
        .respond(this::userAnalytics);
    router
        .get("/analytics/performance")
        .handler(Scoped.require("agents:read"))
        .respond(this::performance);
    router
        .post("/messaging/broadcast")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.status(202, this::broadcast));
    router
        .get("/messaging/status/:id")
        .handler(Scoped.require("campaigns:read"))
        .respond(this::messageStatus);
    router.get("/error-logs").handler(Scoped.require("agents:read")).respond(this::listErrors);
    router
        .patch("/error-logs/:id")
        .handler(Scoped.require("agents:write"))
        .respond(this::resolveError);
    router.get("/system/stats").handler(Scoped.require("agents:read")).respond(this::systemStats);
    router
        .route()
        .last()
        .handler(ctx -> ctx.fail(ApiException.notFound("No such seed 004 endpoint")));
    return router;
  }

  // ---- users (Herald's contacts) ----

  private Future<JsonObject> listUsers(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    QueryParams q = new QueryParams(ctx);
    String tier = q.string("tier", 100);
    q.check();
    SeedPages pages = SeedPages.from(ctx);
    ContactStore.Filter filter =
        new ContactStore.Filter(null, null, null, Map.of(), null, null, tier);
    Future<Long> count = contacts.count(account, filter);
    Future<List<Contact>> rows =
        pages.rows(page -> contacts.list(account, filter, page), Contact::id);
    return Future.all(count, rows)
        .compose(
            v -> {
              List<Future<JsonObject>> users = new ArrayList<>();
              rows.result().forEach(c -> users.add(monthly(account, c).map(m -> user(c, m))));
              return Future.all(users)
                  .map(
                      all -> {
                        JsonArray results = new JsonArray();
                        users.forEach(u -> results.add(u.result()));
                        return pages.envelope(ctx, count.result(), results);
                      });
            });
  }

  private Future<JsonObject> getUser(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    return byPhone(ctx)
        .compose(
            c -> {
              TaskStore.Filter mine =
                  new TaskStore.Filter(c.phoneNumber(), null, null, null, null, null);
              Future<Long> month = monthly(account, c);
              Future<JsonObject> stats = tasks.analytics(account, mine);
              return Future.all(month, stats)
                  .map(
                      v -> {
                        JsonObject a = stats.result();
                        JsonArray favourites = new JsonArray();
                        a.getJsonObject("categories").fieldNames().stream()
                            .limit(3)
                            .forEach(favourites::add);
                        return user(c, month.result())
                            .put(
                                "stats",
                                new JsonObject()
                                    .put("success_rate", a.getValue("success_rate"))
                                    .put(
                                        "avg_response_time",
                                        seconds(a.getDouble("avg_processing_ms")))
                                    .put("favorite_categories", favourites));
                      });
            });
  }

  private static final Set<String> USER_FIELDS =
      Set.of("phone_number", "tier", "email", "full_name", "timezone", "preferences");

  private Future<JsonObject> createUser(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonObject body = contactBody(ctx, true);
    return contactService
        .create(actor, body)
        .compose(json -> contacts.get(actor.accountId(), UUID.fromString(json.getString("id"))))
        .map(c -> user(c, 0));
  }

  private Future<JsonObject> updateUser(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonObject body = contactBody(ctx, false);
    return byPhone(ctx)
        .compose(c -> contactService.update(actor, c.id(), body))
        .compose(json -> contacts.get(actor.accountId(), UUID.fromString(json.getString("id"))))
        .compose(c -> monthly(actor.accountId(), c).map(m -> user(c, m)));
  }

  /** Seed 004's user body as the body of Herald's contact create or update. */
  private static JsonObject contactBody(RoutingContext ctx, boolean create) {
    JsonInput in = JsonInput.of(ctx, USER_FIELDS);
    in.check();
    JsonObject seed = ctx.body().asJsonObject();
    JsonObject body = new JsonObject();
    copy(seed, "phone_number", body, "phone_number");
    copy(seed, "tier", body, "tier");
    copy(seed, "email", body, "email");
    copy(seed, "full_name", body, "name");
    copy(seed, "timezone", body, "timezone");
    Object preferences = seed.getValue("preferences");
    if (preferences instanceof JsonObject p) {
      if (p.containsKey("language")) {
        body.put("language", p.getValue("language"));
      }
    } else if (preferences != null) {
      throw ApiException.validation(
          "preferences", "invalid_type", "'preferences' must be an object");
    }
    if (!create) {
      body.remove("phone_number");
    }
    return body;
  }

  private static void copy(JsonObject from, String key, JsonObject to, String as) {
    if (from.containsKey(key)) {
      to.put(as, from.getValue(key));
    }
  }

  private Future<JsonObject> updateTier(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("tier", "reason"));
    String tier = in.requiredString("tier", 1, 100);
    String reason = in.optionalString("reason", 0, 500);
    in.check();
    return byPhone(ctx)
        .compose(c -> contactService.updateTier(actor, c.id(), tier, reason))
        .compose(json -> contacts.get(actor.accountId(), UUID.fromString(json.getString("id"))))
        .compose(c -> monthly(actor.accountId(), c).map(m -> user(c, m)));
  }

  /** The contact of the path's phone number; 404 when there is none (or it is no number). */
  private Future<Contact> byPhone(RoutingContext ctx) {
    String raw = ctx.pathParam("phone");
    PhoneNumbers.Parsed parsed = PhoneNumbers.parse(phone(raw), null);
    if (!parsed.ok()) {
      return Future.failedFuture(ApiException.notFound("No user with this phone number"));
    }
    return contacts
        .byPhone(Requests.principal(ctx).accountId(), parsed.e164())
        .map(c -> Responses.found(c, "User"));
  }

  /** A number as a query string gives it: a leading {@code +} arrives as a space. */
  private static String phone(String raw) {
    if (raw == null) {
      return null;
    }
    String text = raw.trim();
    return !text.isEmpty() && Character.isDigit(text.charAt(0)) ? "+" + text : text;
  }

  /** The contact's agent tasks since the start of this month (UTC). */
  private Future<Long> monthly(UUID account, Contact c) {
    Instant month =
        LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return tasks.count(
        account, new TaskStore.Filter(c.phoneNumber(), null, null, null, month, null));
  }

  private static JsonObject user(Contact c, long monthly) {
    return new JsonObject()
        .put("phone_number", c.phoneNumber())
        .put("tier", c.tier())
        .put("email", c.email())
        .put("full_name", c.name())
        .put("created_at", c.createdAt())
        .put("last_active", c.lastRequestAt() != null ? c.lastRequestAt() : c.createdAt())
        .put("total_requests", c.totalRequests())
        .put("monthly_requests", monthly)
        .put("timezone", c.timezone())
        .put("preferences", new JsonObject().put("language", c.language()));
  }

  /** {@code {message, message_type?}}: one message to the user's number (the default sender). */
  private Future<JsonObject> sendMessage(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("message", "message_type"));
    String message = in.requiredString("message", 1, 1600);
    in.optionalString("message_type", 1, 64);
    in.check();
    return byPhone(ctx)
        .compose(
            c ->
                messages.sendOne(
                    Requests.principal(ctx),
                    new JsonObject().put("to", c.phoneNumber()).put("body", message)))
        .map(
            sent -> {
              JsonObject m = sent.getJsonArray("data").getJsonObject(0);
              return new JsonObject()
                  .put("message_id", m.getString("id"))
                  .put("phone_number", m.getString("to"))
                  .put("status", m.getString("status"));
            });
  }

  // ---- messaging ----

  /** {@code {message, tier_filter, message_type?}}: Herald's broadcast by tier (a campaign). */
  private Future<JsonObject> broadcast(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("message", "tier_filter", "message_type"));
    String message = in.requiredString("message", 1, 1600);
    List<String> tierFilter = in.optionalStringList("tier_filter", 100, 100);
    in.optionalString("message_type", 1, 64);
    if (tierFilter == null || tierFilter.isEmpty()) {
      in.error("tier_filter", "required", "'tier_filter' must name at least one tier");
    }
    in.check();
    return broadcastRoutes
        .send(Actor.of(ctx), message, tierFilter, null, null, null, null)
        .map(
            b ->
                new JsonObject()
                    .put("message_id", b.getString("campaign_id"))
                    .put("recipients_count", b.getInteger("tier_recipients"))
                    .put("status", "queued"));
  }

  private Future<JsonObject> messageStatus(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Message");
    return broadcasts
        .status(Requests.principal(ctx).accountId(), id)
        .map(
            s -> {
              Responses.found(s, "Message");
              long sent = s.getLong("sent");
              long failed = s.getLong("failed");
              return new JsonObject()
                  .put("message_id", s.getString("id"))
                  .put("status", seedStatus(s.getString("status"), sent + failed))
                  .put("sent_count", sent)
                  .put("failed_count", failed)
                  .put("delivery_rate", rate(sent, sent + failed))
                  .put("created_at", s.getString("started_at"))
                  .put("completed_at", s.getString("finished_at"));
            });
  }

  /** A campaign status in the seed's words. */
  private static String seedStatus(String campaign, long attempted) {
    return switch (campaign) {
      case "completed" -> "completed";
      case "stopped" -> "cancelled";
      case "failed" -> "failed";
      default -> attempted == 0 ? "queued" : "sending";
    };
  }

  // ---- tasks ----

  private static TaskStore.Filter taskFilter(RoutingContext ctx, String from, String to) {
    QueryParams q = new QueryParams(ctx);
    String phone = q.string("user_phone", 64);
    String category = q.string("category", 100);
    Boolean success = q.bool("success");
    Instant after = q.instant(from);
    Instant before = q.instant(to);
    q.check();
    return new TaskStore.Filter(phone(phone), category, success, null, after, before);
  }

  private Future<JsonObject> listTasks(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    TaskStore.Filter filter = taskFilter(ctx, "created_after", "created_before");
    SeedPages pages = SeedPages.from(ctx);
    Future<Long> count = tasks.count(account, filter);
    Future<List<AgentTask>> rows =
        pages.rows(page -> tasks.list(account, filter, page), AgentTask::id);
    return Future.all(count, rows)
        .map(
            v -> {
              JsonArray results = new JsonArray();
              rows.result().forEach(t -> results.add(task(t.toJson())));
              return pages.envelope(ctx, count.result(), results);
            });
  }

  private Future<JsonObject> getTask(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Task");
    return tasks
        .get(Requests.principal(ctx).accountId(), id)
        .map(t -> task(Responses.found(t, "Task").toDetailJson()));
  }

  /**
   * {@code {user_phone, sms_content, category?, agent_id?}}: a task run by hand. The seed has one
   * agent, so {@code agent_id} may be left out when the account has exactly one.
   */
  private Future<JsonObject> createTask(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("user_phone", "sms_content", "category", "agent_id"));
    String phone = in.requiredString("user_phone", 3, 64);
    String content = in.requiredString("sms_content", 1, 4000);
    String category = in.optionalString("category", 1, 100);
    String agent = in.optionalString("agent_id", 1, 64);
    UUID agentId = agent == null ? null : herald.platform.database.Ids.parse(agent);
    if (agent != null && agentId == null) {
      in.error("agent_id", "invalid_format", "'agent_id' must be an id");
    }
    in.check();
    Future<UUID> chosen =
        agentId != null
            ? Future.succeededFuture(agentId)
            : agentStore
                .list(actor.accountId(), new herald.platform.http.PageRequest(2, null))
                .map(
                    agents -> {
                      if (agents.size() != 1) {
                        throw ApiException.validation(
                            "agent_id",
                            "required",
                            "the account has "
                                + (agents.isEmpty() ? "no agent" : "several agents")
                                + "; give agent_id");
                      }
                      return agents.get(0).id();
                    });
    return chosen
        .compose(id -> taskRoutes.run(actor, id, phone, content, category, null))
        .compose(started -> tasks.get(actor.accountId(), UUID.fromString(started.getString("id"))))
        .map(t -> task(Responses.found(t, "Task").toJson()));
  }

  private static JsonObject task(JsonObject t) {
    return new JsonObject()
        .put("id", t.getString("id"))
        .put("user_phone", t.getString("phone_number"))
        .put("sms_content", t.getString("content"))
        .put("ai_response", t.getString("reply"))
        .put("category", t.getString("category"))
        .put("processing_time", seconds(t.getInteger("processing_ms")))
        .put("tokens_used", t.getInteger("tokens_used"))
        .put("success", t.getBoolean("success"))
        .put("error_message", t.getString("error_message"))
        .put("created_at", t.getString("created_at"))
        .put("completed_at", t.getString("completed_at"))
        .put(
            "metadata",
            new JsonObject()
                .put("model_used", t.getString("model"))
                .put("status", t.getString("status"))
                .put("agent_id", t.getString("agent_id"))
                .put("channel", t.getString("channel"))
                .put("error_type", t.getString("error_type")));
  }

  private static Double seconds(Number ms) {
    return ms == null ? null : Math.round(ms.doubleValue()) / 1000.0;
  }

  private Future<JsonObject> taskAnalytics(RoutingContext ctx) {
    TaskStore.Filter filter = taskFilter(ctx, "start_date", "end_date");
    return tasks
        .analytics(Requests.principal(ctx).accountId(), filter)
        .map(
            a -> {
              JsonObject breakdown = new JsonObject();
              JsonObject categories = a.getJsonObject("categories");
              for (String name : categories.fieldNames()) {
                JsonObject c = categories.getJsonObject(name);
                long count = c.getLong("count");
                breakdown.put(
                    name,
                    new JsonObject()
                        .put("count", count)
                        .put("success_rate", rate(c.getLong("successful"), count))
                        .put("avg_processing_time", seconds(c.getDouble("avg_processing_ms"))));
              }
              return new JsonObject()
                  .put("total_tasks", a.getLong("total_tasks"))
                  .put("successful_tasks", a.getLong("successful_tasks"))
                  .put("success_rate", a.getValue("success_rate"))
                  .put("avg_processing_time", seconds(a.getDouble("avg_processing_ms")))
                  .put("avg_tokens_used", a.getValue("avg_tokens_used"))
                  .put("category_breakdown", breakdown);
            });
  }

  private static Double rate(long part, long whole) {
    return whole == 0 ? null : Math.round(part * 10000.0 / whole) / 100.0;
  }

  // ---- analytics ----

  private Future<JsonObject> overview(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    TaskStore.Filter all = new TaskStore.Filter(null, null, null, null, null, null);
    Instant dayAgo = Instant.now().minus(1, ChronoUnit.DAYS);
    Future<Long> users = contacts.count(account, contactFilter(null, null, null));
    Future<JsonObject> analytics = tasks.analytics(account, all);
    Future<Long> day =
        tasks.count(account, new TaskStore.Filter(null, null, null, null, dayAgo, null));
    Future<JsonObject> distribution = tierDistribution(account);
    return Future.all(users, analytics, day, distribution)
        .map(
            v -> {
              JsonObject a = analytics.result();
              JsonArray top = new JsonArray();
              JsonObject categories = a.getJsonObject("categories");
              categories.fieldNames().stream()
                  .limit(5)
                  .forEach(
                      name ->
                          top.add(
                              new JsonObject()
                                  .put("category", name)
                                  .put("count", categories.getJsonObject(name).getLong("count"))));
              return new JsonObject()
                  .put("total_users", users.result())
                  .put("total_tasks", a.getLong("total_tasks"))
                  .put("tasks_24h", day.result())
                  .put("success_rate", a.getValue("success_rate"))
                  .put("avg_response_time", seconds(a.getDouble("avg_processing_ms")))
                  .put("tier_distribution", distribution.result())
                  .put("top_categories", top);
            });
  }

  private static ContactStore.Filter contactFilter(Instant after, Instant before, String tier) {
    return new ContactStore.Filter(null, null, null, Map.of(), after, before, tier);
  }

  /** Contacts per tier the account defines. */
  private Future<JsonObject> tierDistribution(UUID account) {
    return tiers
        .list(account)
        .compose(
            list -> {
              List<Future<Long>> counts = new ArrayList<>();
              for (Tier t : list) {
                counts.add(contacts.count(account, contactFilter(null, null, t.name())));
              }
              return Future.all(counts)
                  .map(
                      v -> {
                        JsonObject out = new JsonObject();
                        for (int i = 0; i < list.size(); i++) {
                          out.put(list.get(i).name(), counts.get(i).result());
                        }
                        return out;
                      });
            });
  }

  private Future<JsonObject> userAnalytics(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    QueryParams q = new QueryParams(ctx);
    String tier = q.string("tier", 100);
    Instant start = q.instant("start_date");
    Instant end = q.instant("end_date");
    q.check();
    Future<Long> total = contacts.count(account, contactFilter(null, null, tier));
    Future<Long> created = contacts.count(account, contactFilter(start, end, tier));
    return Future.all(total, created)
        .map(
            v -> {
              JsonObject out =
                  new JsonObject()
                      .put("total_users", total.result())
                      .put("new_users_period", created.result());
              return out;
            });
  }

  private Future<JsonObject> performance(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    Future<JsonObject> analytics =
        tasks.analytics(account, new TaskStore.Filter(null, null, null, null, null, null));
    Future<Long> errorCount = errors.count(account, new ErrorStore.Filter(null, null, null));
    return Future.all(analytics, errorCount)
        .map(
            v -> {
              JsonObject a = analytics.result();
              JsonObject p = a.getJsonObject("processing_ms");
              return new JsonObject()
                  .put(
                      "response_times",
                      new JsonObject()
                          .put("avg", seconds(a.getDouble("avg_processing_ms")))
                          .put("p50", seconds(p.getDouble("p50")))
                          .put("p95", seconds(p.getDouble("p95")))
                          .put("p99", seconds(p.getDouble("p99"))))
                  .put(
                      "error_rates",
                      new JsonObject()
                          .put("total_errors", errorCount.result())
                          .put(
                              "error_rate",
                              rate(a.getLong("failed_tasks"), a.getLong("total_tasks"))));
            });
  }

  // ---- error log ----

  private Future<JsonObject> listErrors(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    QueryParams q = new QueryParams(ctx);
    String type = q.string("error_type", 64);
    Boolean resolved = q.bool("resolved");
    String phone = q.string("user_phone", 64);
    q.check();
    ErrorStore.Filter filter = new ErrorStore.Filter(type, resolved, phone(phone));
    SeedPages pages = SeedPages.from(ctx);
    Future<Long> count = errors.count(account, filter);
    Future<List<JsonObject>> rows =
        pages.rows(page -> errors.list(account, filter, page), ErrorStore::id);
    return Future.all(count, rows)
        .map(
            v -> {
              JsonArray results = new JsonArray();
              rows.result().forEach(e -> results.add(errorEntry(e)));
              return pages.envelope(ctx, count.result(), results);
            });
  }

  private Future<JsonObject> resolveError(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Error log entry");
    JsonInput in = JsonInput.of(ctx, Set.of("resolved", "resolution_notes"));
    in.require("resolved", "'resolved' is required");
    Boolean resolved = in.optionalBoolean("resolved", null);
    String notes = in.optionalString("resolution_notes", 0, 4000);
    in.check();
    return agents
        .resolveError(Actor.of(ctx), id, resolved, notes)
        .map(SmsAiAgentRoutes::errorEntry);
  }

  private static JsonObject errorEntry(JsonObject e) {
    return new JsonObject()
        .put("id", e.getString("id"))
        .put("user_phone", e.getString("phone_number"))
        .put("task_id", e.getString("task_id"))
        .put("error_type", e.getString("error_type"))
        .put("error_message", e.getString("error_message"))
        .put("timestamp", e.getString("created_at"))
        .put("resolved", e.getBoolean("resolved"))
        .put("resolution_notes", e.getString("resolution_notes"))
        .put("metadata", e.getJsonObject("metadata"));
  }

  // ---- system ----

  private Future<JsonObject> health(RoutingContext ctx) {
    long started = System.nanoTime();
    return databaseCheck
        .get()
        .transform(
            done -> {
              JsonObject database =
                  new JsonObject()
                      .put("status", done.succeeded() ? "healthy" : "unhealthy")
                      .put("response_time", (System.nanoTime() - started) / 1_000_000 / 1000.0);
              if (done.failed()) {
                ctx.response().setStatusCode(503);
              }
              return Future.succeededFuture(
                  new JsonObject()
                      .put("status", done.succeeded() ? "healthy" : "unhealthy")
                      .put("timestamp", Instant.now().toString())
                      .put("services", new JsonObject().put("database", database))
                      .put("version", version)
                      .put("uptime", Instant.now().getEpochSecond() - STARTED_AT));
            });
  }

  private Future<JsonObject> systemStats(RoutingContext ctx) {
    UUID account = Requests.principal(ctx).accountId();
    Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    Future<Long> pending =
        tasks.count(account, new TaskStore.Filter(null, null, null, "pending", null, null));
    Future<Long> failed =
        tasks.count(account, new TaskStore.Filter(null, null, null, "failed", null, null));
    Future<Long> done =
        tasks.count(account, new TaskStore.Filter(null, null, null, "done", today, null));
    return Future.all(pending, failed, done)
        .map(
            v ->
                new JsonObject()
                    .put(
                        "system",
                        new JsonObject().put("uptime", Instant.now().getEpochSecond() - STARTED_AT))
                    .put(
                        "queues",
                        new JsonObject()
                            .put("pending_tasks", pending.result())
                            .put("failed_tasks", failed.result())
                            .put("completed_today", done.result())));
  }
}
