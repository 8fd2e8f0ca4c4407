package herald.platform.security;

import java.util.Set;
import java.util.UUID;

/**
 * The authenticated caller of one request.
 *
 * @param accountId the tenant every query of this request is confined to
 * @param platformAccount true for the operator's own account, whose admins manage other accounts
 * @param userId the user, or the owner of the API key
 * @param apiKeyId the API key used, or null for a login token
 * @param scopes what the caller may do: the key's scopes, or the user's role for a login token
 * @param tokenId the login token's {@code jti}, or null for an API key
 * @param tokenExpiresAtEpochSeconds the login token's expiry, or 0
 */
public record Principal(
    UUID accountId,
    boolean platformAccount,
    UUID userId,
    String username,
    Role role,
    UUID apiKeyId,
    Set<String> scopes,
    UUID tokenId,
    long tokenExpiresAtEpochSeconds) {

  public boolean can(String scope) {
    return Scopes.covers(scopes, scope);
  }

  /** Platform administrators manage tenants. */
  public boolean platformAdmin() {
    return platformAccount && can(Scopes.ADMIN);
  }

  /** Rate limits are counted per API key, or per user for login tokens. */
  public String rateLimitKey() {
    return apiKeyId != null ? "key:" + apiKeyId : "user:" + userId;
  }

  /** Short form for logs; never holds secrets. */
  public String describe() {
    return apiKeyId != null ? username + "/key:" + apiKeyId : username;
  }
}
