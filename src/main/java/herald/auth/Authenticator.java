package herald.auth;

import herald.platform.http.ApiException;
import herald.platform.http.Requests;
import herald.platform.security.AuthCache;
import herald.platform.security.Principal;
import herald.platform.security.Scopes;
import herald.platform.security.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates every {@code /api/v1} request after login. Accepts {@code Authorization: Bearer
 * <jwt or API key>}, {@code Authorization: Token <API key or jwt>} (seed 004's scheme, whose token
 * endpoint hands out login tokens) and {@code X-API-Key: <API key>}. A login token must verify, not
 * be revoked, and belong to an active user of an active account; an API key must exist, match its
 * hash, be neither revoked nor expired, and its owner must still be active. The caller's scopes are
 * the key's scopes, or the user's current role for a login token. Anything else is 401.
 */
public final class Authenticator implements Handler<RoutingContext> {
  private static final long TOUCH_EVERY_MS = 60_000;

  private final Tokens tokens;
  private final UserStore users;
  private final ApiKeyStore keys;
  private final AuthCache cache;
  private final Map<UUID, Long> lastTouched = new ConcurrentHashMap<>();

  public Authenticator(Tokens tokens, UserStore users, ApiKeyStore keys, AuthCache cache) {
    this.tokens = tokens;
    this.users = users;
    this.keys = keys;
    this.cache = cache;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented;
    String authorization = ctx.request().getHeader("Authorization");
    String apiKey = ctx.request().getHeader("X-API-Key");
    if (authorization != null) {
      String[] parts = authorization.trim().split("\\s+", 2);
      if (parts.length != 2) {
        ctx.fail(ApiException.unauthorized("Malformed Authorization header"));
        return;
      }
      if (!parts[0].equalsIgnoreCase("Token") && !parts[0].equalsIgnoreCase("Bearer")) {
        ctx.fail(ApiException.unauthorized("Use Authorization: Bearer <token> or Token <api key>"));
        return;
      }
      presented = parts[1].trim();
    } else if (apiKey != null) {
      presented = apiKey.trim();
    } else {
      ctx.fail(
          ApiException.unauthorized("Authentication required: send a Bearer token or an API key"));
      return;
    }
    // X-API-Key holds only keys; either Authorization scheme may carry a login token
    boolean token = authorization != null && Tokens.looksLikeJwt(presented);
    Future<Principal> principal =
        cache.get(
            (token ? "t:" : "k:") + presented,
            () -> token ? fromToken(presented) : fromApiKey(presented));
    principal.onComplete(
        result -> {
          if (result.succeeded()) {
            Requests.setPrincipal(ctx, result.result());
            ctx.next();
          } else {
            // ApiExceptions are the 401s above; anything else (the database is down) is ours, not
            // theirs.
            ctx.fail(result.cause());
          }
        });
  }

  private Future<AuthCache.Found> fromToken(String token) {
    return tokens
        .verify(token)
        .recover(err -> Future.failedFuture(ApiException.unauthorized("Invalid or expired token")))
        .compose(
            claims ->
                users
                    .session(claims.userId(), claims.tokenId())
                    .map(
                        session -> {
                          if (session == null
                              || session.revoked()
                              || !session.user().active()
                              || !session.accountActive()
                              || !session.user().accountId().equals(claims.accountId())) {
                            throw ApiException.unauthorized("Token is no longer valid");
                          }
                          User user = session.user();
                          Principal principal =
                              new Principal(
                                  user.accountId(),
                                  session.platformAccount(),
                                  user.id(),
                                  user.username(),
                                  user.role(),
                                  null,
                                  user.role().scopes(),
                                  claims.tokenId(),
                                  claims.expiresAt());
                          return new AuthCache.Found(
                              principal, Instant.ofEpochSecond(claims.expiresAt()));
                        }));
  }

  private Future<AuthCache.Found> fromApiKey(String key) {
    String prefix = ApiKeys.prefixOf(key);
    if (prefix == null) {
      return Future.failedFuture(ApiException.unauthorized("Invalid API key"));
    }
    return keys.byPrefix(prefix)
        .map(
            found -> {
              if (found == null || !ApiKeys.matches(key, found.hash())) {
                throw ApiException.unauthorized("Invalid API key");
              }
              if (!found.usable()) {
                throw ApiException.unauthorized("API key is revoked or expired");
              }
              if (!found.owner().active() || !found.accountActive()) {
                throw ApiException.unauthorized("API key owner is deactivated");
              }
              touch(found.key().id());
              User owner = found.owner();
              // A key never does more than its owner can do now, even if the owner's role was
              // lowered.
              Set<String> scopes = new HashSet<>();
              for (String scope : found.key().scopes()) {
                if (Scopes.covers(owner.role().scopes(), scope)) {
                  scopes.add(scope);
                }
              }
              Principal principal =
                  new Principal(
                      owner.accountId(),
                      found.platformAccount(),
                      owner.id(),
                      owner.username(),
                      owner.role(),
                      found.key().id(),
                      Set.copyOf(scopes),
                      null,
                      0);
              String expires = found.key().expiresAt();
              return new AuthCache.Found(
                  principal, expires == null ? null : Instant.parse(expires));
            });
  }

  private void touch(UUID keyId) {
    long now = System.currentTimeMillis();
    Long last = lastTouched.get(keyId);
    if (last == null || now - last > TOUCH_EVERY_MS) {
      lastTouched.put(keyId, now);
      keys.touch(keyId);
    }
  }
}
