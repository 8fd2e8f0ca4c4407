package herald.routing;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.database.Ids;
import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.PatternSyntaxException;

/**
 * {@code /api/v1/inbound-rules}: the account's inbound routing rules, tried in {@code position}
 * order after the opt-out keywords (see {@link InboundRouter}). {@code PUT} replaces a rule whole;
 * every change is audited in its transaction.
 */
public final class RuleRoutes {
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "position",
          "enabled",
          "match",
          "action",
          "reply_text",
          "template_id",
          "agent_id");
  private static final Set<String> MATCH =
      Set.of("sender_id", "number", "keyword", "regex", "group_id", "tier");
  private static final Set<String> ACTIONS = Set.of("reply", "template", "agent", "webhook");

  private final Vertx vertx;
  private final Pool pool;
  private final RuleStore rules;

  public RuleRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
    this.rules = new RuleStore(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("inbound_rules:read")).respond(this::list);
    router
        .post("/")
        .handler(Scoped.require("inbound_rules:write"))
        .handler(Responses.status(201, this::create));
    router.get("/:id").handler(Scoped.require("inbound_rules:read")).respond(this::get);
    router.put("/:id").handler(Scoped.require("inbound_rules:write")).respond(this::replace);
    router
        .delete("/:id")
        .handler(Scoped.require("inbound_rules:write"))
        .handler(Responses.noContent(this::delete));
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    return rules
        .list(Requests.principal(ctx).accountId())
        .map(
            rows -> {
              JsonArray data = new JsonArray();
              rows.forEach(r -> data.add(r.toJson()));
              return new JsonObject().put("data", data);
            });
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Inbound rule");
    return rules
        .get(Requests.principal(ctx).accountId(), id)
        .map(r -> Responses.found(r, "Inbound rule").toJson());
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    InboundRule parsed = read(ctx, Ids.newId(), actor.accountId());
    return pool.<JsonObject>withTransaction(
            tx ->
                (parsed.position() >= 0
                        ? Future.succeededFuture(parsed.position())
                        : RuleStore.nextPosition(tx, actor.accountId()))
                    .map(position -> withPosition(parsed, position))
                    .compose(rule -> checked(tx, rule))
                    .compose(rule -> RuleStore.insert(tx, rule))
                    .compose(
                        saved ->
                            AuditStore.record(
                                    tx,
                                    actor,
                                    "create",
                                    "inbound_rule",
                                    saved.id(),
                                    null,
                                    saved.toJson())
                                .map(saved.toJson())))
        .recover(RuleRoutes::duplicate);
  }

  private Future<JsonObject> replace(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    UUID id = Requests.pathId(ctx, "id", "Inbound rule");
    InboundRule parsed = read(ctx, id, actor.accountId());
    return pool.<JsonObject>withTransaction(
            tx ->
                tx.preparedQuery(
                        "SELECT "
                            + InboundRule.COLUMNS
                            + " FROM inbound_rules WHERE account_id = $1 AND id = $2 FOR UPDATE")
                    .execute(io.vertx.sqlclient.Tuple.of(actor.accountId(), id))
                    .map(
                        rows ->
                            Responses.found(Rows.first(rows, InboundRule::from), "Inbound rule"))
                    .compose(
                        before ->
                            checked(
                                    tx,
                                    withPosition(
                                        parsed,
                                        parsed.position() >= 0
                                            ? parsed.position()
                                            : before.position()))
                                .compose(rule -> RuleStore.update(tx, rule))
                                .compose(
                                    after ->
                                        AuditStore.record(
                                                tx,
                                                actor,
                                                "update",
                                                "inbound_rule",
                                                id,
                                                before.toJson(),
                                                after.toJson())
                                            .map(after.toJson()))))
        .recover(RuleRoutes::duplicate);
  }

  private Future<Void> delete(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    UUID id = Requests.pathId(ctx, "id", "Inbound rule");
    return pool.withTransaction(
        tx ->
            RuleStore.delete(tx, actor.accountId(), id)
                .compose(
                    before ->
                        AuditStore.record(
                            tx,
                            actor,
                            "delete",
                            "inbound_rule",
                            id,
                            Responses.found(before, "Inbound rule").toJson(),
                            null)));
  }

  /** Fails with 422 naming each reference the account lacks. */
  private static Future<InboundRule> checked(SqlClient tx, InboundRule rule) {
    return RuleStore.missingReferences(tx, rule)
        .map(
            missing -> {
              if (!missing.isEmpty()) {
                throw ApiException.validation(
                    missing.stream()
                        .map(
                            f -> new FieldError(f, "not_found", "no such resource in this account"))
                        .toList());
              }
              return rule;
            });
  }

  private static InboundRule withPosition(InboundRule r, int position) {
    return new InboundRule(
        r.id(),
        r.accountId(),
        r.name(),
        position,
        r.enabled(),
        r.matchSenderId(),
        r.matchNumber(),
        r.matchKeyword(),
        r.matchRegex(),
        r.matchGroupId(),
        r.matchTier(),
        r.action(),
        r.replyText(),
        r.templateId(),
        r.agentId(),
        null,
        null);
  }

  /** The rule the body describes (position -1 when not given); 422 with every field error. */
  private static InboundRule read(RoutingContext ctx, UUID id, UUID accountId) {
    JsonInput in = JsonInput.of(ctx, FIELDS);
    String name = in.requiredString("name", 1, 200);
    Integer position = in.optionalInteger("position", -1, 0, 1_000_000);
    Boolean enabled = in.optionalBoolean("enabled", true);
    JsonObject match = in.optionalObject("match");
    String action = in.requiredString("action", 1, 20);
    if (action != null && !ACTIONS.contains(action)) {
      in.error("action", "invalid_value", "'action' must be reply, template, agent or webhook");
    }
    String replyText = in.optionalString("reply_text", 1, 1600);
    UUID templateId = id(in, "template_id");
    UUID agentId = id(in, "agent_id");
    if ("reply".equals(action) && replyText == null) {
      in.require("reply_text", "'reply_text' is required for action reply");
    }
    if ("template".equals(action) && templateId == null) {
      in.require("template_id", "'template_id' is required for action template");
    }
    if ("agent".equals(action) && agentId == null) {
      in.require("agent_id", "'agent_id' is required for action agent");
    }
    JsonInput m = match == null ? null : matchInput(in, match);
    UUID senderId = m == null ? null : id(m, "sender_id");
    String number = m == null ? null : m.optionalString("number", 1, 64);
    String keyword = m == null ? null : m.optionalString("keyword", 1, 100);
    String regex = m == null ? null : m.optionalString("regex", 1, 500);
    UUID groupId = m == null ? null : id(m, "group_id");
    String tier = m == null ? null : m.optionalString("tier", 1, 100);
    if (regex != null) {
      try {
        InboundRouter.pattern(regex);
      } catch (PatternSyntaxException e) {
        in.error(
            "match.regex",
            "invalid_regex",
            "not a valid regular expression: " + e.getDescription());
      }
    }
    if (m != null && m.errorCount() > 0) {
      try {
        m.check();
      } catch (ApiException e) {
        e.errors().forEach(err -> in.error("match." + err.field(), err.code(), err.detail()));
      }
    }
    in.check();
    return new InboundRule(
        id,
        accountId,
        name,
        position,
        enabled,
        senderId,
        number,
        keyword,
        regex,
        groupId,
        tier,
        action,
        "reply".equals(action) ? replyText : null,
        "template".equals(action) ? templateId : null,
        "agent".equals(action) ? agentId : null,
        null,
        null);
  }

  private static JsonInput matchInput(JsonInput in, JsonObject match) {
    try {
      return JsonInput.of(match, MATCH);
    } catch (ApiException e) {
      e.errors().forEach(err -> in.error("match." + err.field(), err.code(), err.detail()));
      return null;
    }
  }

  private static UUID id(JsonInput in, String field) {
    String text = in.optionalString(field, 1, 64);
    if (text == null) {
      return null;
    }
    UUID id = Ids.parse(text);
    if (id == null) {
      in.error(field, "invalid_format", "'" + field + "' must be an id");
    }
    return id;
  }

  private static Future<JsonObject> duplicate(Throwable err) {
    if (Rows.isUniqueViolation(err)) {
      return Future.failedFuture(
          new ApiException(
              409,
              "duplicate-name",
              "Name taken",
              "The account already has an inbound rule of this name",
              List.of(new FieldError("name", "duplicate", "already taken")),
              null));
    }
    return Future.failedFuture(err);
  }
}
