package herald.channel.whatsapp.cloud;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests to one sender's Graph API: the base URL and version of its settings, its bearer token,
 * and a {@code User-Agent} of the form the Cloud API's OpenAPI document requires ({@code
 * Herald/1.2.3}; Vert.x's own does not match it). Every request has a timeout. Thread-safe.
 */
final class GraphClient {
  /** Bound on connecting and on waiting for an answer, per request. */
  static final long TIMEOUT_MS = 10_000;

  /** {@code Herald/<major.minor.patch>} from the jar's version ({@code 0.0.0} from classes). */
  static final String USER_AGENT = "Herald/" + version();

  private final WebClient client;
  private final String base;
  private final String token;

  GraphClient(Vertx vertx, WhatsAppCloudType.Settings settings) {
    String url = settings.graphUrl();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    this.base = url + "/" + settings.apiVersion();
    this.token = settings.accessToken();
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) TIMEOUT_MS)
                .setUserAgent(USER_AGENT)
                .setKeepAlive(true));
  }

  /** {@code POST /{version}/{path}} with a JSON body. */
  Future<HttpResponse<Buffer>> postJson(String path, JsonObject body) {
    return request(client.postAbs(base + "/" + path))
        .putHeader("Content-Type", "application/json")
        .sendJsonObject(body);
  }

  /** {@code GET /{version}/{path}}. */
  Future<HttpResponse<Buffer>> get(String path) {
    return request(client.getAbs(base + "/" + path)).send();
  }

  /** A GET of an absolute URL Graph handed out (a media download URL), with the bearer token. */
  Future<HttpResponse<Buffer>> getAbsolute(String url) {
    return request(client.getAbs(url)).send();
  }

  /** A request to {@code /{version}/{path}} for callers that build their own body (uploads). */
  HttpRequest<Buffer> post(String path) {
    return request(client.postAbs(base + "/" + path));
  }

  private HttpRequest<Buffer> request(HttpRequest<Buffer> request) {
    return request
        .timeout(TIMEOUT_MS)
        .connectTimeout(TIMEOUT_MS)
        .bearerTokenAuthentication(token)
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("Accept", "application/json");
  }

  void close() {
    client.close();
  }

  /** The Graph error of an answer: {@code {"error": {"code", "message", ...}}}, or null. */
  static JsonObject error(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body == null ? null : body.getJsonObject("error");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String version() {
    String version = GraphClient.class.getPackage().getImplementationVersion();
    Matcher m =
        Pattern.compile("^([0-9]+)\\.([0-9]+)(?:\\.([0-9]+))?")
            .matcher(version == null ? "" : version);
    if (!m.find()) {
      return "0.0.0";
    }
    return m.group(1) + "." + m.group(2) + "." + (m.group(3) == null ? "0" : m.group(3));
  }
}
