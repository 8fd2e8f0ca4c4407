package herald.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on every route of the platform: each answers 4xx problem+json with a useful detail,
 * none answers 500, and nothing is half-written.
 */
class BadInputTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String userId;
  private static String accountId;
  private static String contactId;
  private static String groupId;
  private static String templateId;

  /** A JSON-accepting route and a body that is valid for it. */
  record JsonRoute(HttpMethod method, String path, JsonObject valid, boolean authenticated) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject().put("http", new JsonObject().put("body_limit_bytes", 65536)));
    client = herald.client();
    admin = client.loginAdmin();
    userId =
        client
            .post(
                "/api/v1/users",
                admin,
                new JsonObject()
                    .put("username", "target-user")
                    .put("password", "password-1")
                    .put("role", "viewer"))
            .bodyAsJsonObject()
            .getString("id");
    accountId =
        client
            .post(
                "/api/v1/accounts",
                admin,
                new JsonObject()
                    .put("name", "Target")
                    .put("admin_username", "target-admin")
                    .put("admin_password", "password-2"))
            .bodyAsJsonObject()
            .getString("id");
    contactId = created("/api/v1/contacts", new JsonObject().put("phone_number", "+33612345678"));
    groupId = created("/api/v1/contact-groups", new JsonObject().put("name", "target-group"));
    templateId =
        created(
            "/api/v1/templates",
            new JsonObject().put("name", "target").put("content", "Hi {name}"));
  }

  private static String created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static Stream<JsonRoute> jsonRoutes() {
    return Stream.of(
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/auth/login",
            new JsonObject().put("username", "admin").put("password", "x"),
            false),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/accounts",
            new JsonObject()
                .put("name", "N")
                .put("admin_username", "n-admin")
                .put("admin_password", "password-n"),
            true),
        new JsonRoute(
            HttpMethod.PATCH,
            "/api/v1/accounts/{account}",
            new JsonObject().put("name", "T2"),
            true),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/users",
            new JsonObject()
                .put("username", "u-new")
                .put("password", "password-u")
                .put("role", "sender"),
            true),
        new JsonRoute(
            HttpMethod.PATCH, "/api/v1/users/{user}", new JsonObject().put("name", "Bob"), true),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/api-keys",
            new JsonObject()
                .put("name", "k")
                .put("scopes", new io.vertx.core.json.JsonArray().add("admin")),
            true),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/contacts",
            new JsonObject().put("phone_number", "+33612345679").put("name", "Ann"),
            true),
        new JsonRoute(
            HttpMethod.PATCH,
            "/api/v1/contacts/{contact}",
            new JsonObject().put("name", "A"),
            true),
        new JsonRoute(
            HttpMethod.POST, "/api/v1/contact-groups", new JsonObject().put("name", "g2"), true),
        new JsonRoute(
            HttpMethod.PATCH,
            "/api/v1/contact-groups/{group}",
            new JsonObject().put("name", "g3"),
            true),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/blacklist",
            new JsonObject().put("phone_number", "+33612345670").put("reason", "r"),
            true),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/blacklist/check",
            new JsonObject().put("phone_number", "+33612345670"),
            true),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/templates",
            new JsonObject().put("name", "t2").put("content", "Hello"),
            true),
        new JsonRoute(
            HttpMethod.PUT,
            "/api/v1/templates/{template}",
            new JsonObject().put("name", "t3").put("content", "Hello"),
            true),
        new JsonRoute(
            HttpMethod.POST,
            "/api/v1/templates/{template}/preview",
            new JsonObject().put("data", new JsonObject().put("name", "Ann")),
            true));
  }

  private static HttpResponse<Buffer> raw(JsonRoute route, String body, String contentType) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (route.authenticated()) {
      headers.add("Authorization", "Bearer " + admin);
    }
    String path =
        route
            .path()
            .replace("{account}", accountId)
            .replace("{user}", userId)
            .replace("{contact}", contactId)
            .replace("{group}", groupId)
            .replace("{template}", templateId);
    return client.send(
        route.method(), path, headers, body == null ? null : Buffer.buffer(body), contentType);
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("urn:herald:problem:");
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getString("request_id")).isEqualTo(response.getHeader("X-Request-Id"));
    assertThat(response.bodyAsString()).doesNotContain("Exception").doesNotContain("at herald.");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonRoutes")
  void malformedJsonIs400(JsonRoute route) {
    assertProblem(raw(route, "{\"name\": ", "application/json"), 400);
    assertProblem(raw(route, "[1, 2]", "application/json"), 400);
    assertProblem(raw(route, "", "application/json"), 400);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonRoutes")
  void wrongContentTypeIs415(JsonRoute route) {
    assertProblem(raw(route, route.valid().encode(), "text/plain"), 415);
    assertProblem(raw(route, route.valid().encode(), null), 415);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonRoutes")
  void unknownFieldIs422NamingTheField(JsonRoute route) {
    HttpResponse<Buffer> response =
        raw(route, route.valid().copy().put("surprise", 1).encode(), "application/json");
    assertProblem(response, 422);
    assertThat(
            response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("surprise");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonRoutes")
  void wrongTypesAre422WithFieldErrors(JsonRoute route) {
    JsonObject wrong = new JsonObject();
    route.valid().fieldNames().forEach(field -> wrong.put(field, 12345));
    HttpResponse<Buffer> response = raw(route, wrong.encode(), "application/json");
    assertProblem(response, 422);
    assertThat(response.bodyAsJsonObject().getJsonArray("errors")).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonRoutes")
  void oversizeBodyIs413(JsonRoute route) {
    String huge = route.valid().copy().put("name", "x".repeat(70_000)).encode();
    assertProblem(raw(route, huge, "application/json"), 413);
  }

  @Test
  void aSendBatchMayExceedTheGeneralBodyLimitUpToTheSendLimit() {
    // 200 messages of ~500 bytes: over body_limit_bytes (64 KiB here), far under the send limit.
    io.vertx.core.json.JsonArray batch = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 200; i++) {
      batch.add(
          new JsonObject()
              .put("to", String.format("+1415555%04d", 6000 + i))
              .put("body", "b".repeat(500)));
    }
    assertThat(batch.encode().length()).isGreaterThan(65536);
    HttpResponse<Buffer> sent =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(batch.encode()),
            "application/json");
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    assertThat(sent.bodyAsJsonObject().getInteger("accepted")).isEqualTo(200);
    // ...while the same size elsewhere is still refused.
    HttpResponse<Buffer> other =
        client.send(
            HttpMethod.POST,
            "/api/v1/senders",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(batch.encode()),
            "application/json");
    assertProblem(other, 413);
  }

  @Test
  void missingRequiredFieldsAre422ListingEachOne() {
    HttpResponse<Buffer> users = client.post("/api/v1/users", admin, new JsonObject());
    assertProblem(users, 422);
    assertThat(
            users.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("username", "password", "role");
    HttpResponse<Buffer> accounts = client.post("/api/v1/accounts", admin, new JsonObject());
    assertThat(
            accounts.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("name", "admin_username", "admin_password");
    assertProblem(client.post("/api/v1/api-keys", admin, new JsonObject()), 422);
    assertProblem(client.post("/api/v1/auth/login", null, new JsonObject()), 422);
  }

  @Test
  void invalidValuesAre422() {
    assertProblem(
        client.post(
            "/api/v1/users",
            admin,
            new JsonObject()
                .put("username", "ok-name")
                .put("password", "short")
                .put("role", "emperor")),
        422);
    assertProblem(
        client.post(
            "/api/v1/api-keys",
            admin,
            new JsonObject()
                .put("name", "k")
                .put("scopes", new io.vertx.core.json.JsonArray().add("messages:fly"))),
        422);
    assertProblem(
        client.post(
            "/api/v1/api-keys",
            admin,
            new JsonObject()
                .put("name", "k")
                .put("scopes", new io.vertx.core.json.JsonArray().add("admin"))
                .put("expires_at", "2001-01-01T00:00:00Z")),
        422);
    assertProblem(
        client.post(
            "/api/v1/api-keys",
            admin,
            new JsonObject()
                .put("name", "k")
                .put("scopes", new io.vertx.core.json.JsonArray().add("admin"))
                .put("expires_at", "tomorrow")),
        422);
    assertProblem(
        client.patch(
            "/api/v1/accounts/" + accountId,
            admin,
            new JsonObject().put("settings", new JsonObject().put("default_region", "XX"))),
        422);
    assertProblem(
        client.patch(
            "/api/v1/accounts/" + accountId,
            admin,
            new JsonObject().put("settings", new JsonObject().put("timezone", "Mars/Olympus"))),
        422);
    assertProblem(
        client.patch(
            "/api/v1/accounts/" + accountId, admin, new JsonObject().put("status", "deleted")),
        422);
  }

  @Test
  void badPaginationIs400() {
    for (String path :
        List.of("/api/v1/users", "/api/v1/accounts", "/api/v1/api-keys", "/api/v1/audit-logs")) {
      assertProblem(client.get(path + "?cursor=not-a-cursor", admin), 400);
      assertProblem(client.get(path + "?cursor=djE6bm90LWEtdXVpZA", admin), 400);
      assertProblem(client.get(path + "?limit=0", admin), 400);
      assertProblem(client.get(path + "?limit=abc", admin), 400);
      assertProblem(client.get(path + "?limit=100000", admin), 400);
    }
    assertProblem(client.get("/api/v1/audit-logs?from=yesterday", admin), 400);
    assertProblem(client.get("/api/v1/audit-logs?user_id=42", admin), 400);
    assertProblem(client.get("/api/v1/users?is_active=maybe", admin), 400);
  }

  @Test
  void malformedIdsAre404() {
    assertProblem(client.get("/api/v1/users/not-an-id", admin), 404);
    assertProblem(client.get("/api/v1/api-keys/123", admin), 404);
    assertProblem(client.get("/api/v1/accounts/00000000-0000-0000-0000-000000000000", admin), 404);
  }

  @Test
  void unknownRoutesAndMethodsAnswerProblems() {
    assertProblem(client.get("/nowhere", null), 404);
    assertProblem(client.send(HttpMethod.PUT, "/health", (String) null, null), 405);
  }

  @Test
  void aFailedAccountCreationLeavesNoAccountBehind() {
    HttpResponse<Buffer> conflict =
        client.post(
            "/api/v1/accounts",
            admin,
            new JsonObject()
                .put("name", "Orphan")
                .put("admin_username", "target-user")
                .put("admin_password", "password-3"));
    assertProblem(conflict, 409);
    String accounts = client.get("/api/v1/accounts?limit=200", admin).bodyAsString();
    assertThat(accounts).contains("Target").doesNotContain("Orphan");
    String audit =
        client.get("/api/v1/audit-logs?resource_type=account&limit=200", admin).bodyAsString();
    assertThat(audit).doesNotContain("Orphan");
  }

  @Test
  void aRejectedUpdateChangesNothing() {
    HttpResponse<Buffer> rejected =
        client.patch(
            "/api/v1/users/" + userId,
            admin,
            new JsonObject().put("name", "New Name").put("role", "emperor"));
    assertProblem(rejected, 422);
    assertThat(client.get("/api/v1/users/" + userId, admin).bodyAsJsonObject().getString("name"))
        .isNull();
  }
}
