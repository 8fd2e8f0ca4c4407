package herald.webhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Server-side request forgery guard: a webhook URL must be http(s) and its host must resolve only
 * to public addresses. Checked when an endpoint is saved and again before each request (DNS can
 * change). Resolution blocks, so it runs on a worker thread.
 */
final class Targets {
  private final Vertx vertx;
  private final boolean allowPrivate;

  Targets(Vertx vertx, boolean allowPrivate) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
  }

  /** A problem with the URL's form, or null when it is an absolute http(s) URL with a host. */
  static String formProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return "url is not a valid URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "url must use http or https";
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      return "url must name a host";
    }
    if (uri.getUserInfo() != null) {
      return "url must not carry credentials";
    }
    return null;
  }

  /**
   * Succeeds with null when {@code url} may be called, or with the reason it may not (its host is
   * private or does not resolve). Never fails.
   */
  Future<String> check(String url) {
    if (allowPrivate) {
      return Future.succeededFuture(null);
    }
    String host = URI.create(url).getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return vertx.executeBlocking(
        () -> {
          try {
            for (InetAddress address : InetAddress.getAllByName(bare)) {
              if (forbidden(address)) {
                return "url resolves to a private, loopback, link-local or metadata address ("
                    + address.getHostAddress()
                    + ")";
              }
            }
            return null;
          } catch (UnknownHostException e) {
            return "url host " + host + " does not resolve";
          }
        },
        false);
  }

  /** Loopback, private, link-local, unique-local, CGNAT, multicast, unspecified or metadata. */
  static boolean forbidden(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second <= 127) // CGNAT 100.64/10
          || (first == 169 && second == 254) // link-local, cloud metadata
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved, broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
        return true;
      }
      if (isMappedOrCompatible(b)) { // ::ffff:a.b.c.d hides an IPv4 target
        try {
          return forbidden(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
      return first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8;
    }
    return true;
  }

  private static boolean isMappedOrCompatible(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
  }
}
