package herald.audit;

import herald.platform.http.Requests;
import herald.platform.security.Principal;
import io.vertx.core.json.JsonObject;
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

  /** The actor as stored with work done later on its behalf (a background job). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("user_id", userId == null ? null : userId.toString())
        .put("api_key_id", apiKeyId == null ? null : apiKeyId.toString())
        .put("username", username)
        .put("ip", ip)
        .put("user_agent", userAgent)
        .put("request_id", requestId);
  }

  /** The actor {@link #toJson} stored, acting in {@code accountId}. */
  public static Actor fromJson(UUID accountId, JsonObject json) {
    String user = json.getString("user_id");
    String key = json.getString("api_key_id");
    return new Actor(
        accountId,
        user == null ? null : UUID.fromString(user),
        key == null ? null : UUID.fromString(key),
        json.getString("username"),
        json.getString("ip"),
        json.getString("user_agent"),
        json.getString("request_id"));
  }
}
