package herald.platform.http;

import herald.platform.database.Ids;
import herald.platform.security.Principal;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Per-request values that handlers need: the caller, the request id, the client's address. */
public final class Requests {
  static final String PRINCIPAL = "herald.principal";
  static final String REQUEST_ID = "herald.request_id";

  private Requests() {}

  /** The authenticated caller; only valid behind the authentication handler. */
  public static Principal principal(RoutingContext ctx) {
    Principal principal = ctx.get(PRINCIPAL);
    if (principal == null) {
      throw ApiException.unauthorized("Authentication required");
    }
    return principal;
  }

  /** The caller if the request was authenticated, else null. */
  public static Principal principalOrNull(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  public static void setPrincipal(RoutingContext ctx, Principal principal) {
    ctx.put(PRINCIPAL, principal);
  }

  public static String requestId(RoutingContext ctx) {
    return ctx.get(REQUEST_ID);
  }

  /**
   * The path the router matches, in one spelling: percent-encoded unreserved characters decoded and
   * dot segments removed (Vert.x's normalised path), repeated slashes collapsed and any trailing
   * slash dropped. {@code /api/v1/auth/login/}, {@code /api/v1//auth/login}, {@code
   * /api/v1/./auth/login} and {@code /api/v1/%61uth/login} all reach the login route, and all give
   * {@code /api/v1/auth/login} here, so whatever is decided by path (rate-limit class, body
   * handling) follows the route that serves the request, not the client's spelling of it.
   */
  public static String canonicalPath(RoutingContext ctx) {
    return canonical(ctx.normalizedPath());
  }

  /** {@link #canonicalPath} of an already normalised path. */
  static String canonical(String normalized) {
    String path = normalized == null ? "/" : normalized.replaceAll("/{2,}", "/");
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }

  public static String clientIp(RoutingContext ctx) {
    var address = ctx.request().remoteAddress();
    return address == null ? "unknown" : address.hostAddress();
  }

  public static String userAgent(RoutingContext ctx) {
    String agent = ctx.request().getHeader("User-Agent");
    return agent == null || agent.length() <= 512 ? agent : agent.substring(0, 512);
  }

  /** The UUID in path parameter {@code name}; a malformed id cannot exist, so it answers 404. */
  public static UUID pathId(RoutingContext ctx, String name, String resource) {
    UUID id = Ids.parse(ctx.pathParam(name));
    if (id == null) {
      throw ApiException.notFound(resource + " not found");
    }
    return id;
  }
}
