package herald.auth;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.database.Ids;
import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.platform.security.Passwords;
import herald.platform.security.Role;
import herald.platform.security.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
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

  private final Pool pool;
  private final UserStore users;
  private final Passwords passwords;

  public UserRoutes(Pool pool, UserStore users, Passwords passwords) {
    this.pool = pool;
    this.users = users;
    this.passwords = passwords;
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

  /** Validated fields of a new user; shared with account creation, which makes the first admin. */
  public record NewUser(String username, String password, Role role, String name, String email) {}

  /** Reads username, password, role, name and email with field errors; {@code role} may default. */
  public static NewUser readNewUser(JsonInput in, String prefix, Role defaultRole) {
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
    return new NewUser(
        username, password, role == null ? defaultRole : Role.fromWire(role), name, email);
  }

  static String readEmail(JsonInput in, String field) {
    String email = in.optionalString(field, 3, 254);
    if (email != null && !EMAIL.matcher(email).matches()) {
      in.error(field, "invalid_format", "email is not a valid address");
    }
    return email;
  }

  /** Inserts a user with its audit entry in {@code tx}; a taken username answers 409. */
  public Future<User> insert(SqlClient tx, Actor actor, UUID accountId, NewUser user, String hash) {
    return UserStore.insert(
            tx,
            Ids.newId(),
            accountId,
            user.username(),
            user.name(),
            user.email(),
            hash,
            user.role())
        .recover(
            err ->
                Future.failedFuture(
                    Rows.isUniqueViolation(err)
                        ? ApiException.conflict("Username '" + user.username() + "' is taken")
                        : err))
        .compose(
            created ->
                AuditStore.record(tx, actor, "create", "user", created.id(), null, created.toJson())
                    .map(created));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, CREATE_FIELDS);
    NewUser user = readNewUser(in, "", null);
    in.check();
    Actor actor = Actor.of(ctx);
    return passwords
        .hash(user.password())
        .compose(
            hash -> pool.withTransaction(tx -> insert(tx, actor, actor.accountId(), user, hash)))
        .map(User::toJson);
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
    Actor actor = Actor.of(ctx);
    Future<String> hash =
        password == null ? Future.succeededFuture(null) : passwords.hash(password);
    return hash.compose(
            newHash ->
                pool.withTransaction(
                    tx ->
                        UserStore.getForUpdate(tx, actor.accountId(), id)
                            .compose(
                                before -> {
                                  Responses.found(before, "User");
                                  User after =
                                      before.with(
                                          in.has("name") ? name : before.name(),
                                          in.has("email") ? email : before.email(),
                                          role != null ? Role.fromWire(role) : before.role(),
                                          active != null ? active : before.active());
                                  guardSelf(actor, after);
                                  return save(tx, actor, before, after, newHash, "update");
                                })))
        .map(User::toJson);
  }

  private Future<JsonObject> deactivate(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "User");
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
            tx ->
                UserStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "User");
                          User after =
                              before.with(before.name(), before.email(), before.role(), false);
                          guardSelf(actor, after);
                          return save(tx, actor, before, after, null, "delete");
                        }))
        .map(User::toJson);
  }

  /** Admins cannot lock themselves out; another admin must do it. */
  private static void guardSelf(Actor actor, User after) {
    if (after.id().equals(actor.userId()) && (!after.active() || after.role() != Role.ADMIN)) {
      throw ApiException.conflict("You cannot deactivate yourself or give up your own admin role");
    }
  }

  private static Future<User> save(
      SqlClient tx, Actor actor, User before, User after, String hash, String action) {
    return UserStore.update(tx, after, hash)
        .compose(
            saved ->
                AuditStore.record(
                        tx, actor, action, "user", saved.id(), before.toJson(), saved.toJson())
                    .map(saved));
  }
}
