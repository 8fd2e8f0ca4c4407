package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login tokens and API keys against the real gateway and database. */
class AuthenticationTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static HttpResponse<Buffer> withHeader(String path, String name, String value) {
    return client.send(
        HttpMethod.GET, path, MultiMap.caseInsensitiveMultiMap().add(name, value), null, null);
  }

  private static String createKey(String token, JsonArray scopes, String expiresAt) {
    JsonObject body = new JsonObject().put("name", "test key").put("scopes", scopes);
    if (expiresAt != null) {
      body.put("expires_at", expiresAt);
    }
    HttpResponse<Buffer> created = client.post("/api/v1/api-keys", token, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("key");
  }

  private static String createUser(String username, String role) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/users",
            admin,
            new JsonObject()
                .put("username", username)
                .put("password", "password-" + username)
                .put("role", role));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  @Test
  void loginReturnsABearerTokenThatIdentifiesTheUser() {
    HttpResponse<Buffer> login =
        client.post(
            "/api/v1/auth/login",
            null,
            new JsonObject().put("username", "admin").put("password", TestHerald.ADMIN_PASSWORD));
    assertThat(login.statusCode()).isEqualTo(200);
    JsonObject body = login.bodyAsJsonObject();
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getInteger("expires_in")).isEqualTo(3600);
    assertThat(body.getJsonObject("user").getString("username")).isEqualTo("admin");
    assertThat(body.getJsonObject("user").containsKey("password_hash")).isFalse();

    HttpResponse<Buffer> me = client.get("/api/v1/auth/me", body.getString("token"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject().getBoolean("platform_admin")).isTrue();
    assertThat(me.bodyAsJsonObject().getString("auth")).isEqualTo("token");
    assertThat(me.getHeader("X-RateLimit-Limit")).isNotNull();
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSame401() {
    HttpResponse<Buffer> wrong =
        client.post(
            "/api/v1/auth/login",
            null,
            new JsonObject().put("username", "admin").put("password", "not-the-password"));
    HttpResponse<Buffer> unknown =
        client.post(
            "/api/v1/auth/login",
            null,
            new JsonObject().put("username", "nobody-here").put("password", "not-the-password"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.bodyAsJsonObject().getString("detail"))
        .isEqualTo(unknown.bodyAsJsonObject().getString("detail"));
    assertThat(wrong.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void requestsWithoutCredentialsOrWithGarbageAre401() {
    assertThat(client.get("/api/v1/auth/me", null).statusCode()).isEqualTo(401);
    assertThat(client.get("/api/v1/auth/me", "not.a.jwt").statusCode()).isEqualTo(401);
    assertThat(client.get("/api/v1/auth/me", "hk_garbage").statusCode()).isEqualTo(401);
    assertThat(withHeader("/api/v1/auth/me", "Authorization", "Basic YWRtaW46eA==").statusCode())
        .isEqualTo(401);
    String tampered =
        admin.substring(0, admin.length() - 3) + (admin.endsWith("AAA") ? "BBB" : "AAA");
    assertThat(client.get("/api/v1/auth/me", tampered).statusCode()).isEqualTo(401);
  }

  @Test
  void logoutRevokesThatTokenOnly() {
    String first = client.loginAdmin();
    String second = client.loginAdmin();
    assertThat(client.post("/api/v1/auth/logout", first, null).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/v1/auth/me", first).statusCode()).isEqualTo(401);
    assertThat(client.get("/api/v1/auth/me", second).statusCode()).isEqualTo(200);
  }

  @Test
  void apiKeyIsAcceptedInAllThreeHeaderFormsAndRefusedOnAdminRoutes() {
    String key = createKey(admin, new JsonArray().add("messages:read"), null);
    assertThat(withHeader("/api/v1/auth/me", "Authorization", "Bearer " + key).statusCode())
        .isEqualTo(200);
    assertThat(withHeader("/api/v1/auth/me", "X-API-Key", key).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> token = withHeader("/api/v1/auth/me", "Authorization", "Token " + key);
    assertThat(token.statusCode()).isEqualTo(200);
    assertThat(token.bodyAsJsonObject().getString("auth")).isEqualTo("api_key");
    assertThat(token.bodyAsJsonObject().getJsonArray("scopes")).containsExactly("messages:read");

    HttpResponse<Buffer> adminRoute = withHeader("/api/v1/users", "X-API-Key", key);
    assertThat(adminRoute.statusCode()).isEqualTo(403);
    assertThat(adminRoute.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:herald:problem:forbidden");
    assertThat(withHeader("/api/v1/accounts", "Authorization", "Token " + key).statusCode())
        .isEqualTo(403);
  }

  @Test
  void theKeyIsShownOnceAndStoredOnlyAsAHash() {
    String key = createKey(admin, new JsonArray().add("messages:read"), null);
    HttpResponse<Buffer> list = client.get("/api/v1/api-keys", admin);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsString()).doesNotContain(key);
    JsonObject listed = list.bodyAsJsonObject().getJsonArray("data").getJsonObject(0);
    assertThat(key).startsWith(listed.getString("prefix"));
    assertThat(listed.containsKey("key")).isFalse();
    assertThat(client.get("/api/v1/api-keys/" + listed.getString("id"), admin).bodyAsString())
        .doesNotContain(key);
  }

  @Test
  void revokedKeyGets401() {
    String key = createKey(admin, new JsonArray().add("messages:read"), null);
    String id =
        withHeader("/api/v1/auth/me", "X-API-Key", key).bodyAsJsonObject().getString("api_key_id");
    assertThat(client.delete("/api/v1/api-keys/" + id, admin).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> after = withHeader("/api/v1/auth/me", "X-API-Key", key);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.getHeader("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void aKeyRevokedBehindHeraldsBackIsReusedOnlyForTheCacheTime() throws Exception {
    String key = createKey(admin, new JsonArray().add("messages:read"), null);
    String id =
        withHeader("/api/v1/auth/me", "X-API-Key", key).bodyAsJsonObject().getString("api_key_id");
    // Revoked in the database directly, as another Herald node would: this node has just looked
    // the key up, so it keeps accepting it for at most http.auth_cache_ms (1 s here).
    Instant revoked = Instant.now();
    herald
        .herald()
        .platform()
        .pool()
        .preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(id)))
        .await();
    assertThat(withHeader("/api/v1/auth/me", "X-API-Key", key).statusCode())
        .as("answered from the cache right after")
        .isEqualTo(200);
    Await.until(
        "the key refused once the cache forgot it",
        Duration.ofSeconds(5),
        () -> withHeader("/api/v1/auth/me", "X-API-Key", key).statusCode() == 401);
    assertThat(Duration.between(revoked, Instant.now()))
        .as("refused within the cache time and a margin")
        .isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void deactivatingAKeysOwnerRefusesTheKeyAtOnceThoughItWasJustUsed() {
    String userId = createUser("cached-bob", "sender");
    String bob = client.login("cached-bob", "password-cached-bob");
    String key = createKey(bob, new JsonArray().add("messages:read"), null);
    assertThat(withHeader("/api/v1/auth/me", "X-API-Key", key).statusCode()).isEqualTo(200);
    assertThat(withHeader("/api/v1/auth/me", "Authorization", "Bearer " + bob).statusCode())
        .isEqualTo(200);
    assertThat(client.delete("/api/v1/users/" + userId, admin).statusCode()).isIn(200, 204);
    assertThat(withHeader("/api/v1/auth/me", "X-API-Key", key).statusCode()).isEqualTo(401);
    assertThat(withHeader("/api/v1/auth/me", "Authorization", "Bearer " + bob).statusCode())
        .isEqualTo(401);
  }

  @Test
  void expiredKeyGets401() throws Exception {
    Instant expires = Instant.now().plusMillis(1500);
    String key = createKey(admin, new JsonArray().add("messages:read"), expires.toString());
    assertThat(withHeader("/api/v1/auth/me", "X-API-Key", key).statusCode()).isEqualTo(200);
    record Call(Instant started, int status, Instant answered) {}
    Call refused =
        Await.until(
            "the key refused once expired",
            Duration.ofSeconds(10),
            () -> {
              Instant started = Instant.now();
              int status = withHeader("/api/v1/auth/me", "X-API-Key", key).statusCode();
              return new Call(started, status, Instant.now());
            },
            call -> call.status() == 401 || call.started().isAfter(expires.plusMillis(500)));
    assertThat(refused.status()).as("refused half a second after it expired").isEqualTo(401);
    assertThat(refused.answered()).as("not refused before it expired").isAfterOrEqualTo(expires);
  }

  @Test
  void aKeyNeverGetsMoreThanItsCreatorHas() {
    createUser("sender-alice", "sender");
    String alice = client.login("sender-alice", "password-sender-alice");
    HttpResponse<Buffer> tooMuch =
        client.post(
            "/api/v1/api-keys",
            alice,
            new JsonObject()
                .put("name", "k")
                .put("scopes", new JsonArray().add("messages:send").add("admin")));
    assertThat(tooMuch.statusCode()).isEqualTo(403);
    assertThat(tooMuch.bodyAsJsonObject().getString("detail")).contains("admin");
    HttpResponse<Buffer> wildcard =
        client.post(
            "/api/v1/api-keys",
            alice,
            new JsonObject().put("name", "k").put("scopes", new JsonArray().add("campaigns:*")));
    assertThat(wildcard.statusCode()).isEqualTo(403);
    createKey(alice, new JsonArray().add("messages:send"), null);
  }

  @Test
  void keysCreatedByAKeyAreBoundByThatKeysScopes() {
    String key = createKey(admin, new JsonArray().add("api_keys:write").add("messages:read"), null);
    HttpResponse<Buffer> escalation =
        client.send(
            HttpMethod.POST,
            "/api/v1/api-keys",
            MultiMap.caseInsensitiveMultiMap().add("X-API-Key", key),
            Buffer.buffer(
                new JsonObject()
                    .put("name", "x")
                    .put("scopes", new JsonArray().add("admin"))
                    .encode()),
            "application/json");
    assertThat(escalation.statusCode()).isEqualTo(403);
  }

  @Test
  void deactivatingAUserEndsTheirTokensAndKeys() {
    String id = createUser("sender-bob", "sender");
    String bob = client.login("sender-bob", "password-sender-bob");
    String bobKey = createKey(bob, new JsonArray().add("messages:read"), null);
    assertThat(client.delete("/api/v1/users/" + id, admin).statusCode()).isEqualTo(200);
    assertThat(client.get("/api/v1/auth/me", bob).statusCode()).isEqualTo(401);
    assertThat(withHeader("/api/v1/auth/me", "X-API-Key", bobKey).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> login =
        client.post(
            "/api/v1/auth/login",
            null,
            new JsonObject().put("username", "sender-bob").put("password", "password-sender-bob"));
    assertThat(login.statusCode()).isEqualTo(401);
  }

  @Test
  void loweringAUsersRoleNarrowsTheirExistingKeys() {
    String id = createUser("manager-carol", "manager");
    String carol = client.login("manager-carol", "password-manager-carol");
    String key =
        createKey(carol, new JsonArray().add("campaigns:write").add("messages:read"), null);
    assertThat(
            client
                .patch("/api/v1/users/" + id, admin, new JsonObject().put("role", "viewer"))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> me = withHeader("/api/v1/auth/me", "X-API-Key", key);
    assertThat(me.bodyAsJsonObject().getJsonArray("scopes")).containsExactly("messages:read");
  }

  @Test
  void nonAdminsSeeOnlyTheirOwnKeys() {
    createUser("sender-dave", "sender");
    String dave = client.login("sender-dave", "password-sender-dave");
    createKey(dave, new JsonArray().add("messages:send"), null);
    String adminKeyId =
        client
            .post(
                "/api/v1/api-keys",
                admin,
                new JsonObject().put("name", "admin's").put("scopes", new JsonArray().add("admin")))
            .bodyAsJsonObject()
            .getString("id");
    JsonArray daves = client.get("/api/v1/api-keys", dave).bodyAsJsonObject().getJsonArray("data");
    assertThat(daves).hasSize(1);
    assertThat(client.get("/api/v1/api-keys/" + adminKeyId, dave).statusCode()).isEqualTo(404);
    assertThat(client.delete("/api/v1/api-keys/" + adminKeyId, dave).statusCode()).isEqualTo(404);
  }

  @Test
  void adminsCannotLockThemselvesOut() {
    String me =
        client
            .get("/api/v1/auth/me", admin)
            .bodyAsJsonObject()
            .getJsonObject("user")
            .getString("id");
    assertThat(client.delete("/api/v1/users/" + me, admin).statusCode()).isEqualTo(409);
    assertThat(
            client
                .patch("/api/v1/users/" + me, admin, new JsonObject().put("role", "viewer"))
                .statusCode())
        .isEqualTo(409);
  }
}
