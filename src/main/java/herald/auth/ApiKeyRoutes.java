package herald.auth;

import herald.audit.Actor;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.platform.security.AuthCache;
import herald.platform.security.Principal;
import herald.platform.security.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/api-keys}: create (the key is shown once), list, show and revoke. A key never
 * carries a scope its creator lacks. Admins see and revoke every key of the account; others only
 * their own.
 */
public final class ApiKeyRoutes {
  private static final Set<String> CREATE_FIELDS = Set.of("name", "scopes", "expires_at");

  private final ApiKeyService service;
  private final ApiKeyStore keys;

  public ApiKeyRoutes(Pool pool, ApiKeyStore keys, AuthCache authCache) {
    this.service = new ApiKeyService(pool, authCache);
    this.keys = keys;
  }

  public Router router(Vertx vertx, Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("api_keys:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("api_keys:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("api_keys:read")).respond(this::get);
    router
        .delete("/:id")
        .handler(Scoped.require("api_keys:write"))
        .handler(Responses.noContent(this::revoke));
    return router;
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    JsonInput in = JsonInput.of(ctx, CREATE_FIELDS);
    String name = in.requiredString("name", 1, 200);
    List<String> scopes = in.optionalStringList("scopes", 64, 64);
    if (in.missing("scopes")) {
      in.error("scopes", "required", "'scopes' is required");
    } else if (scopes != null && scopes.isEmpty()) {
      in.error("scopes", "required", "'scopes' must name at least one scope");
    } else if (scopes != null) {
      for (int i = 0; i < scopes.size(); i++) {
        if (!Scopes.isValid(scopes.get(i))) {
          in.error(
              "scopes[" + i + "]",
              "unknown_scope",
              "'" + scopes.get(i) + "' is not a Herald scope");
        }
      }
    }
    Instant expiresAt = in.optionalInstant("expires_at");
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      in.error("expires_at", "in_the_past", "expires_at must be in the future");
    }
    in.check();
    return service.create(principal, Actor.of(ctx), name, scopes, expiresAt);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    PageRequest page = PageRequest.from(ctx);
    return keys.list(principal.accountId(), ApiKeyService.ownerFilter(principal), page)
        .map(rows -> page.page(rows, ApiKey::id, ApiKey::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    UUID id = Requests.pathId(ctx, "id", "API key");
    return keys.get(principal.accountId(), id)
        .map(key -> ApiKeyService.visible(principal, key).toJson());
  }

  private Future<Void> revoke(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    UUID id = Requests.pathId(ctx, "id", "API key");
    return service.revoke(principal, Actor.of(ctx), id);
  }
}
