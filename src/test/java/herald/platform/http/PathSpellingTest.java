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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Other spellings of a path (a trailing slash, {@code //}, {@code /./}, {@code x/..}, a
 * percent-encoded letter) reach the same route, so they must draw from the same rate-limit budget
 * and be handled the same way.
 */
class PathSpellingTest {
  private static final int LOGIN_LIMIT = 4;
  private static TestHerald herald;
  private static TestClient client;
  private static String key;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put(
                    "rate_limits",
                    new JsonObject()
                        .put("login", limit(LOGIN_LIMIT))
                        .put("sends", limit(3001))
                        .put("uploads", limit(3002))
                        .put("other", limit(100_003))));
    client = herald.client();
    String admin = client.loginAdmin();
    key =
        client
            .post(
                "/api/v1/api-keys",
                admin,
                new JsonObject()
                    .put("name", "spelling")
                    .put("scopes", new JsonArray().add("admin")))
            .bodyAsJsonObject()
            .getString("key");
  }

  private static JsonObject limit(int limit) {
    return new JsonObject().put("limit", limit).put("period_seconds", 3600);
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  /** Other spellings of {@code path} that the router serves as {@code path}. */
  static List<String> spellings(String path) {
    int second = path.indexOf('/', 1);
    String head = path.substring(0, second);
    String tail = path.substring(second + 1);
    List<String> out = new ArrayList<>();
    out.add(path + "/");
    out.add(path + "//");
    out.add(head + "//" + tail);
    out.add(head + "/./" + tail);
    out.add(head + "/x/../" + tail);
    int last = path.lastIndexOf('/') + 1;
    char letter = path.charAt(last);
    if (Character.isLetter(letter)) {
      out.add(
          path.substring(0, last)
              + String.format("%%%02X", (int) letter)
              + path.substring(last + 1));
    }
    return out;
  }

  private static HttpResponse<Buffer> login(String path, String password) {
    return client.send(
        HttpMethod.POST,
        path,
        MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(new JsonObject().put("username", "admin").put("password", password).encode()),
        "application/json");
  }

  @Test
  void theLoginLimitHoldsForEverySpellingOfThePath() {
    // start() logged in once; every spelling below draws from the same budget of LOGIN_LIMIT.
    List<String> spellings = spellings("/api/v1/auth/login");
    int used = 1;
    for (String path : spellings) {
      HttpResponse<Buffer> response = login(path, "wrong-password");
      assertThat(response.getHeader("X-RateLimit-Limit")).as(path).isEqualTo("" + LOGIN_LIMIT);
      used++;
      assertThat(response.statusCode()).as(path).isEqualTo(used <= LOGIN_LIMIT ? 401 : 429);
    }
    assertThat(used).isGreaterThan(LOGIN_LIMIT);
    // Over the limit, no spelling lets even the right password through.
    HttpResponse<Buffer> canonical = login("/api/v1/auth/login", TestHerald.ADMIN_PASSWORD);
    assertThat(canonical.statusCode()).isEqualTo(429);
    for (String path : spellings) {
      HttpResponse<Buffer> response = login(path, TestHerald.ADMIN_PASSWORD);
      assertThat(response.statusCode()).as(path).isEqualTo(429);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.getHeader("Retry-After")).isNotNull();
    }
  }

  @Test
  void everyRouteDrawsFromTheSameBudgetHoweverItsPathIsSpelled() {
    Router router = ApiRouter.build(herald.vertx(), herald.herald().platform());
    MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", key);
    List<String> checked = new ArrayList<>();
    for (String[] route : WriteRoutes.routes(router, "")) {
      if (route[1].equals("/api/v1/auth/login")
          || route[1].equals("/api/v1/inbound/twilio/sms")
          || route[1].equals("/api/v1/monitoring/stream")
          || !route[1].startsWith("/api/")) {
        // login: the test above; Twilio's callbacks and other roots carry no limit; the monitoring
        // stream never ends (MonitoringTest reads it)
        continue;
      }
      HttpMethod method = HttpMethod.valueOf(route[0]);
      String path = route[1].replaceAll(":[A-Za-z_]+", UUID.randomUUID().toString());
      HttpResponse<Buffer> canonical = client.send(method, path, auth, null, null);
      String limit = canonical.getHeader("X-RateLimit-Limit");
      assertThat(limit).as(method + " " + path).isNotNull();
      for (String spelled : spellings(path)) {
        HttpResponse<Buffer> response = client.send(method, spelled, auth, null, null);
        assertThat(response.statusCode())
            .as(method + " " + spelled + ": " + response.bodyAsString())
            .isLessThan(500);
        assertThat(response.getHeader("X-RateLimit-Limit"))
            .as(method + " " + spelled)
            .isEqualTo(limit);
      }
      checked.add(method + " " + route[1] + " " + limit);
    }
    // The limited classes are among the routes checked.
    assertThat(checked)
        .contains(
            "POST /api/v1/messages 3001",
            "POST /api/v1/contacts/import 3002",
            "POST /api/v1/blacklist/import 3002",
            "POST /api/v1/campaigns/upload 3002",
            "POST /api/v1/campaigns/preview-csv 3002",
            "GET /api/v1/contacts 100003");
  }

  @Test
  void theSeedUploadPathDrawsFromTheUploadBudgetUnderEverySpelling() {
    MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", key);
    for (String path : spellings("/api/csv/upload")) {
      HttpResponse<Buffer> response = client.send(HttpMethod.POST, path, auth, null, null);
      assertThat(response.statusCode()).as(path).isLessThan(500);
      assertThat(response.getHeader("X-RateLimit-Limit")).as(path).isEqualTo("3002");
    }
  }
}
