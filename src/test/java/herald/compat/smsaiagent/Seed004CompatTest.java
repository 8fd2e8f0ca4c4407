package herald.compat.smsaiagent;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.llm.LlmSimulator;
import herald.sim.smpp.SmscSimulator;
import herald.sim.twilio.TwilioSimConfig;
import herald.sim.twilio.TwilioSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the request examples of seed 004's API document (the SMS-to-AI Agent), in the document's
 * order, against {@code /compat/sms-ai-agent/api/} with {@code Authorization: Token <API key>}, and
 * checks each answer (status, envelope, key fields) and that the data landed in Herald's own API.
 * The seed's placeholder numbers (+1234567890, +1987654321) are not valid numbers, which Herald
 * refuses; valid numbers of the same shape stand in for them.
 */
class Seed004CompatTest {
  private static final String API = "/compat/sms-ai-agent/api";
  private static final String JOHN = "+14155550123"; // the seed's +1234567890
  private static final String JANE = "+14155550987"; // the seed's +1987654321

  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String token;
  private static SmscSimulator smsc;
  private static LlmSimulator llm;
  private static TwilioSimulator twilio;
  private static final String SID = "AC0000000000000000000000000000a004";
  private static final String TWILIO_TOKEN = "seed004-twilio-token";

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put("simulators", new JsonObject().put("llm_latency_ms", 0))
                .put(
                    "agents",
                    new JsonObject()
                        .put("poll_ms", 200)
                        .put("max_retries", 0)
                        .put("retry_schedule_seconds", new JsonArray().add(0))));
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.boundSmsc();
    llm = herald.herald().simulators().llm();
    twilio =
        TwilioSimulator.start(herald.vertx(), TwilioSimConfig.loopback(SID, TWILIO_TOKEN)).await();
    for (String tier : new String[] {"free", "premium", "enterprise"}) {
      created("/api/v1/tiers", new JsonObject().put("name", tier));
    }
    // The seed has one agent: the default run's simulator agent makes way for this one.
    for (Object a : herald("/api/v1/agents").getJsonArray("data")) {
      assertThat(
              client
                  .delete("/api/v1/agents/" + ((JsonObject) a).getString("id"), admin)
                  .statusCode())
          .isEqualTo(204);
    }
    String agentId =
        created(
                "/api/v1/agents",
                new JsonObject()
                    .put("name", "seed004")
                    .put("base_url", llm.baseUrl())
                    .put("model", llm.models().get(0))
                    .put("api_key", llm.apiKey())
                    .put("system_prompt", "Answer briefly.")
                    .put("timeout_ms", 2000)
                    .put("fallback_reply", "Sorry, try again later."))
            .getString("id");
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "seed 004 agent")
            .put("match", new JsonObject().put("number", "5550400"))
            .put("action", "agent")
            .put("agent_id", agentId));
    token =
        created(
                "/api/v1/api-keys",
                new JsonObject().put("name", "seed004").put("scopes", new JsonArray().add("admin")))
            .getString("key");
  }

  @AfterAll
  static void stop() {
    twilio.close().await();
    herald.close();
  }

  private static JsonObject created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  /** A request as the seed's clients send it: {@code Authorization: Token <key>}. */
  private static HttpResponse<Buffer> seed(HttpMethod method, String path, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.add("Authorization", "Token " + token);
    return client.send(
        method,
        API + path,
        headers,
        body == null ? null : Buffer.buffer(body.encode()),
        body == null ? null : "application/json");
  }

  private static JsonObject ok(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    return response.bodyAsJsonObject();
  }

  private static void assertPage(JsonObject page) {
    assertThat(page.fieldNames()).containsExactlyInAnyOrder("count", "next", "previous", "results");
  }

  private static JsonObject herald(String path) {
    HttpResponse<Buffer> response = client.get(path, admin);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  void everyImplementedRequestExampleOfTheSeedDocumentAnswersAsTheSeedDescribes() {
    // Setup through the seed's own create: John (premium) with one answered and one failed task.
    ok(
        seed(
            HttpMethod.POST,
            "/users/",
            new JsonObject()
                .put("phone_number", JOHN)
                .put("tier", "premium")
                .put("email", "user@example.com")
                .put("full_name", "John Doe")
                .put("timezone", "UTC")
                .put(
                    "preferences",
                    new JsonObject().put("notifications", true).put("language", "en"))),
        201);
    smsc.sendMo(JOHN.substring(1), "5550400", "Help me debug this Python function");
    Await.until(
        "the AI reply",
        Duration.ofSeconds(20),
        () -> smsc.submitted().stream().anyMatch(s -> s.destination().equals(JOHN.substring(1))));
    llm.outage(500);
    smsc.sendMo(JOHN.substring(1), "5550400", "are you down");
    Await.until(
        "the failed task",
        Duration.ofSeconds(20),
        () ->
            smsc.submitted().stream().filter(s -> s.destination().equals(JOHN.substring(1))).count()
                == 2);
    llm.recover();

    // GET /api/users/
    JsonObject users = ok(seed(HttpMethod.GET, "/users/", null), 200);
    assertPage(users);
    assertThat(users.getLong("count")).isEqualTo(1);
    assertThat(users.getValue("previous")).isNull();
    JsonObject listed = users.getJsonArray("results").getJsonObject(0);
    assertThat(listed.getString("phone_number")).isEqualTo(JOHN);
    assertThat(listed.getString("tier")).isEqualTo("premium");
    assertThat(listed.getString("full_name")).isEqualTo("John Doe");
    assertThat(listed.getLong("total_requests")).isEqualTo(2);
    assertThat(listed.getLong("monthly_requests")).isEqualTo(2);
    assertThat(listed.getJsonObject("preferences").getString("language")).isEqualTo("en");

    // GET /api/users/+1234567890/
    JsonObject john = ok(seed(HttpMethod.GET, "/users/" + JOHN + "/", null), 200);
    assertThat(john.getString("email")).isEqualTo("user@example.com");
    assertThat(john.getString("timezone")).isEqualTo("UTC");
    JsonObject stats = john.getJsonObject("stats");
    assertThat(stats.getDouble("success_rate")).isEqualTo(50.0);
    assertThat(stats.getJsonArray("favorite_categories")).isNotEmpty();

    // POST /api/users/
    JsonObject jane =
        ok(
            seed(
                HttpMethod.POST,
                "/users/",
                new JsonObject()
                    .put("phone_number", JANE)
                    .put("tier", "free")
                    .put("email", "newuser@example.com")
                    .put("full_name", "Jane Smith")
                    .put("timezone", "America/New_York")
                    .put(
                        "preferences",
                        new JsonObject().put("notifications", true).put("language", "en"))),
            201);
    assertThat(jane.getString("phone_number")).isEqualTo(JANE);
    assertThat(jane.getString("tier")).isEqualTo("free");
    assertThat(jane.getLong("total_requests")).isZero();
    assertThat(jane.getLong("monthly_requests")).isZero();
    assertThat(jane.getString("timezone")).isEqualTo("America/New_York");
    JsonObject janeInHerald =
        herald("/api/v1/contacts/lookup?phone_number=%2B" + JANE.substring(1));
    assertThat(janeInHerald.getString("name")).isEqualTo("Jane Smith");

    // PATCH /api/users/{phone_number}/
    JsonObject patched =
        ok(
            seed(
                HttpMethod.PATCH,
                "/users/" + JANE + "/",
                new JsonObject()
                    .put("tier", "premium")
                    .put("email", "updated@example.com")
                    .put(
                        "preferences",
                        new JsonObject().put("notifications", false).put("language", "es"))),
            200);
    assertThat(patched.getString("tier")).isEqualTo("premium");
    assertThat(patched.getString("email")).isEqualTo("updated@example.com");
    String janeId = janeInHerald.getString("id");
    JsonObject afterPatch = herald("/api/v1/contacts/" + janeId);
    assertThat(afterPatch.getString("email")).isEqualTo("updated@example.com");
    assertThat(afterPatch.getString("language")).isEqualTo("es");

    // POST /api/users/{phone_number}/update_tier/
    JsonObject upgraded =
        ok(
            seed(
                HttpMethod.POST,
                "/users/" + JANE + "/update_tier/",
                new JsonObject()
                    .put("tier", "enterprise")
                    .put("reason", "Upgrade for increased usage")),
            200);
    assertThat(upgraded.getString("tier")).isEqualTo("enterprise");
    assertThat(herald("/api/v1/contacts/" + janeId).getString("tier")).isEqualTo("enterprise");

    // POST /api/users/{phone_number}/send_message/
    JsonObject sent =
        ok(
            seed(
                HttpMethod.POST,
                "/users/" + JANE + "/send_message/",
                new JsonObject()
                    .put(
                        "message",
                        "Welcome to premium tier! You now have access to enhanced features.")
                    .put("message_type", "notification")),
            202);
    assertThat(sent.getString("status")).isEqualTo("queued");
    Await.until(
        "the message to Jane",
        Duration.ofSeconds(20),
        () -> smsc.submitted().stream().anyMatch(s -> s.destination().equals(JANE.substring(1))));
    assertThat(herald("/api/v1/messages/" + sent.getString("message_id")).getString("to"))
        .isEqualTo(JANE);

    // GET /api/tasks/?user_phone=+1234567890&category=...&page=1&page_size=10 ('+' as a space)
    JsonObject all = ok(seed(HttpMethod.GET, "/tasks/", null), 200);
    assertPage(all);
    assertThat(all.getLong("count")).isEqualTo(2);
    String category = all.getJsonArray("results").getJsonObject(0).getString("category");
    JsonObject tasks =
        ok(
            seed(
                HttpMethod.GET,
                "/tasks/?user_phone=" + JOHN + "&category=" + category + "&page=1&page_size=10",
                null),
            200);
    assertPage(tasks);
    assertThat(tasks.getLong("count")).isEqualTo(2);
    JsonObject pageOne =
        ok(seed(HttpMethod.GET, "/tasks/?user_phone=" + JOHN + "&page=1&page_size=1", null), 200);
    assertThat(pageOne.getJsonArray("results")).hasSize(1);
    assertThat(pageOne.getString("next")).contains("page=2");
    JsonObject pageTwo =
        ok(seed(HttpMethod.GET, "/tasks/?user_phone=" + JOHN + "&page=2&page_size=1", null), 200);
    assertThat(pageTwo.getJsonArray("results")).hasSize(1);
    assertThat(pageTwo.getValue("next")).isNull();
    assertThat(pageTwo.getString("previous")).contains("page=1");
    assertThat(pageTwo.getJsonArray("results").getJsonObject(0).getString("id"))
        .isNotEqualTo(pageOne.getJsonArray("results").getJsonObject(0).getString("id"));
    JsonObject answered =
        ok(seed(HttpMethod.GET, "/tasks/?user_phone=" + JOHN + "&success=true", null), 200)
            .getJsonArray("results")
            .getJsonObject(0);
    assertThat(answered.getString("user_phone")).isEqualTo(JOHN);
    assertThat(answered.getString("sms_content")).isEqualTo("Help me debug this Python function");
    assertThat(answered.getString("ai_response")).isNotBlank();
    assertThat(answered.getBoolean("success")).isTrue();
    assertThat(answered.getValue("error_message")).isNull();
    assertThat(answered.getInteger("tokens_used")).isPositive();
    assertThat(answered.getDouble("processing_time")).isNotNull();

    // GET /api/tasks/{task_id}/
    JsonObject task =
        ok(seed(HttpMethod.GET, "/tasks/" + answered.getString("id") + "/", null), 200);
    assertThat(task.getString("ai_response")).isEqualTo(answered.getString("ai_response"));
    assertThat(task.getJsonObject("metadata").getString("model_used"))
        .isEqualTo(llm.models().get(0));
    assertThat(herald("/api/v1/agent-tasks/" + task.getString("id")).getString("reply"))
        .isEqualTo(task.getString("ai_response"));

    // POST /api/tasks/ (the account's one agent answers by hand, through the default SMS sender)
    JsonObject manual =
        ok(
            seed(
                HttpMethod.POST,
                "/tasks/",
                new JsonObject()
                    .put("user_phone", JOHN)
                    .put("sms_content", "Create a Python function to sort a list")
                    .put("category", "coding")),
            202);
    assertThat(manual.getString("user_phone")).isEqualTo(JOHN);
    assertThat(manual.getString("category")).isEqualTo("coding");
    Await.until(
        "the manual task's reply",
        Duration.ofSeconds(20),
        () ->
            smsc.submitted().stream().filter(s -> s.destination().equals(JOHN.substring(1))).count()
                == 3);
    Await.until(
        "the manual task done",
        Duration.ofSeconds(20),
        () ->
            Boolean.TRUE.equals(
                herald("/api/v1/agent-tasks/" + manual.getString("id")).getBoolean("success")));

    // GET /api/tasks/analytics/
    JsonObject analytics = ok(seed(HttpMethod.GET, "/tasks/analytics/", null), 200);
    assertThat(analytics.getLong("total_tasks")).isEqualTo(3);
    assertThat(analytics.getLong("successful_tasks")).isEqualTo(2);
    assertThat(analytics.getDouble("success_rate")).isEqualTo(66.67);
    assertThat(
            analytics.getJsonObject("category_breakdown").getJsonObject("coding").getLong("count"))
        .isEqualTo(1);
    assertThat(
            ok(seed(HttpMethod.GET, "/tasks/analytics/?category=coding", null), 200)
                .getLong("total_tasks"))
        .isEqualTo(1);

    // GET /api/analytics/overview/
    JsonObject overview = ok(seed(HttpMethod.GET, "/analytics/overview/", null), 200);
    assertThat(overview.getLong("total_users")).isEqualTo(2);
    assertThat(overview.getLong("total_tasks")).isEqualTo(3);
    assertThat(overview.getLong("tasks_24h")).isEqualTo(3);
    assertThat(overview.getJsonObject("tier_distribution"))
        .isEqualTo(new JsonObject().put("enterprise", 1).put("free", 0).put("premium", 1));
    assertThat(overview.getJsonArray("top_categories").getJsonObject(0).getString("category"))
        .isNotBlank();

    // GET /api/analytics/users/
    JsonObject userAnalytics =
        ok(seed(HttpMethod.GET, "/analytics/users/?tier=premium", null), 200);
    assertThat(userAnalytics.getLong("total_users")).isEqualTo(1);
    assertThat(userAnalytics.getLong("new_users_period")).isEqualTo(1);

    // GET /api/analytics/performance/
    JsonObject performance = ok(seed(HttpMethod.GET, "/analytics/performance/", null), 200);
    assertThat(performance.getJsonObject("response_times").fieldNames())
        .contains("avg", "p50", "p95", "p99");
    assertThat(performance.getJsonObject("error_rates").getLong("total_errors")).isEqualTo(1);
    assertThat(performance.getJsonObject("error_rates").getDouble("error_rate")).isEqualTo(33.33);

    // POST /api/messaging/broadcast/ (Jane is enterprise now, John premium: 2 recipients)
    JsonObject broadcast =
        ok(
            seed(
                HttpMethod.POST,
                "/messaging/broadcast/",
                new JsonObject()
                    .put("message", "System maintenance scheduled for tonight at 2 AM EST.")
                    .put("tier_filter", new JsonArray().add("premium").add("enterprise"))
                    .put("message_type", "announcement")),
            202);
    assertThat(broadcast.getInteger("recipients_count")).isEqualTo(2);
    assertThat(broadcast.getString("status")).isEqualTo("queued");
    String messageId = broadcast.getString("message_id");
    assertThat(herald("/api/v1/campaigns/" + messageId).getString("id")).isEqualTo(messageId);

    // GET /api/messaging/status/{message_id}/
    Await.until(
        "the broadcast to complete",
        Duration.ofSeconds(30),
        () ->
            "completed"
                .equals(
                    seed(HttpMethod.GET, "/messaging/status/" + messageId + "/", null)
                        .bodyAsJsonObject()
                        .getString("status")));
    JsonObject status = ok(seed(HttpMethod.GET, "/messaging/status/" + messageId + "/", null), 200);
    assertThat(status.getString("message_id")).isEqualTo(messageId);
    assertThat(status.getLong("sent_count")).isEqualTo(2);
    assertThat(status.getLong("failed_count")).isZero();
    assertThat(status.getDouble("delivery_rate")).isEqualTo(100.0);
    assertThat(status.getString("completed_at")).isNotBlank();

    // GET /api/error-logs/
    JsonObject errors = ok(seed(HttpMethod.GET, "/error-logs/?resolved=false", null), 200);
    assertPage(errors);
    assertThat(errors.getLong("count")).isEqualTo(1);
    JsonObject error = errors.getJsonArray("results").getJsonObject(0);
    assertThat(error.getString("user_phone")).isEqualTo(JOHN);
    assertThat(error.getString("error_type")).isEqualTo("server_error");
    assertThat(error.getBoolean("resolved")).isFalse();
    assertThat(error.getString("timestamp")).isNotBlank();

    // PATCH /api/error-logs/{error_id}/
    JsonObject resolved =
        ok(
            seed(
                HttpMethod.PATCH,
                "/error-logs/" + error.getString("id") + "/",
                new JsonObject()
                    .put("resolved", true)
                    .put("resolution_notes", "Fixed by updating OpenAI timeout configuration")),
            200);
    assertThat(resolved.getBoolean("resolved")).isTrue();
    assertThat(
            herald("/api/v1/agent-errors?resolved=true")
                .getJsonArray("data")
                .getJsonObject(0)
                .getString("resolution_notes"))
        .isEqualTo("Fixed by updating OpenAI timeout configuration");

    // GET /api/health/ (no token)
    HttpResponse<Buffer> health = client.get(API + "/health/", null);
    JsonObject healthy = ok(health, 200);
    assertThat(healthy.getString("status")).isEqualTo("healthy");
    assertThat(healthy.getJsonObject("services").getJsonObject("database").getString("status"))
        .isEqualTo("healthy");
    assertThat(healthy.getLong("uptime")).isNotNegative();

    // POST /api/sms/receive/ (Twilio's signed form; Herald's Twilio sender of AccountSid and To)
    created(
        "/api/v1/senders",
        new JsonObject()
            .put("name", "twilio")
            .put("provider", "twilio")
            .put("rate_per_second", 10)
            .put(
                "settings",
                new JsonObject()
                    .put("account_sid", SID)
                    .put("auth_token", TWILIO_TOKEN)
                    .put("from", "+14155550970")
                    .put("base_url", twilio.baseUrl())));
    String url = "http://127.0.0.1:" + herald.herald().port() + API + "/sms/receive/";
    HttpResponse<Buffer> received =
        twilio
            .sendInbound(url, "+14155550971", "+14155550970", "Help me debug this Python code")
            .await();
    assertThat(received.statusCode()).as(received.bodyAsString()).isEqualTo(200);
    assertThat(received.getHeader("Content-Type")).startsWith("text/xml");
    assertThat(received.bodyAsString()).contains("<Response><Message>").contains("</Message>");
    assertThat(
            herald("/api/v1/messages?direction=inbound").getJsonArray("data").stream()
                .map(m -> ((JsonObject) m).getString("body"))
                .toList())
        .contains("Help me debug this Python code");
    HttpResponse<Buffer> forged =
        client.send(
            HttpMethod.POST,
            API + "/sms/receive/",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(
                "From=%2B14155550971&To=%2B14155550970&Body=hi&MessageSid=SM1&AccountSid=" + SID),
            "application/x-www-form-urlencoded");
    assertThat(forged.statusCode()).isEqualTo(403);

    // GET /api/system/stats/
    JsonObject system = ok(seed(HttpMethod.GET, "/system/stats/", null), 200);
    assertThat(system.getJsonObject("queues").getLong("pending_tasks")).isZero();
    assertThat(system.getJsonObject("queues").getLong("failed_tasks")).isEqualTo(1);
    assertThat(system.getJsonObject("queues").getLong("completed_today")).isEqualTo(2);
  }

  @Test
  void theSeedsTokenEndpointLogsInAndItsTokenWorksWithTheTokenScheme() {
    // POST /api/auth/token/
    HttpResponse<Buffer> issued =
        client.send(
            HttpMethod.POST,
            API + "/auth/token/",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(
                new JsonObject()
                    .put("username", "admin")
                    .put("password", TestHerald.ADMIN_PASSWORD)
                    .encode()),
            "application/json");
    JsonObject answer = ok(issued, 200);
    assertThat(answer.getString("username")).isEqualTo("admin");
    assertThat(answer.getString("user_id")).isNotBlank();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.add("Authorization", "Token " + answer.getString("token"));
    HttpResponse<Buffer> users = client.send(HttpMethod.GET, API + "/users/", headers, null, null);
    assertPage(ok(users, 200));

    HttpResponse<Buffer> wrong =
        client.send(
            HttpMethod.POST,
            API + "/auth/token/",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(
                new JsonObject().put("username", "admin").put("password", "nope").encode()),
            "application/json");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.bodyAsJsonObject().getString("error")).isNotBlank();
    HttpResponse<Buffer> missing =
        client.send(
            HttpMethod.POST,
            API + "/auth/token/",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(new JsonObject().put("username", "admin").encode()),
            "application/json");
    assertThat(ok(missing, 400).getJsonObject("fields").getJsonArray("password")).hasSize(1);
  }

  @Test
  void errorsAnswerInTheSeedsErrorShape() {
    HttpResponse<Buffer> invalid =
        seed(HttpMethod.POST, "/users/", new JsonObject().put("tier", "free"));
    JsonObject body = ok(invalid, 400);
    assertThat(body.getString("error")).isEqualTo("validation_error");
    assertThat(body.getJsonObject("fields").getJsonArray("phone_number")).hasSize(1);
    assertThat(body.getString("timestamp")).isNotBlank();
    assertThat(body.getString("request_id")).isNotBlank();

    JsonObject missing = ok(seed(HttpMethod.GET, "/users/+14155550999/", null), 404);
    assertThat(missing.getString("detail")).isNotBlank();

    HttpResponse<Buffer> anonymous = client.get(API + "/users/", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.bodyAsJsonObject().containsKey("error")).isTrue();

    assertThat(client.get(API + "/users/", "not-a-key").statusCode()).isEqualTo(401);
  }
}
