package herald.platform.config;

/**
 * HTTP ingress settings.
 *
 * @param host interface to listen on
 * @param port TCP port; 0 picks a free one (tests)
 * @param instances ingress verticle instances, each with its own event loop
 * @param bodyLimitBytes largest request body accepted on JSON routes; larger answers 413
 * @param sendBodyLimitBytes largest body of the bulk routes: {@code POST /api/v1/messages} (batches
 *     of up to 10,000) and contact-group membership changes (up to 100,000 ids)
 * @param uploadBodyLimitBytes largest CSV file of the upload routes (campaign CSV upload and
 *     preview), streamed to disk under {@code <data_dir>/uploads} rather than held in memory
 * @param publicUrl how providers reach Herald for callbacks ({@code https://herald.example.com});
 *     null means {@code http://127.0.0.1:<port>}, enough for the loopback simulators
 * @param shutdownTimeoutSeconds how long in-flight requests may run after SIGTERM before they are
 *     cut
 * @param uploadIdleTimeoutSeconds how long a streamed upload (CSV imports and uploads) may go
 *     without receiving any of its file, while the request is incomplete, before it is answered 408
 *     and its connection closed, so a truncated body does not hold a connection and a file handle
 * @param authCacheMs how long a credential's lookup is reused (0: every request looks it up); a
 *     revocation made on another node takes effect here within this time, on this node at once
 */
public record HttpConfig(
    String host,
    int port,
    int instances,
    long bodyLimitBytes,
    long sendBodyLimitBytes,
    long uploadBodyLimitBytes,
    String publicUrl,
    int shutdownTimeoutSeconds,
    int uploadIdleTimeoutSeconds,
    int authCacheMs) {

  private static String publicUrl(ConfigNode node) {
    String url = node.optionalString("public_url");
    if (url != null && !url.matches("https?://[^/\\s]+(/[^\\s]*)?")) {
      throw new ConfigException(
          node.key("public_url"), "must be an http(s) URL, got '" + url + "'");
    }
    return url == null ? null : url.replaceAll("/+$", "");
  }

  static HttpConfig from(ConfigNode node) {
    return new HttpConfig(
        node.string("host"),
        node.integer("port", 0, 65535),
        node.integer("instances", 1, 256),
        node.integer("body_limit_bytes", 1024, Integer.MAX_VALUE),
        node.integer("send_body_limit_bytes", 1024, Integer.MAX_VALUE),
        node.integer("upload_body_limit_bytes", 1024, Integer.MAX_VALUE),
        publicUrl(node),
        node.integer("shutdown_timeout_seconds", 0, 3600),
        node.integer("upload_idle_timeout_seconds", 1, 3600),
        node.integer("auth_cache_ms", 0, 60_000));
  }
}
