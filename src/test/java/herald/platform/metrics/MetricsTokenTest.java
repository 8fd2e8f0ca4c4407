package herald.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With {@code metrics.token} set, {@code /metrics} answers only scrapers that send it. */
class MetricsTokenTest {
  private static final String TOKEN = "scrape-token-0123456789";
  private static TestHerald herald;
  private static TestClient client;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(new JsonObject().put("metrics", new JsonObject().put("token", TOKEN)));
    client = herald.client();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static HttpResponse<Buffer> scrape(String authorization) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (authorization != null) {
      headers.add("Authorization", authorization);
    }
    return client.send(HttpMethod.GET, "/metrics", headers, null, null);
  }

  @Test
  void refusesAScrapeWithoutTheTokenWith401EvenFromLoopback() {
    HttpResponse<Buffer> response = scrape(null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.bodyAsString()).doesNotContain("herald_");
  }

  @Test
  void refusesAScrapeWithAWrongTokenWith401() {
    assertThat(scrape("Bearer scrape-token-0123456788").statusCode()).isEqualTo(401);
    assertThat(scrape("Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(scrape(TOKEN).statusCode()).isEqualTo(401);
  }

  @Test
  void servesAScrapeWithTheToken() {
    HttpResponse<Buffer> response = scrape("Bearer " + TOKEN);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).contains("jvm_memory_used_bytes");
  }
}
