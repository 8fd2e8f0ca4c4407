package herald.agent;

import herald.audit.Actor;
import herald.platform.database.Ids;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/agents}: AI agents, each an OpenAI-compatible chat-completions endpoint with its
 * prompts and limits. The API key is write-only: answers show {@code has_api_key}. Each agent's
 * answer also shows its circuit breaker on this node ({@code breaker}).
 */
public final class AgentRoutes {
  public static final String DEFAULT_FALLBACK =
      "Sorry, I cannot answer right now. Please try again in a few minutes.";
  public static final String DEFAULT_UNKNOWN_TIER =
      "Sorry, your plan does not include this service. Please contact support.";

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "base_url",
          "model",
          "api_key",
          "system_prompt",
          "prompt_templates",
          "category_keywords",
          "temperature",
          "max_tokens",
          "history_turns",
          "max_segments",
          "timeout_ms",
          "fallback_reply",
          "default_tier",
          "unknown_tier_reply",
          "prompt_token_price",
          "completion_token_price",
          "classification");

  private final Vertx vertx;
  private final AgentStore agents;
  private final AgentService service;

  public AgentRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.agents = new AgentStore(pool);
    this.service = new AgentService(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("agents:read")).respond(this::list);
    router
        .post("/")
        .handler(Scoped.require("agents:write"))
        .handler(Responses.status(201, this::create));
    router.get("/:id").handler(Scoped.require("agents:read")).respond(this::get);
    router.patch("/:id").handler(Scoped.require("agents:write")).respond(this::update);
    router
        .delete("/:id")
        .handler(Scoped.require("agents:write"))
        .handler(Responses.noContent(this::delete));
    return router;
  }

  private JsonObject render(Agent agent) {
    LocalMap<String, String> breakers =
        vertx.sharedData().getLocalMap(AgentWorkerVerticle.BREAKERS);
    return agent.toJson().put("breaker", breakers.getOrDefault(agent.id().toString(), "closed"));
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    return agents
        .list(Requests.principal(ctx).accountId(), page)
        .map(rows -> page.page(rows, Agent::id, this::render));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Agent");
    return agents
        .get(Requests.principal(ctx).accountId(), id)
        .map(agent -> render(Responses.found(agent, "Agent")));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    JsonInput in = JsonInput.of(ctx, FIELDS);
    in.require("name", "'name' is required");
    in.require("base_url", "'base_url' is required");
    in.require("model", "'model' is required");
    Agent agent = read(in, null, Ids.newId(), actor.accountId());
    in.check();
    return service.createAgent(actor, agent).map(json -> json.put("breaker", "closed"));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    UUID id = Requests.pathId(ctx, "id", "Agent");
    JsonInput in = JsonInput.of(ctx, FIELDS);
    for (String required : new String[] {"name", "base_url", "model"}) {
      if (in.has(required) && in.missing(required)) {
        in.error(required, "required", "'" + required + "' cannot be null");
      }
    }
    read(in, null, id, actor.accountId()); // validates every field given
    in.check();
    return service
        .updateAgent(actor, id, before -> read(in, before, id, actor.accountId()))
        .map(json -> json.put("breaker", "closed"));
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.deleteAgent(Actor.of(ctx), Requests.pathId(ctx, "id", "Agent"));
  }

  /**
   * The agent the input describes: each field given, else {@code before}'s, else the default.
   * Errors are collected in {@code in}.
   */
  static Agent read(JsonInput in, Agent before, UUID id, UUID accountId) {
    String name = in.optionalString("name", 1, 200);
    String baseUrl = in.optionalString("base_url", 8, 2000);
    if (baseUrl != null && !isHttpUrl(baseUrl)) {
      in.error("base_url", "invalid_url", "'base_url' must be an http or https URL");
    }
    String model = in.optionalString("model", 1, 200);
    String apiKey = in.optionalString("api_key", 0, 4000);
    JsonObject templates = stringMap(in, "prompt_templates");
    JsonObject keywords = keywordMap(in, "category_keywords");
    Double temperature = null;
    Object t = in.value("temperature");
    if (t != null) {
      if (t instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 2) {
        temperature = n.doubleValue();
      } else {
        in.error("temperature", "invalid_value", "'temperature' must be a number from 0 to 2");
      }
    }
    Integer maxTokens = in.optionalInteger("max_tokens", null, 1, 32_768);
    Integer history = in.optionalInteger("history_turns", null, 0, 50);
    Integer segments = in.optionalInteger("max_segments", null, 1, 20);
    Integer timeout = in.optionalInteger("timeout_ms", null, 100, 600_000);
    String fallback = in.optionalString("fallback_reply", 1, 1600);
    String defaultTier = in.optionalString("default_tier", 1, 100);
    String unknownTier = in.optionalString("unknown_tier_reply", 1, 1600);
    String systemPrompt = in.optionalString("system_prompt", 0, 20_000);
    Double promptPrice = price(in, "prompt_token_price");
    Double completionPrice = price(in, "completion_token_price");
    String classification = in.optionalString("classification", 1, 20);
    if (classification != null && !Agent.CLASSIFICATIONS.contains(classification)) {
      in.error("classification", "invalid_value", "'classification' must be 'keywords' or 'model'");
    }
    return new Agent(
        id,
        accountId,
        pick(name, before == null ? null : before.name()),
        pick(baseUrl, before == null ? null : before.baseUrl()),
        pick(model, before == null ? null : before.model()),
        in.has("api_key")
            ? (apiKey == null || apiKey.isEmpty() ? null : apiKey)
            : before == null ? null : before.apiKey(),
        in.has("system_prompt")
            ? (systemPrompt == null || systemPrompt.isEmpty() ? null : systemPrompt)
            : before == null ? null : before.systemPrompt(),
        templates != null
            ? templates
            : before == null || in.has("prompt_templates")
                ? new JsonObject()
                : before.promptTemplates(),
        keywords != null
            ? keywords
            : before == null || in.has("category_keywords")
                ? new JsonObject()
                : before.categoryKeywords(),
        pick(temperature, before == null ? 0.7 : before.temperature()),
        pick(maxTokens, before == null ? 300 : before.maxTokens()),
        pick(history, before == null ? 5 : before.historyTurns()),
        pick(segments, before == null ? 3 : before.maxSegments()),
        pick(timeout, before == null ? 30_000 : before.timeoutMs()),
        pick(fallback, before == null ? DEFAULT_FALLBACK : before.fallbackReply()),
        in.has("default_tier") ? defaultTier : before == null ? null : before.defaultTier(),
        pick(unknownTier, before == null ? DEFAULT_UNKNOWN_TIER : before.unknownTierReply()),
        in.has("prompt_token_price")
            ? promptPrice
            : before == null ? null : before.promptTokenPrice(),
        in.has("completion_token_price")
            ? completionPrice
            : before == null ? null : before.completionTokenPrice(),
        pick(classification, before == null ? "keywords" : before.classification()),
        before == null ? null : before.createdAt(),
        before == null ? null : before.updatedAt());
  }

  /** A price per 1,000 tokens: null, or a number from 0 to 1,000. */
  private static Double price(JsonInput in, String field) {
    Object value = in.value(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1000) {
      return n.doubleValue();
    }
    in.error(
        field,
        "invalid_value",
        "'" + field + "' must be a number from 0 to 1000 (per 1,000 tokens)");
    return null;
  }

  private static <T> T pick(T given, T otherwise) {
    return given != null ? given : otherwise;
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }

  private static JsonObject stringMap(JsonInput in, String field) {
    JsonObject map = in.optionalObject(field);
    if (map == null) {
      return null;
    }
    for (String key : map.fieldNames()) {
      if (!(map.getValue(key) instanceof String s) || s.isBlank() || s.length() > 20_000) {
        in.error(field + "." + key, "invalid_value", "each template must be a non-empty string");
      }
    }
    return map;
  }

  private static JsonObject keywordMap(JsonInput in, String field) {
    JsonObject map = in.optionalObject(field);
    if (map == null) {
      return null;
    }
    for (String key : map.fieldNames()) {
      boolean ok = map.getValue(key) instanceof JsonArray words && !words.isEmpty();
      if (ok) {
        for (Object word : (JsonArray) map.getValue(key)) {
          ok &= word instanceof String s && !s.isBlank() && s.length() <= 200;
        }
      }
      if (!ok) {
        in.error(
            field + "." + key, "invalid_value", "each category needs a non-empty list of keywords");
      }
    }
    return map;
  }
}
