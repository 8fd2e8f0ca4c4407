package herald.audit;

import herald.auth.Principal;
import herald.platform.http.Requests;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Who made a change, and from where: what every audit entry records besides the change itself. */
public record Actor(
    UUID accountId,
    UUID userId,
    UUID apiKeyId,
    String username,
    String ip,
    String userAgent,
    String requestId) {

  /** The authenticated caller of {@code ctx}. */
  public static Actor of(RoutingContext ctx) {
    Principal p = Requests.principal(ctx);
    return new Actor(
        p.accountId(),
        p.userId(),
        p.apiKeyId(),
        p.username(),
        Requests.clientIp(ctx),
        Requests.userAgent(ctx),
        Requests.requestId(ctx));
  }

  /** A user acting on their own behalf before a principal exists (login). */
  public static Actor of(RoutingContext ctx, UUID accountId, UUID userId, String username) {
    return new Actor(
        accountId,
        userId,
        null,
        username,
        Requests.clientIp(ctx),
        Requests.userAgent(ctx),
        Requests.requestId(ctx));
  }

  /** Herald itself (first-start bootstrap). */
  public static Actor system(UUID accountId) {
    return new Actor(accountId, null, null, "system", null, null, null);
  }
}
