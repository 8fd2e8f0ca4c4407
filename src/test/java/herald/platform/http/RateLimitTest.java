package herald.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Limits per caller and route class, with X-RateLimit-* headers and 429 + Retry-After. */
class RateLimitTest {
  private static TestHerald herald;
  private static TestClient client;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put(
                    "rate_limits",
                    new JsonObject()
                        .put("login", new JsonObject().put("limit", 3).put("period_seconds", 60))
                        .put("other", new JsonObject().put("limit", 5).put("period_seconds", 60))));
    client = herald.client();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static HttpResponse<Buffer> me(String key) {
    return client.send(
        HttpMethod.GET,
        "/api/v1/auth/me",
        MultiMap.caseInsensitiveMultiMap().add("X-API-Key", key),
        null,
        null);
  }

  @Test
  void eachKeyHasItsOwnBudgetAndTheSixthRequestIs429() {
    String admin = client.loginAdmin();
    String keyA =
        client
            .post(
                "/api/v1/api-keys",
                admin,
                new JsonObject()
                    .put("name", "a")
                    .put("scopes", new JsonArray().add("messages:read")))
            .bodyAsJsonObject()
            .getString("key");
    String keyB =
        client
            .post(
                "/api/v1/api-keys",
                admin,
                new JsonObject()
                    .put("name", "b")
                    .put("scopes", new JsonArray().add("messages:read")))
            .bodyAsJsonObject()
            .getString("key");
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> ok = me(keyA);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.getHeader("X-RateLimit-Limit")).isEqualTo("5");
      assertThat(ok.getHeader("X-RateLimit-Remaining")).isEqualTo(Integer.toString(4 - i));
      long reset = Long.parseLong(ok.getHeader("X-RateLimit-Reset"));
      assertThat(reset)
          .isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 61);
    }
    HttpResponse<Buffer> limited = me(keyA);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Long.parseLong(limited.getHeader("Retry-After"))).isBetween(1L, 60L);
    assertThat(limited.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(me(keyB).statusCode()).isEqualTo(200);
  }

  @Test
  void loginIsLimitedPerClientAddressBeforeAuthentication() {
    int[] statuses = new int[4];
    for (int i = 0; i < 4; i++) {
      statuses[i] =
          client
              .post(
                  "/api/v1/auth/login",
                  null,
                  new JsonObject().put("username", "admin").put("password", "wrong-password"))
              .statusCode();
    }
    // One login in the other test may have used this IP's budget too; at most 3 pass in a minute.
    assertThat(statuses).contains(429);
    HttpResponse<Buffer> limited =
        client.post(
            "/api/v1/auth/login",
            null,
            new JsonObject().put("username", "admin").put("password", TestHerald.ADMIN_PASSWORD));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("Retry-After")).isNotNull();
  }
}
