package herald.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import herald.ApiRouter;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on every route of the platform: each answers 4xx problem+json with a useful detail,
 * none answers 500, and nothing is half-written. Hostile requests below the JSON level (forms,
 * passwords, tokens, raw HTTP, truncated uploads) are {@link HostileRequestTest}'s.
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
  private static String senderId;
  private static String voiceSenderId;
  private static String ivrId;
  private static String patchAccountId;
  private static String patchUserId;
  private static String webhookId;
  private static String agentId;
  private static String tierId;
  private static String ruleId;
  private static String agentErrorId;

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
    senderId = created("/api/v1/senders", WriteRoutes.sender());
    voiceSenderId = created("/api/v1/senders", WriteRoutes.voiceSender());
    ivrId = created("/api/v1/ivr", WriteRoutes.ivr());
    // Targets of the catalogue's PATCH routes, so the resources other tests check stay as made.
    patchUserId =
        created(
            "/api/v1/users",
            new JsonObject()
                .put("username", "patched-user")
                .put("password", "password-p")
                .put("role", "viewer"));
    patchAccountId =
        created(
            "/api/v1/accounts",
            new JsonObject()
                .put("name", "Patched")
                .put("admin_username", "patched-admin")
                .put("admin_password", "password-q"));
    webhookId =
        created(
            "/api/v1/webhooks",
            new JsonObject()
                .put("name", "target")
                .put("url", "http://127.0.0.1:9/hook")
                .put("events", new io.vertx.core.json.JsonArray().add("message.sent")));
    agentTargets();
  }

  /** An agent, a tier, an inbound rule and an error-log entry, targets of their write routes. */
  private static void agentTargets() {
    agentId =
        created(
            "/api/v1/agents",
            new JsonObject()
                .put("name", "target-agent")
                .put("base_url", "http://127.0.0.1:9/v1")
                .put("model", "m"));
    tierId = created("/api/v1/tiers", new JsonObject().put("name", "target-tier"));
    ruleId =
        created(
            "/api/v1/inbound-rules",
            new JsonObject()
                .put("name", "target-rule")
                .put("enabled", false)
                .put("action", "webhook"));
    // The error log is written by the agent workers only; one entry is made here directly.
    agentErrorId = java.util.UUID.randomUUID().toString();
    herald
        .herald()
        .platform()
        .pool()
        .preparedQuery(
            "INSERT INTO agent_errors (id, account_id, error_type, error_message)"
                + " SELECT $1, account_id, 'timeout', 'test' FROM agents WHERE id = $2")
        .execute(
            io.vertx.sqlclient.Tuple.of(
                java.util.UUID.fromString(agentErrorId), java.util.UUID.fromString(agentId)))
        .await();
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

  static void assertProblem(HttpResponse<Buffer> response, int status) {
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
    String accounts = allPages("/api/v1/accounts?limit=200");
    assertThat(accounts).contains("Target").doesNotContain("Orphan");
    String audit = allPages("/api/v1/audit-logs?resource_type=account&limit=200");
    assertThat(audit).doesNotContain("Orphan");
  }

  /** Every page of a list, concatenated (other tests here create many accounts). */
  private static String allPages(String path) {
    StringBuilder out = new StringBuilder();
    String cursor = null;
    do {
      JsonObject page =
          client.get(path + (cursor == null ? "" : "&cursor=" + cursor), admin).bodyAsJsonObject();
      out.append(page.getJsonArray("data").encode());
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    return out.toString();
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

  // ---------------------------------------------------------------------------------------------
  // Every route that reads JSON, every field: NUL characters and explicit nulls.

  private static Map<String, String> ids() {
    return Map.of(
        "sender",
        senderId,
        "group",
        groupId,
        "contact",
        contactId,
        "agent",
        agentId,
        "voice_sender",
        voiceSenderId);
  }

  static Stream<WriteRoutes.WriteRoute> writeRoutes() {
    // Ids are filled in lazily: the catalogue is built before @BeforeAll has run.
    Map<String, String> lazy =
        new java.util.AbstractMap<>() {
          @Override
          public String get(Object key) {
            return ids().get(key);
          }

          @Override
          public java.util.Set<Entry<String, String>> entrySet() {
            return ids().entrySet();
          }
        };
    return WriteRoutes.catalogue(lazy).stream();
  }

  private static String draftCampaign() {
    return created(
        "/api/v1/campaigns",
        new JsonObject()
            .put("name", WriteRoutes.name("draft"))
            .put("message", "Hi")
            .put("sender_id", senderId)
            .put("recipients", new JsonArray().add(WriteRoutes.phone())));
  }

  private static HttpResponse<Buffer> call(WriteRoutes.WriteRoute route, JsonObject body) {
    String path =
        WriteRoutes.resolve(
            route.path(),
            Map.ofEntries(
                Map.entry("accounts", () -> patchAccountId),
                Map.entry("users", () -> patchUserId),
                Map.entry("contacts", () -> contactId),
                Map.entry("contact-groups", () -> groupId),
                Map.entry("templates", () -> templateId),
                Map.entry("senders", () -> senderId),
                Map.entry("webhooks", () -> webhookId),
                Map.entry("campaigns", BadInputTest::draftCampaign),
                Map.entry("agents", () -> agentId),
                Map.entry("tiers", () -> tierId),
                Map.entry("inbound-rules", () -> ruleId),
                Map.entry("agent-errors", () -> agentErrorId),
                Map.entry("ivr", () -> ivrId)));
    return client.send(
        route.method(),
        path,
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
        Buffer.buffer(body.encode()),
        "application/json");
  }

  /**
   * Paths of every string in {@code value} ({@code name}, {@code settings.from}, {@code ids[0]}).
   */
  private static List<String> stringPaths(Object value, String path) {
    List<String> out = new ArrayList<>();
    if (value instanceof String) {
      out.add(path);
    } else if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        out.addAll(stringPaths(object.getValue(key), path.isEmpty() ? key : path + "." + key));
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        out.addAll(stringPaths(array.getValue(i), path + "[" + i + "]"));
      }
    }
    return out;
  }

  /** Paths of every object member in {@code object}, nested objects included. */
  private static List<String> fieldPaths(JsonObject object, String path) {
    List<String> out = new ArrayList<>();
    for (String key : object.fieldNames()) {
      String child = path.isEmpty() ? key : path + "." + key;
      out.add(child);
      if (object.getValue(key) instanceof JsonObject nested) {
        out.addAll(fieldPaths(nested, child));
      }
    }
    return out;
  }

  /** A copy of {@code body} with the value at {@code path} replaced (or removed when absent). */
  private static JsonObject with(JsonObject body, String path, Object value, boolean remove) {
    JsonObject copy = body.copy();
    Object parent = copy;
    String[] steps = path.split("(?=\\[)|\\.");
    for (int i = 0; i < steps.length; i++) {
      String step = steps[i];
      boolean last = i == steps.length - 1;
      if (step.startsWith("[")) {
        int index = Integer.parseInt(step.substring(1, step.length() - 1));
        JsonArray array = (JsonArray) parent;
        if (last) {
          array.set(index, value);
        } else {
          parent = array.getValue(index);
        }
      } else {
        JsonObject object = (JsonObject) parent;
        if (last) {
          if (remove) {
            object.remove(step);
          } else {
            object.put(step, value);
          }
        } else {
          parent = object.getValue(step);
        }
      }
    }
    return copy;
  }

  static List<String> errorFields(HttpResponse<Buffer> response) {
    JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
    if (errors == null) {
      return List.of();
    }
    return errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  @Test
  void everyRouteThatReadsJsonIsInTheCatalogue() {
    Router router = ApiRouter.build(herald.vertx(), herald.herald().platform());
    java.util.Set<String> served = new java.util.TreeSet<>();
    for (String[] route : WriteRoutes.routes(router, "")) {
      if (List.of("POST", "PUT", "PATCH").contains(route[0])) {
        served.add(route[0] + " " + route[1]);
      }
    }
    java.util.Set<String> known = new java.util.TreeSet<>(WriteRoutes.NOT_JSON);
    writeRoutes().forEach(r -> known.add(r.key()));
    assertThat(served).as("write routes missing from WriteRoutes").isSubsetOf(known);
    assertThat(known).as("WriteRoutes entries the router does not serve").isSubsetOf(served);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writeRoutes")
  void theCataloguedValidBodyIsAccepted(WriteRoutes.WriteRoute route) {
    HttpResponse<Buffer> response = call(route, route.valid().get());
    if (route.path().equals("/api/v1/auth/login")) {
      assertProblem(response, 401); // well-formed, wrong password
    } else {
      assertThat(response.statusCode())
          .as(route + ": " + response.bodyAsString())
          .isBetween(200, 299);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writeRoutes")
  void aNulCharacterInAnyStringFieldIs422NamingTheField(WriteRoutes.WriteRoute route) {
    JsonObject valid = route.valid().get();
    List<String> paths = stringPaths(valid, "");
    assertThat(paths).isNotEmpty();
    for (String path : paths) {
      JsonObject bad = with(valid, path, "x\u0000y", false);
      HttpResponse<Buffer> response = call(route, bad);
      if (route.path().equals("/api/v1/messages/test")) {
        // The dry run reports refused items in its 200 answer, as it does for any invalid item.
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getInteger("accepted")).isZero();
      } else {
        assertProblem(response, 422);
      }
      assertThat(errorFields(response))
          .as(route + " with NUL in " + path)
          .anyMatch(f -> f.equals(path) || f.endsWith("]." + path));
      valid = route.valid().get();
    }
    // ...and in the name of a member of any object.
    for (String field : valid.fieldNames()) {
      if (valid.getValue(field) instanceof JsonObject) {
        HttpResponse<Buffer> response = call(route, with(valid, field + ".k\u0000", "v", false));
        assertThat(response.statusCode()).as(route + " NUL in a key of " + field).isIn(200, 422);
        assertThat(response.bodyAsString()).contains("invalid_character");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writeRoutes")
  void anExplicitNullIsTreatedAsAbsentOrRefusedNamingTheField(WriteRoutes.WriteRoute route) {
    List<String> fields = fieldPaths(route.valid().get(), "");
    for (String field : fields) {
      HttpResponse<Buffer> absent = call(route, with(route.valid().get(), field, null, true));
      HttpResponse<Buffer> nulled = call(route, with(route.valid().get(), field, null, false));
      String what = route + " with " + field + ": null -> " + nulled.bodyAsString();
      assertThat(nulled.statusCode()).as(what).isLessThan(500);
      boolean requiredWhenAbsent =
          absent.statusCode() == 422 && errorFields(absent).stream().anyMatch(field::equals);
      if (requiredWhenAbsent) {
        assertProblem(nulled, 422);
        assertThat(errorFields(nulled)).as(what).contains(field);
      } else if (nulled.statusCode() >= 400) {
        assertProblem(nulled, nulled.statusCode());
        if (nulled.statusCode() == 422) {
          assertThat(nulled.bodyAsString()).as(what).contains(field.replaceAll(".*\\.", ""));
        }
      }
    }
  }

  @Test
  void aNulCharacterInAQueryParameterIs400OnEveryRoute() {
    Router router = ApiRouter.build(herald.vertx(), herald.herald().platform());
    for (String[] route : WriteRoutes.routes(router, "")) {
      String path = route[1].replaceAll(":[A-Za-z_]+", java.util.UUID.randomUUID().toString());
      for (String query : List.of("?q=%00", "?limit=1&cursor=a%00b", "?%00=1")) {
        HttpResponse<Buffer> response =
            client.send(
                HttpMethod.valueOf(route[0]),
                path + query,
                MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
                null,
                null);
        assertThat(response.statusCode()).as(route[0] + " " + path + query).isEqualTo(400);
        assertProblem(response, 400);
      }
    }
    // the examples first reported: contact search and export
    assertProblem(client.get("/api/v1/contacts?q=%00", admin), 400);
    assertProblem(client.get("/api/v1/contacts/export?q=%00", admin), 400);
  }

  @Test
  void aNulItemInABatchIsOnePerItemErrorAndTheOthersAreAccepted() {
    JsonArray batch = new JsonArray();
    String later = java.time.Instant.now().plus(java.time.Duration.ofDays(30)).toString();
    for (int i = 0; i < 1000; i++) {
      batch.add(
          new JsonObject()
              .put("to", String.format("+1415558%04d", i))
              .put("body", i == 500 ? "bad\u0000body" : "hello " + i)
              .put("sender_id", senderId)
              .put("scheduled_at", later)
              .put("metadata", new JsonObject().put("k", i == 700 ? "v\u0000" : "v")));
    }
    HttpResponse<Buffer> sent =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(batch.encode()),
            "application/json");
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    JsonObject result = sent.bodyAsJsonObject();
    assertThat(result.getInteger("accepted")).isEqualTo(998);
    assertThat(result.getInteger("rejected")).isEqualTo(2);
    JsonArray errors = result.getJsonArray("errors");
    assertThat(errors.getJsonObject(0).getInteger("index")).isEqualTo(500);
    assertThat(errors.getJsonObject(0).getString("field")).isEqualTo("body");
    assertThat(errors.getJsonObject(0).getString("code")).isEqualTo("invalid_character");
    assertThat(errors.getJsonObject(1).getInteger("index")).isEqualTo(700);
    assertThat(errors.getJsonObject(1).getString("field")).isEqualTo("metadata.k");
  }
}
