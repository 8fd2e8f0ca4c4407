package herald.auth;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.security.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Ends login sessions: the token is revoked and the logout audited in one transaction. */
public final class SessionService {
  private final Pool pool;

  public SessionService(Pool pool) {
    this.pool = pool;
  }

  /** Revokes the caller's login token (the caller must have authenticated with one). */
  public Future<Void> logout(Principal principal, Actor actor) {
    return pool.withTransaction(
        tx ->
            UserStore.revokeToken(tx, principal.tokenId(), principal.tokenExpiresAtEpochSeconds())
                .compose(
                    v ->
                        AuditStore.record(
                            tx, actor, "logout", "session", principal.tokenId(), null, null)));
  }
}
