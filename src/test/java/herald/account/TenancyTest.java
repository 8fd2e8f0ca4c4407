package herald.account;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accounts are tenants: their admins manage only their own users and keys, and never see others'.
 */
class TenancyTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String platformAdmin;
  private static String alphaAdmin;
  private static String betaAdmin;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    platformAdmin = client.loginAdmin();
    createAccount("Alpha", "alpha-admin");
    createAccount("Beta", "beta-admin");
    alphaAdmin = client.login("alpha-admin", "password-alpha-admin");
    betaAdmin = client.login("beta-admin", "password-beta-admin");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject createAccount(String name, String adminUsername) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/accounts",
            platformAdmin,
            new JsonObject()
                .put("name", name)
                .put("admin_username", adminUsername)
                .put("admin_password", "password-" + adminUsername)
                .put(
                    "settings",
                    new JsonObject().put("default_region", "FR").put("timezone", "Europe/Paris")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  @Test
  void platformAdminCreatesATenantTogetherWithItsFirstAdmin() {
    JsonObject gamma = createAccount("Gamma", "gamma-admin");
    assertThat(gamma.getString("name")).isEqualTo("Gamma");
    assertThat(gamma.getBoolean("is_platform")).isFalse();
    assertThat(gamma.getJsonObject("settings").getString("default_region")).isEqualTo("FR");
    assertThat(gamma.getJsonObject("admin_user").getString("role")).isEqualTo("admin");
    assertThat(gamma.getJsonObject("admin_user").getString("account_id"))
        .isEqualTo(gamma.getString("id"));
    String token = client.login("gamma-admin", "password-gamma-admin");
    JsonObject me = client.get("/api/v1/auth/me", token).bodyAsJsonObject();
    assertThat(me.getString("account_id")).isEqualTo(gamma.getString("id"));
    assertThat(me.getBoolean("platform_admin")).isFalse();
    assertThat(client.get("/api/v1/accounts/" + gamma.getString("id"), platformAdmin).statusCode())
        .isEqualTo(200);
  }

  @Test
  void duplicateAccountNameIsAConflict() {
    HttpResponse<Buffer> again =
        client.post(
            "/api/v1/accounts",
            platformAdmin,
            new JsonObject()
                .put("name", "alpha")
                .put("admin_username", "someone-else")
                .put("admin_password", "long-enough-pw"));
    assertThat(again.statusCode()).isEqualTo(409);
  }

  @Test
  void tenantAdminsCannotManageAccounts() {
    assertThat(client.get("/api/v1/accounts", alphaAdmin).statusCode()).isEqualTo(403);
    assertThat(
            client
                .post("/api/v1/accounts", alphaAdmin, new JsonObject().put("name", "x"))
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void anotherTenantsUserIdAnswers404OnEveryUserRoute() {
    String alphaUser =
        client
            .post(
                "/api/v1/users",
                alphaAdmin,
                new JsonObject()
                    .put("username", "alpha-sender")
                    .put("password", "password-alpha")
                    .put("role", "sender"))
            .bodyAsJsonObject()
            .getString("id");
    assertThat(client.get("/api/v1/users/" + alphaUser, alphaAdmin).statusCode()).isEqualTo(200);
    assertThat(client.get("/api/v1/users/" + alphaUser, betaAdmin).statusCode()).isEqualTo(404);
    assertThat(
            client
                .patch("/api/v1/users/" + alphaUser, betaAdmin, new JsonObject().put("name", "x"))
                .statusCode())
        .isEqualTo(404);
    assertThat(client.delete("/api/v1/users/" + alphaUser, betaAdmin).statusCode()).isEqualTo(404);
    assertThat(
            client
                .get("/api/v1/users/" + alphaUser, alphaAdmin)
                .bodyAsJsonObject()
                .getBoolean("is_active"))
        .isTrue();
    JsonArray betaUsers =
        client.get("/api/v1/users", betaAdmin).bodyAsJsonObject().getJsonArray("data");
    assertThat(betaUsers.stream().map(u -> ((JsonObject) u).getString("username")))
        .containsExactly("beta-admin");
  }

  @Test
  void anotherTenantsApiKeyIdAnswers404AndItsAuditLogIsInvisible() {
    String keyId =
        client
            .post(
                "/api/v1/api-keys",
                alphaAdmin,
                new JsonObject()
                    .put("name", "alpha key")
                    .put("scopes", new JsonArray().add("messages:send")))
            .bodyAsJsonObject()
            .getString("id");
    assertThat(client.get("/api/v1/api-keys/" + keyId, betaAdmin).statusCode()).isEqualTo(404);
    assertThat(client.delete("/api/v1/api-keys/" + keyId, betaAdmin).statusCode()).isEqualTo(404);
    assertThat(
            client
                .get("/api/v1/api-keys/" + keyId, alphaAdmin)
                .bodyAsJsonObject()
                .getString("revoked_at"))
        .isNull();
    HttpResponse<Buffer> betaAudit =
        client.get("/api/v1/audit-logs?resource_id=" + keyId, betaAdmin);
    assertThat(betaAudit.bodyAsJsonObject().getJsonArray("data")).isEmpty();
    HttpResponse<Buffer> alphaAudit =
        client.get("/api/v1/audit-logs?resource_id=" + keyId, alphaAdmin);
    assertThat(alphaAudit.bodyAsJsonObject().getJsonArray("data")).hasSize(1);
  }

  @Test
  void suspendedAccountCanNoLongerLogIn() {
    JsonObject delta = createAccount("Delta", "delta-admin");
    String token = client.login("delta-admin", "password-delta-admin");
    HttpResponse<Buffer> suspended =
        client.patch(
            "/api/v1/accounts/" + delta.getString("id"),
            platformAdmin,
            new JsonObject().put("status", "suspended"));
    assertThat(suspended.statusCode()).isEqualTo(200);
    assertThat(client.get("/api/v1/auth/me", token).statusCode()).isEqualTo(401);
    assertThat(
            client
                .post(
                    "/api/v1/auth/login",
                    null,
                    new JsonObject()
                        .put("username", "delta-admin")
                        .put("password", "password-delta-admin"))
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void usernamesAreUniqueAcrossTenants() {
    HttpResponse<Buffer> taken =
        client.post(
            "/api/v1/users",
            betaAdmin,
            new JsonObject()
                .put("username", "ALPHA-admin")
                .put("password", "password-x1")
                .put("role", "viewer"));
    assertThat(taken.statusCode()).isEqualTo(409);
  }
}
