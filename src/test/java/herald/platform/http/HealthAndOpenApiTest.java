package herald.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import herald.ApiRouter;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthAndOpenApiTest {
  private static TestHerald herald;
  private static TestClient client;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void healthAnswersWithoutAuthentication() {
    HttpResponse<Buffer> health = client.get("/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("ok");
    assertThat(health.bodyAsJsonObject().getString("version")).isNotBlank();
  }

  @Test
  void readinessReportsTheDatabaseAndEveryVerticleGroup() {
    HttpResponse<Buffer> ready = client.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject components = ready.bodyAsJsonObject().getJsonObject("components");
    assertThat(components.fieldNames()).contains("database", "http", "housekeeping");
    assertThat(components.getJsonObject("database").getString("status")).isEqualTo("up");
    assertThat(components.getJsonObject("database").getDouble("response_time_ms")).isNotNull();
    assertThat(components.getJsonObject("http").getInteger("instances")).isEqualTo(2);
  }

  @Test
  void readinessIs503WhenAVerticleGroupDoesNotAnswer() {
    herald.herald().platform().groups().put("ghost", 1);
    try {
      HttpResponse<Buffer> ready = client.get("/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(
              ready
                  .bodyAsJsonObject()
                  .getJsonObject("components")
                  .getJsonObject("ghost")
                  .getString("status"))
          .isEqualTo("down");
    } finally {
      herald.herald().platform().groups().remove("ghost");
    }
  }

  @Test
  void whileStartingReadinessSaysSoAndTheApiAnswers503() {
    herald.herald().platform().started().set(false);
    try {
      HttpResponse<Buffer> ready = client.get("/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("starting");
      HttpResponse<Buffer> api =
          client.post(
              "/api/v1/auth/login",
              null,
              new JsonObject().put("username", "admin").put("password", TestHerald.ADMIN_PASSWORD));
      assertThat(api.statusCode()).isEqualTo(503);
      assertThat(api.getHeader("Retry-After")).isEqualTo("1");
      assertThat(client.get("/health", null).statusCode()).isEqualTo(200);
    } finally {
      herald.herald().platform().started().set(true);
    }
    assertThat(client.get("/health/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void requestIdIsEchoedOrMade() {
    HttpResponse<Buffer> given =
        client.send(
            HttpMethod.GET,
            "/health",
            io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "abc-123"),
            null,
            null);
    assertThat(given.getHeader("X-Request-Id")).isEqualTo("abc-123");
    HttpResponse<Buffer> unsafe =
        client.send(
            HttpMethod.GET,
            "/health",
            io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                .add("X-Request-Id", "bad id\twith spaces"),
            null,
            null);
    assertThat(unsafe.getHeader("X-Request-Id")).isNotEqualTo("bad id\twith spaces").isNotBlank();
  }

  @Test
  void everyRouteIsInTheOpenApiDocument() {
    HttpResponse<Buffer> served = client.get("/openapi.json", null);
    assertThat(served.statusCode()).isEqualTo(200);
    JsonObject paths = served.bodyAsJsonObject().getJsonObject("paths");
    assertThat(served.bodyAsJsonObject().getString("openapi")).startsWith("3.1");
    List<String> missing = new ArrayList<>();
    Router router = ApiRouter.build(herald.vertx(), herald.herald().platform());
    for (String[] route : routes(router, "")) {
      String path = route[1].replaceAll(":([A-Za-z_]+)", "{$1}");
      JsonObject item = paths.getJsonObject(path);
      if (item == null || !item.containsKey(route[0].toLowerCase())) {
        missing.add(route[0] + " " + path);
      }
    }
    assertThat(missing).as("routes missing from docs/openapi.json").isEmpty();
  }

  /** Every (method, full path) served, found by walking the router and its sub-routers. */
  private static List<String[]> routes(Router router, String prefix) {
    List<String[]> out = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath() == null ? "" : route.getPath();
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
