package herald.audit;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every change is audited with who, what, before/after, IP and user agent; listing filters and
 * pages.
 */
class AuditLogTest {
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

  private static JsonArray entries(String query) {
    HttpResponse<Buffer> response = client.get("/api/v1/audit-logs" + query, admin);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("data");
  }

  @Test
  void anUpdateRecordsBeforeAndAfterWithTheCallersAddressAndAgent() {
    HttpResponse<Buffer> created =
        client.send(
            HttpMethod.POST,
            "/api/v1/users",
            MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + admin)
                .add("User-Agent", "audit-test/1.0")
                .add("X-Request-Id", "req-audit-1"),
            Buffer.buffer(
                new JsonObject()
                    .put("username", "audited")
                    .put("password", "password-a")
                    .put("role", "viewer")
                    .encode()),
            "application/json");
    String id = created.bodyAsJsonObject().getString("id");
    client.patch(
        "/api/v1/users/" + id, admin, new JsonObject().put("role", "sender").put("name", "Aud"));

    JsonArray forUser = entries("?resource_type=user&resource_id=" + id);
    assertThat(forUser).hasSize(2);
    JsonObject update = forUser.getJsonObject(0);
    JsonObject create = forUser.getJsonObject(1);
    assertThat(update.getString("action")).isEqualTo("update");
    assertThat(update.getJsonObject("before").getString("role")).isEqualTo("viewer");
    assertThat(update.getJsonObject("after").getString("role")).isEqualTo("sender");
    assertThat(update.getJsonObject("after").getString("name")).isEqualTo("Aud");
    assertThat(update.getString("username")).isEqualTo("admin");
    assertThat(create.getString("action")).isEqualTo("create");
    assertThat(create.getJsonObject("before")).isNull();
    assertThat(create.getString("ip")).isEqualTo("127.0.0.1");
    assertThat(create.getString("user_agent")).isEqualTo("audit-test/1.0");
    assertThat(create.getString("request_id")).isEqualTo("req-audit-1");
    assertThat(create.encode()).doesNotContain("password");
  }

  @Test
  void keyCreationAndRevocationAreAuditedWithoutTheKey() {
    JsonObject key =
        client
            .post(
                "/api/v1/api-keys",
                admin,
                new JsonObject()
                    .put("name", "audited key")
                    .put("scopes", new JsonArray().add("messages:send")))
            .bodyAsJsonObject();
    client.delete("/api/v1/api-keys/" + key.getString("id"), admin);
    JsonArray forKey = entries("?resource_type=api_key&resource_id=" + key.getString("id"));
    assertThat(forKey.stream().map(e -> ((JsonObject) e).getString("action")))
        .containsExactly("delete", "create");
    assertThat(forKey.encode()).doesNotContain(key.getString("key"));
    assertThat(forKey.getJsonObject(0).getJsonObject("after").getString("revoked_at")).isNotNull();
  }

  @Test
  void logoutIsAudited() {
    String token = client.loginAdmin();
    client.post("/api/v1/auth/logout", token, null);
    assertThat(entries("?action=logout")).isNotEmpty();
  }

  @Test
  void pagesWalkEveryEntryOnceNewestFirst() {
    for (int i = 0; i < 7; i++) {
      client.post(
          "/api/v1/users",
          admin,
          new JsonObject()
              .put("username", "paged-" + i)
              .put("password", "password-p")
              .put("role", "viewer"));
    }
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> page =
          client.get(
              "/api/v1/audit-logs?action=create&resource_type=user&limit=3"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              admin);
      JsonObject body = page.bodyAsJsonObject();
      body.getJsonArray("data").forEach(e -> ids.add(((JsonObject) e).getString("id")));
      cursor = body.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 20);
    Set<String> unique = new HashSet<>(ids);
    assertThat(unique).hasSameSizeAs(ids);
    assertThat(ids.size()).isGreaterThanOrEqualTo(7);
    assertThat(pages).isGreaterThanOrEqualTo(3);
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort((a, b) -> b.compareTo(a));
    assertThat(ids).isEqualTo(sorted);
  }

  @Test
  void viewersCannotReadTheAuditLog() {
    client.post(
        "/api/v1/users",
        admin,
        new JsonObject()
            .put("username", "audit-viewer")
            .put("password", "password-v")
            .put("role", "viewer"));
    String viewer = client.login("audit-viewer", "password-v");
    assertThat(client.get("/api/v1/audit-logs", viewer).statusCode()).isEqualTo(403);
  }
}
