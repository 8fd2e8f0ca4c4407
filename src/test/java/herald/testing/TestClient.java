package herald.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Blocking HTTP client for tests: real requests over loopback to a running Herald, awaited on the
 * test thread (never an event loop).
 */
public final class TestClient {
  private final WebClient web;

  TestClient(Vertx vertx, int port) {
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setFollowRedirects(false)
                .setUserAgentEnabled(false));
  }

  /** Logs in and returns the bearer token; fails the test if login fails. */
  public String login(String username, String password) {
    HttpResponse<Buffer> response =
        send(
            HttpMethod.POST,
            "/api/v1/auth/login",
            null,
            new JsonObject().put("username", username).put("password", password));
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "login of "
              + username
              + " failed: "
              + response.statusCode()
              + " "
              + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("token");
  }

  public String loginAdmin() {
    return login("admin", TestHerald.ADMIN_PASSWORD);
  }

  /** Sends {@code body} as JSON (or nothing when null) with {@code Authorization: Bearer token}. */
  public HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (token != null) {
      headers.add("Authorization", "Bearer " + token);
    }
    return send(
        method,
        path,
        headers,
        body == null ? null : Buffer.buffer(body.encode()),
        body == null ? null : "application/json");
  }

  /** The most general form: any headers, any body bytes and content type. */
  public HttpResponse<Buffer> send(
      HttpMethod method, String path, MultiMap headers, Buffer body, String contentType) {
    HttpRequest<Buffer> request = web.request(method, path);
    if (!headers.contains("User-Agent")) {
      request.putHeader("User-Agent", "herald-tests");
    }
    request.putHeaders(headers);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return (body == null ? request.send() : request.sendBuffer(body)).await();
  }

  public HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  public HttpResponse<Buffer> post(String path, String token, JsonObject body) {
    return send(HttpMethod.POST, path, token, body);
  }

  public HttpResponse<Buffer> patch(String path, String token, JsonObject body) {
    return send(HttpMethod.PATCH, path, token, body);
  }

  public HttpResponse<Buffer> delete(String path, String token) {
    return send(HttpMethod.DELETE, path, token, null);
  }
}
