package herald.auth;

import herald.audit.Actor;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.platform.security.AuthCache;
import herald.platform.security.Passwords;
import herald.platform.security.Role;
import herald.platform.security.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/users}: the account's users; admin only. Deleting deactivates, keeping history.
 */
public final class UserRoutes {
  static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+\\-]{3,64}");
  static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Set<String> CREATE_FIELDS =
      Set.of("username", "password", "role", "name", "email");
  private static final Set<String> PATCH_FIELDS =
      Set.of("password", "role", "name", "email", "is_active");

  private final UserStore users;
  private final UserService service;

  public UserRoutes(Pool pool, UserStore users, Passwords passwords, AuthCache authCache) {
    this.users = users;
    this.service = new UserService(pool, passwords, authCache);
  }

  public Router router(Vertx vertx, Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.route().handler(Scoped.require(Scopes.ADMIN));
    router.post("/").handler(Responses.status(201, this::create));
    router.get("/").respond(this::list);
    router.get("/:id").respond(this::get);
    router.patch("/:id").respond(this::update);
    router.delete("/:id").respond(this::deactivate);
    return router;
  }

  /** Reads username, password, role, name and email with field errors; {@code role} may default. */
  public static UserService.NewUser readNewUser(JsonInput in, String prefix, Role defaultRole) {
    String username = in.requiredString(prefix + "username", 3, 64);
    if (username != null && !USERNAME.matcher(username).matches()) {
      in.error(
          prefix + "username", "invalid_format", "username may hold letters, digits and . _ @ + -");
    }
    String password = in.requiredString(prefix + "password", 1, 1024);
    if (password != null && Passwords.problem(password) != null) {
      in.error(prefix + "password", "weak_password", Passwords.problem(password));
    }
    String role = in.optionalEnum(prefix + "role", Role.WIRE_NAMES);
    if (defaultRole == null) {
      in.require(prefix + "role", "'role' is required");
    }
    String name = in.optionalString(prefix + "name", 1, 200);
    String email = readEmail(in, prefix + "email");
    return new UserService.NewUser(
        username, password, role == null ? defaultRole : Role.fromWire(role), name, email);
  }

  static String readEmail(JsonInput in, String field) {
    String email = in.optionalString(field, 3, 254);
    if (email != null && !EMAIL.matcher(email).matches()) {
      in.error(field, "invalid_format", "email is not a valid address");
    }
    return email;
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, CREATE_FIELDS);
    UserService.NewUser user = readNewUser(in, "", null);
    in.check();
    return service.create(Actor.of(ctx), user).map(User::toJson);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String role = q.string("role", 20);
    Boolean active = q.bool("is_active");
    q.check();
    return users
        .list(Requests.principal(ctx).accountId(), page, role, active)
        .map(rows -> page.page(rows, User::id, User::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "User");
    return users
        .get(Requests.principal(ctx).accountId(), id)
        .map(user -> Responses.found(user, "User").toJson());
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "User");
    JsonInput in = JsonInput.of(ctx, PATCH_FIELDS);
    String password = in.optionalString("password", 1, 1024);
    if (password != null && Passwords.problem(password) != null) {
      in.error("password", "weak_password", Passwords.problem(password));
    }
    String role = in.optionalEnum("role", Role.WIRE_NAMES);
    String name = in.optionalString("name", 1, 200);
    String email = readEmail(in, "email");
    Boolean active = in.optionalBoolean("is_active", null);
    in.check();
    UserService.Patch patch =
        new UserService.Patch(
            password,
            role == null ? null : Role.fromWire(role),
            in.has("name"),
            name,
            in.has("email"),
            email,
            active);
    return service.update(Actor.of(ctx), id, patch).map(User::toJson);
  }

  private Future<JsonObject> deactivate(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "User");
    return service.deactivate(Actor.of(ctx), id).map(User::toJson);
  }
}
