package herald.sim.whatsapp;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;

/**
 * Test-side Cloud API client: a plain Vert.x WebClient calling a base URL (the simulator, or Prism
 * in front of it), blocking. It shares no code with the simulator.
 */
final class CloudApi {
  static final String USER_AGENT = "Herald-Test/1.0.0";
  static final String VERSION = "v23.0";

  private final WebClient client;
  private final String baseUrl;
  private final String token;

  CloudApi(Vertx vertx, String baseUrl, String token) {
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgentEnabled(false));
    this.baseUrl = baseUrl;
    this.token = token;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** A request with the access token and a User-Agent that matches the spec's pattern. */
  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return client
        .requestAbs(method, baseUrl + path)
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("User-Agent", USER_AGENT);
  }

  HttpResponse<Buffer> send(String phoneNumberId, JsonObject message) {
    return request(
            io.vertx.core.http.HttpMethod.POST, "/" + VERSION + "/" + phoneNumberId + "/messages")
        .sendJsonObject(message)
        .await();
  }

  HttpResponse<Buffer> upload(String phoneNumberId, String type, String filename, Buffer content) {
    MultipartForm form =
        MultipartForm.create()
            .attribute("messaging_product", "whatsapp")
            .attribute("type", type)
            .binaryFileUpload("file", filename, content, type);
    return request(
            io.vertx.core.http.HttpMethod.POST, "/" + VERSION + "/" + phoneNumberId + "/media")
        .sendMultipartForm(form)
        .await();
  }

  HttpResponse<Buffer> get(String pathAndQuery) {
    return request(io.vertx.core.http.HttpMethod.GET, pathAndQuery).send().await();
  }

  HttpResponse<Buffer> delete(String pathAndQuery) {
    return request(io.vertx.core.http.HttpMethod.DELETE, pathAndQuery)
        .putHeader("Content-Type", "application/json")
        .send()
        .await();
  }

  /** GET of an absolute URL (a media download URL) with the token. */
  HttpResponse<Buffer> getAbsolute(String url, boolean withToken) {
    HttpRequest<Buffer> request = client.getAbs(url).putHeader("User-Agent", USER_AGENT);
    if (withToken) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.send().await();
  }

  /** POST of a JSON body to a control path of the simulator. */
  HttpResponse<Buffer> control(String path, JsonObject body) {
    return client.postAbs(baseUrl + path).sendJsonObject(body).await();
  }

  /** A raw request with the given headers only (for header checks). */
  HttpResponse<Buffer> sendWith(String phoneNumberId, MultiMap headers, JsonObject message) {
    HttpRequest<Buffer> request =
        client.postAbs(baseUrl + "/" + VERSION + "/" + phoneNumberId + "/messages");
    request.headers().addAll(headers);
    return request.sendJsonObject(message).await();
  }

  void close() {
    client.close();
  }
}
