package herald.platform.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The routes of the real router that read a JSON body, each with a valid body, for tests that try
 * every field of every such route. {@link #routes} walks the router, so a test can check that the
 * catalogue misses none.
 */
final class WriteRoutes {
  private WriteRoutes() {}

  private static final AtomicInteger SEQ = new AtomicInteger(1000);

  /**
   * A route that reads a JSON body.
   *
   * @param path as the router spells it ({@code /api/v1/users/:id})
   * @param valid a body the route accepts (fresh on each call, so names stay unique)
   */
  record WriteRoute(HttpMethod method, String path, Supplier<JsonObject> valid) {
    String key() {
      return method + " " + path;
    }

    @Override
    public String toString() {
      return key();
    }
  }

  /**
   * Write routes that read no JSON body (or a file), so the JSON tests do not apply to them: their
   * uploads and forms are tried by their own tests.
   */
  static final Set<String> NOT_JSON =
      Set.of(
          "POST /api/v1/auth/logout",
          "POST /api/v1/contacts/import",
          "POST /api/csv/upload",
          "POST /api/v1/campaigns/upload",
          "POST /api/v1/campaigns/preview-csv",
          "POST /api/v1/blacklist/import",
          "POST /api/v1/campaigns/:id/pause",
          "POST /api/v1/campaigns/:id/resume",
          "POST /api/v1/campaigns/:id/stop",
          "POST /api/v1/campaigns/:id/retry",
          "POST /api/v1/templates/:id/use",
          "POST /api/v1/webhooks/:id/toggle",
          "POST /api/v1/webhooks/:id/test",
          "POST /api/v1/webhooks/:id/recover",
          "POST /api/v1/webhooks/:id/deliveries/:delivery_id/retry",
          "POST /webhooks/twilio/:senderId/status",
          "POST /api/v1/inbound/twilio/sms",
          "POST /api/v1/media",
          "POST /api/v1/senders/:id/templates/sync",
          "POST /webhooks/whatsapp");

  static int next() {
    return SEQ.incrementAndGet();
  }

  static String name(String prefix) {
    return prefix + "-" + next();
  }

  static String phone() {
    return String.format("+1415557%04d", next() % 10_000);
  }

  static JsonObject sender() {
    return new JsonObject()
        .put("name", name("sender"))
        .put("channel", "sms")
        .put("provider", "twilio")
        .put("rate_per_second", 10)
        .put("is_default", false)
        .put(
            "settings",
            new JsonObject()
                .put("account_sid", "AC" + "0123456789abcdef".repeat(2))
                .put("auth_token", "token-" + next())
                .put("from", "+14155550000"));
  }

  /** An IVR of two menus using every kind of action. */
  static JsonObject ivr() {
    return new JsonObject()
        .put("name", name("ivr"))
        .put("start", "main")
        .put(
            "menus",
            new JsonObject()
                .put(
                    "main",
                    new JsonObject()
                        .put("prompt", new JsonArray().add("sound:main-menu"))
                        .put("timeout_seconds", 5)
                        .put("max_retries", 2)
                        .put("retry_prompt", "sound:please-try-again")
                        .put("invalid_prompt", "sound:option-is-invalid")
                        .put(
                            "options",
                            new JsonObject()
                                .put(
                                    "1", new JsonObject().put("action", "menu").put("menu", "more"))
                                .put(
                                    "2",
                                    new JsonObject()
                                        .put("action", "agent")
                                        .put(
                                            "agent",
                                            new JsonObject()
                                                .put("type", "queue")
                                                .put("value", "support")
                                                .put("timeout_seconds", 20)))
                                .put(
                                    "3",
                                    new JsonObject()
                                        .put("action", "webhook")
                                        .put("data", new JsonObject().put("topic", "x"))
                                        .put("prompt", "sound:thanks"))
                                .put(
                                    "4",
                                    new JsonObject()
                                        .put("action", "record")
                                        .put("prompt", "sound:leave-a-message")
                                        .put("max_seconds", 60)
                                        .put("beep", true)))
                        .put("on_timeout", new JsonObject().put("action", "hangup")))
                .put(
                    "more",
                    new JsonObject()
                        .put("prompt", "sound:more")
                        .put(
                            "options",
                            new JsonObject()
                                .put(
                                    "0",
                                    new JsonObject()
                                        .put("action", "hangup")
                                        .put("prompt", "sound:goodbye")))));
  }

  /** A voice sender on an ARI nobody serves (its calls stay queued). */
  static JsonObject voiceSender() {
    return new JsonObject()
        .put("name", name("voice"))
        .put("provider", "ari")
        .put("rate_per_second", 10)
        .put(
            "settings",
            new JsonObject()
                .put("base_url", "http://127.0.0.1:9/ari")
                .put("username", "herald")
                .put("password", "secret-" + next())
                .put("app", "bad-input")
                .put("endpoint", "PJSIP/{number}@trunk"));
  }

  /** The catalogue; ids of existing resources come from {@code ids} (see {@link #resolve}). */
  static List<WriteRoute> catalogue(Map<String, String> ids) {
    String later =
        Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    Supplier<JsonObject> campaign =
        () ->
            new JsonObject()
                .put("name", name("campaign"))
                .put("channel", "sms")
                .put("message", "Hi {name}")
                .put("sender_id", ids.get("sender"))
                .put(
                    "recipients",
                    new JsonArray()
                        .add(new JsonObject().put("phone_number", phone()).put("name", "Ann"))
                        .add(phone()))
                .put("missing_variables", "blank");
    Supplier<JsonObject> message =
        () ->
            new JsonObject()
                .put("to", phone())
                .put("body", "Hello there")
                .put("sender_id", ids.get("sender"))
                .put("channel", "sms")
                .put("scheduled_at", later)
                .put("metadata", new JsonObject().put("order", "A-1"))
                .put("callback_url", "https://example.com/callback");
    Supplier<JsonObject> template =
        () ->
            new JsonObject()
                .put("name", name("template"))
                .put("channel", "sms")
                .put("content", "Hello {name}")
                .put("category", "marketing")
                .put("is_public", false);
    Supplier<JsonObject> webhook =
        () ->
            new JsonObject()
                .put("name", name("hook"))
                .put("url", "http://127.0.0.1:9/hook")
                .put("events", new JsonArray().add("message.sent"))
                .put("retry_limit", 3)
                .put("timeout_seconds", 5)
                .put("is_active", true)
                .put("ordered", false)
                .put("sender_id", ids.get("sender"));
    Supplier<JsonObject> agent =
        () ->
            new JsonObject()
                .put("name", name("agent"))
                .put("base_url", "http://127.0.0.1:9/v1")
                .put("model", "test-model")
                .put("api_key", "sk-test")
                .put("system_prompt", "Be brief.")
                .put("prompt_templates", new JsonObject().put("coding", "Code: {message}"))
                .put(
                    "category_keywords",
                    new JsonObject().put("coding", new JsonArray().add("python")))
                .put("temperature", 0.5)
                .put("max_tokens", 200)
                .put("history_turns", 3)
                .put("max_segments", 2)
                .put("timeout_ms", 5000)
                .put("fallback_reply", "Sorry.")
                .put("default_tier", "free")
                .put("unknown_tier_reply", "Unknown plan.");
    Supplier<JsonObject> tier =
        () ->
            new JsonObject()
                .put("name", name("tier"))
                .put("requests_per_hour", 10)
                .put("requests_per_day", 50)
                .put("requests_per_month", 500)
                .put("max_reply_chars", 300)
                .put("allowed_categories", new JsonArray().add("general"))
                .put("priority", 1)
                .put("over_quota_message", "Quota used.");
    Supplier<JsonObject> rule =
        () ->
            new JsonObject()
                .put("name", name("rule"))
                .put("position", 5)
                .put("enabled", false)
                .put(
                    "match",
                    new JsonObject()
                        .put("keyword", "INFO")
                        .put("regex", "info")
                        .put("number", "5550000")
                        .put("tier", "free"))
                .put("action", "reply")
                .put("reply_text", "Open 9 to 5.");
    return List.of(
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/auth/login",
            () -> new JsonObject().put("username", "admin").put("password", "wrong-password")),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/accounts",
            () ->
                new JsonObject()
                    .put("name", name("account"))
                    .put("admin_username", name("admin"))
                    .put("admin_password", "password-a")
                    .put("admin_email", "a@example.com")
                    .put("admin_name", "Ann")
                    .put(
                        "settings",
                        new JsonObject()
                            .put("default_region", "FR")
                            .put("timezone", "Europe/Paris"))),
        new WriteRoute(
            HttpMethod.PATCH,
            "/api/v1/accounts/:id",
            () ->
                new JsonObject()
                    .put("name", name("account"))
                    .put("status", "active")
                    .put("settings", new JsonObject().put("timezone", "Europe/Paris"))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/users",
            () ->
                new JsonObject()
                    .put("username", name("user"))
                    .put("password", "password-u")
                    .put("role", "viewer")
                    .put("name", "Una")
                    .put("email", "u@example.com")),
        new WriteRoute(
            HttpMethod.PATCH,
            "/api/v1/users/:id",
            () ->
                new JsonObject()
                    .put("password", "password-v")
                    .put("role", "viewer")
                    .put("name", "Vic")
                    .put("email", "v@example.com")
                    .put("is_active", true)),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/api-keys",
            () ->
                new JsonObject()
                    .put("name", name("key"))
                    .put("scopes", new JsonArray().add("messages:read"))
                    .put("expires_at", later)),
        new WriteRoute(HttpMethod.POST, "/api/v1/senders", WriteRoutes::sender),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/calls",
            () ->
                new JsonObject()
                    .put("to", phone())
                    .put("sender_id", ids.get("voice_sender"))
                    .put("play", "sound:hello-world")
                    .put("record", false)
                    .put("amd", false)
                    .put("timeout_seconds", 20)
                    .put("variables", new JsonObject().put("CAMPAIGN", "spring"))),
        new WriteRoute(HttpMethod.POST, "/api/v1/ivr", WriteRoutes::ivr),
        new WriteRoute(HttpMethod.PUT, "/api/v1/ivr/:id", WriteRoutes::ivr),
        new WriteRoute(
            HttpMethod.PATCH,
            "/api/v1/senders/:id",
            () ->
                new JsonObject()
                    .put("name", name("sender"))
                    .put("rate_per_second", 20)
                    .put("is_default", false)
                    .put("is_active", true)
                    .put("settings", new JsonObject().put("from", "+14155550001"))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/contacts",
            () ->
                new JsonObject()
                    .put("phone_number", phone())
                    .put("name", "Ann Smith")
                    .put("first_name", "Ann")
                    .put("last_name", "Smith")
                    .put("email", "ann@example.com")
                    .put("status", "active")
                    .put("timezone", "Europe/Paris")
                    .put("language", "fr")
                    .put("custom_fields", new JsonObject().put("plan", "gold"))
                    .put("group_ids", new JsonArray().add(ids.get("group")))),
        new WriteRoute(
            HttpMethod.PATCH,
            "/api/v1/contacts/:id",
            () ->
                new JsonObject()
                    .put("name", "Bea Smith")
                    .put("first_name", "Bea")
                    .put("last_name", "Smith")
                    .put("email", "bea@example.com")
                    .put("status", "active")
                    .put("timezone", "Europe/Paris")
                    .put("language", "fr")
                    .put("custom_fields", new JsonObject().put("plan", "silver"))
                    .put("group_ids", new JsonArray().add(ids.get("group")))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/contact-groups",
            () -> new JsonObject().put("name", name("group")).put("description", "d")),
        new WriteRoute(
            HttpMethod.PATCH,
            "/api/v1/contact-groups/:id",
            () -> new JsonObject().put("name", name("group")).put("description", "e")),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/contact-groups/:id/contacts/add",
            () -> new JsonObject().put("contact_ids", new JsonArray().add(ids.get("contact")))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/contact-groups/:id/contacts/remove",
            () -> new JsonObject().put("contact_ids", new JsonArray().add(ids.get("contact")))),
        new WriteRoute(HttpMethod.POST, "/api/v1/templates", template),
        new WriteRoute(HttpMethod.PUT, "/api/v1/templates/:id", template),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/templates/:id/preview",
            () ->
                new JsonObject()
                    .put("data", new JsonObject().put("name", "Ann"))
                    .put("contact_id", ids.get("contact"))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/blacklist",
            () -> new JsonObject().put("phone_number", phone()).put("reason", "asked")),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/blacklist/check",
            () -> new JsonObject().put("phone_number", phone())),
        new WriteRoute(HttpMethod.POST, "/api/v1/messages", message),
        new WriteRoute(HttpMethod.POST, "/api/v1/messages/test", message),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/phone-numbers/analyze",
            () -> new JsonObject().put("numbers", new JsonArray().add(phone()))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/messages/analyze",
            () -> new JsonObject().put("phone_numbers", new JsonArray().add(phone()))),
        new WriteRoute(HttpMethod.POST, "/api/v1/campaigns", campaign),
        new WriteRoute(HttpMethod.PUT, "/api/v1/campaigns/:id", campaign),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/campaigns/:id/recipients",
            () -> new JsonObject().put("recipients", new JsonArray().add(phone()))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/campaigns/:id/start",
            () ->
                new JsonObject()
                    .put("recipients", new JsonArray().add(phone()))
                    .put("message", "Hi")),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/campaigns/:id/send",
            () ->
                new JsonObject()
                    .put("recipients", new JsonArray().add(phone()))
                    .put("message", "Hi")),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/campaigns/:id/clone",
            () -> new JsonObject().put("name", name("clone"))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/campaigns/:id/schedule",
            () ->
                new JsonObject()
                    .put("frequency", "daily")
                    .put("time", "09:00")
                    .put("timezone", "Europe/Paris")
                    .put("start_date", "2030-01-01")
                    .put("end_date", "2030-12-31")
                    .put("is_active", true)),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/campaigns/:id/variants",
            () ->
                new JsonObject()
                    .put(
                        "variants",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", "A")
                                    .put("message", "Hi")
                                    .put("percentage", 50))
                            .add(
                                new JsonObject()
                                    .put("name", "B")
                                    .put("message", "Hello")
                                    .put("percentage", 50)))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/webhooks",
            () ->
                webhook
                    .get()
                    .put("secret", "whsec_" + Base64.getEncoder().encodeToString(new byte[32]))),
        new WriteRoute(HttpMethod.PUT, "/api/v1/webhooks/:id", webhook),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/webhooks/:id/rotate-secret",
            () ->
                new JsonObject()
                    .put("secret", "whsec_" + Base64.getEncoder().encodeToString(new byte[40]))),
        new WriteRoute(HttpMethod.POST, "/api/v1/agents", agent),
        new WriteRoute(HttpMethod.PATCH, "/api/v1/agents/:id", agent),
        new WriteRoute(HttpMethod.POST, "/api/v1/tiers", tier),
        new WriteRoute(HttpMethod.PATCH, "/api/v1/tiers/:id", tier),
        new WriteRoute(HttpMethod.POST, "/api/v1/inbound-rules", rule),
        new WriteRoute(HttpMethod.PUT, "/api/v1/inbound-rules/:id", rule),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/agent-tasks",
            () ->
                new JsonObject()
                    .put("agent_id", ids.get("agent"))
                    .put("phone_number", phone())
                    .put("content", "What time is it?")
                    .put("category", "general")
                    .put("sender_id", ids.get("sender"))),
        new WriteRoute(
            HttpMethod.PATCH,
            "/api/v1/agent-errors/:id",
            () -> new JsonObject().put("resolved", true).put("resolution_notes", "fixed")),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/broadcasts",
            () ->
                new JsonObject()
                    .put("message", "Hello all")
                    .put("group_ids", new JsonArray().add(ids.get("group")))
                    .put("tiers", new JsonArray().add("gold"))
                    .put("channel", "sms")
                    .put("name", name("broadcast"))
                    .put("sender_id", ids.get("sender"))),
        new WriteRoute(
            HttpMethod.POST,
            "/api/v1/contacts/:id/update-tier",
            () -> new JsonObject().put("tier", "gold").put("reason", "upgrade")));
  }

  /**
   * The route's path with its {@code :id} made real: {@code ids} maps the resource segment ({@code
   * accounts}, {@code users}, ...) to an id, or {@code campaigns} to a fresh draft.
   */
  static String resolve(String path, Map<String, Supplier<String>> ids) {
    String[] parts = path.split("/");
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].equals(":id")) {
        Supplier<String> id = ids.get(parts[i - 1]);
        if (id == null) {
          throw new AssertionError("no id for " + path);
        }
        parts[i] = id.get();
      }
    }
    return String.join("/", parts);
  }

  /**
   * Every (method, full path) the router serves, walking its sub-routers; not the compatibility
   * prefixes ({@code /compat/...}), which answer their seed's error shape instead of problem+json
   * and are checked by their own tests (Seed004CompatTest).
   */
  static List<String[]> routes(Router router, String prefix) {
    List<String[]> out = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath() == null ? "" : route.getPath();
      if ((prefix + path).startsWith("/compat/")) {
        continue;
      }
      if (route.getSubRouter() != null) {
        out.addAll(routes(route.getSubRouter(), prefix + path.replaceAll("\\*$", "")));
      } else if (route.methods() != null && !route.methods().isEmpty() && route.getPath() != null) {
        String full = (prefix + path).replaceAll("/$", "");
        route.methods().forEach(m -> out.add(new String[] {m.name(), full.isEmpty() ? "/" : full}));
      }
    }
    return out;
  }
}
