package herald.channel.voice.ari;

import herald.channel.ChannelSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Stored recordings of an ARI sender's Asterisk, for the recordings API and the retention sweep:
 * {@code GET /recordings/stored/{name}/file} streamed into an HTTP response (never buffered), and
 * {@code DELETE /recordings/stored/{name}}. One HTTP client shared by every sender; safe on any
 * event loop.
 */
public final class AriFiles {
  private static final long TIMEOUT_MS = 10_000;

  /** ARI answered {@code status} (404: the recording is not in Asterisk). */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status) {
      super("ARI answered " + status);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final HttpClient http;
  private final AriType type = new AriType();

  public AriFiles(Vertx vertx) {
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS).setKeepAlive(true));
  }

  /**
   * Streams the stored recording {@code name} of {@code sender}'s Asterisk into {@code out} with
   * ARI's content type; fails with {@link Refused} (nothing written) when ARI does not answer 200.
   */
  public Future<Void> download(ChannelSender sender, String name, HttpServerResponse out) {
    return request(sender, HttpMethod.GET, name, "/file")
        .compose(
            response -> {
              if (response.statusCode() != 200) {
                return response
                    .body()
                    .transform(v -> Future.failedFuture(new Refused(response.statusCode())));
              }
              out.setStatusCode(200);
              String contentType = response.getHeader("Content-Type");
              out.putHeader("Content-Type", contentType == null ? "audio/wav" : contentType);
              String length = response.getHeader("Content-Length");
              if (length != null) {
                out.putHeader("Content-Length", length);
              } else {
                out.setChunked(true);
              }
              return response.pipeTo(out);
            });
  }

  /** Deletes the stored recording; a 404 (gone already) counts as deleted. */
  public Future<Void> delete(ChannelSender sender, String name) {
    return request(sender, HttpMethod.DELETE, name, "")
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        body ->
                            response.statusCode() / 100 == 2 || response.statusCode() == 404
                                ? Future.<Void>succeededFuture()
                                : Future.failedFuture(new Refused(response.statusCode()))));
  }

  private Future<io.vertx.core.http.HttpClientResponse> request(
      ChannelSender sender, HttpMethod method, String name, String suffix) {
    AriType.Settings settings = type.settings(sender);
    String base = settings.baseUrl();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String url =
        base
            + "/recordings/stored/"
            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
            + suffix;
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(url)
            .setIdleTimeout(TIMEOUT_MS)
            .putHeader("Authorization", "Basic " + auth);
    return http.request(options).compose(request -> request.send());
  }

  public Future<Void> close() {
    return http.close();
  }
}
