package herald.auth;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.security.AuthCache;
import herald.platform.security.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Ends login sessions: the token is revoked and the logout audited in one transaction. */
public final class SessionService {
  private final Pool pool;
  private final AuthCache authCache;

  public SessionService(Pool pool, AuthCache authCache) {
    this.pool = pool;
    this.authCache = authCache;
  }

  /** Revokes the caller's login token (the caller must have authenticated with one). */
  public Future<Void> logout(Principal principal, Actor actor) {
    return pool.withTransaction(
            tx ->
                UserStore.revokeToken(
                        tx, principal.tokenId(), principal.tokenExpiresAtEpochSeconds())
                    .compose(
                        v ->
                            AuditStore.record(
                                tx, actor, "logout", "session", principal.tokenId(), null, null)))
        .onSuccess(v -> authCache.invalidate());
  }
}
