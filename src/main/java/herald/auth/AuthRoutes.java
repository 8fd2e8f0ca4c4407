package herald.auth;

import herald.audit.Actor;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.security.AuthCache;
import herald.platform.security.Passwords;
import herald.platform.security.Principal;
import herald.platform.security.Scopes;
import herald.platform.security.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/** {@code /api/v1/auth}: login (public), logout and the caller's identity. */
public final class AuthRoutes {
  private static final String BAD_LOGIN = "Invalid username or password";

  private final SessionService sessions;
  private final UserStore users;
  private final Passwords passwords;
  private final Tokens tokens;

  public AuthRoutes(
      Pool pool, UserStore users, Passwords passwords, Tokens tokens, AuthCache authCache) {
    this.sessions = new SessionService(pool, authCache);
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
  }

  /** Mounts login, which needs no authentication, on {@code api} at {@code /auth/login}. */
  public void mountPublic(Router api, Bodies bodies) {
    api.post("/auth/login").handler(bodies.standard()).respond(this::login);
  }

  /** Mounts the authenticated routes on {@code api}. */
  public void mountAuthenticated(Router api, Bodies bodies) {
    api.post("/auth/logout").handler(bodies.standard()).handler(Responses.noContent(this::logout));
    api.get("/auth/me").respond(this::me);
  }

  private Future<JsonObject> login(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("username", "password"));
    String username = in.requiredString("username", 1, 200);
    String password = in.requiredString("password", 1, 1024);
    in.check();
    return logIn(username, password);
  }

  /**
   * Checks a user's password and opens a session: {@code token} (a Bearer token), {@code
   * token_type}, {@code expires_in} and {@code user}; 401 for a wrong name or password or an
   * inactive user or account. Also the entry point of compatibility layers' token endpoints.
   */
  public Future<JsonObject> logIn(String username, String password) {
    return users
        .credentials(username)
        .compose(
            found ->
                passwords
                    .verify(password, found == null ? null : found.passwordHash())
                    .map(
                        ok -> {
                          if (!ok || !found.user().active() || !found.accountActive()) {
                            throw ApiException.unauthorized(BAD_LOGIN);
                          }
                          return found.user();
                        }))
        .compose(
            user -> {
              Tokens.Issued issued = tokens.issue(user.id(), user.accountId());
              return users
                  .touchLogin(user.id())
                  .map(
                      v ->
                          new JsonObject()
                              .put("token", issued.token())
                              .put("token_type", "Bearer")
                              .put("expires_in", issued.expiresIn())
                              .put("user", user.toJson()));
            });
  }

  private Future<Void> logout(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    if (principal.tokenId() == null) {
      throw ApiException.badRequest("Logout ends login tokens; to stop an API key, delete it");
    }
    return sessions.logout(principal, Actor.of(ctx));
  }

  private Future<JsonObject> me(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    return users
        .get(principal.accountId(), principal.userId())
        .map(
            user ->
                new JsonObject()
                    .put("user", Responses.found(user, "User").toJson())
                    .put("account_id", principal.accountId().toString())
                    .put("platform_admin", principal.platformAdmin())
                    .put("auth", principal.apiKeyId() != null ? "api_key" : "token")
                    .put(
                        "api_key_id",
                        principal.apiKeyId() == null ? null : principal.apiKeyId().toString())
                    .put("scopes", new JsonArray(Scopes.normalize(principal.scopes()))));
  }
}
