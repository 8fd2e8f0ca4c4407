package herald.auth;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.security.AuthCache;
import herald.platform.security.Principal;
import herald.platform.security.Scopes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Creates and revokes API keys, each in one transaction with its audit entry. Admins manage every
 * key of the account; anyone else only their own.
 */
public final class ApiKeyService {
  private final Pool pool;
  private final AuthCache authCache;

  public ApiKeyService(Pool pool, AuthCache authCache) {
    this.pool = pool;
    this.authCache = authCache;
  }

  /**
   * Creates a key for the caller; 403 if it names a scope the caller lacks. Answers the key's JSON
   * with the secret {@code key}, shown this once.
   */
  public Future<JsonObject> create(
      Principal principal, Actor actor, String name, List<String> scopes, Instant expiresAt) {
    List<String> beyond = scopes.stream().filter(s -> !principal.can(s)).toList();
    if (!beyond.isEmpty()) {
      return Future.failedFuture(
          ApiException.forbidden(
              "A key cannot have scopes you do not have: " + String.join(", ", beyond)));
    }
    ApiKeys.Generated generated = ApiKeys.generate();
    return pool.withTransaction(
            tx ->
                ApiKeyStore.insert(
                        tx,
                        Ids.newId(),
                        principal.accountId(),
                        principal.userId(),
                        name,
                        generated.prefix(),
                        generated.hash(),
                        Scopes.normalize(scopes),
                        expiresAt)
                    .compose(
                        key ->
                            AuditStore.record(
                                    tx, actor, "create", "api_key", key.id(), null, key.toJson())
                                .map(key)))
        .map(key -> key.toJson().put("key", generated.key()));
  }

  /** Revokes the key; 404 when the caller may not see it. */
  public Future<Void> revoke(Principal principal, Actor actor, UUID id) {
    return pool.withTransaction(
            tx ->
                ApiKeyStore.getForUpdate(tx, principal.accountId(), id)
                    .compose(
                        before -> {
                          visible(principal, before);
                          return ApiKeyStore.revoke(tx, principal.accountId(), id)
                              .compose(
                                  after ->
                                      AuditStore.record(
                                          tx,
                                          actor,
                                          "delete",
                                          "api_key",
                                          id,
                                          before.toJson(),
                                          after.toJson()));
                        }))
        .onSuccess(v -> authCache.invalidate());
  }

  /** Admins manage every key of the account; anyone else only their own. */
  static UUID ownerFilter(Principal principal) {
    return principal.can(Scopes.ADMIN) ? null : principal.userId();
  }

  /** {@code key}, or 404 when it is null or not the caller's to see. */
  static ApiKey visible(Principal principal, ApiKey key) {
    UUID owner = ownerFilter(principal);
    if (key == null || (owner != null && !owner.equals(key.userId()))) {
      throw ApiException.notFound("API key not found");
    }
    return key;
  }
}
