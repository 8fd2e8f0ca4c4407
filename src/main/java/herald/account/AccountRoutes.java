package herald.account;

import herald.audit.Actor;
import herald.auth.UserRoutes;
import herald.auth.UserService;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/accounts}: tenants, managed by platform administrators only. Creating an account
 * also creates its first admin user, in the same transaction.
 */
public final class AccountRoutes {
  private static final Set<String> CREATE_FIELDS =
      Set.of("name", "admin_username", "admin_password", "admin_email", "admin_name", "settings");
  private static final Set<String> PATCH_FIELDS = Set.of("name", "status", "settings");
  private static final Set<String> SETTINGS = Set.of("default_region", "timezone");
  private static final Set<String> STATUSES = Set.of("active", "suspended");
  private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());

  private final AccountStore accounts;
  private final AccountService service;

  public AccountRoutes(Pool pool, AccountStore accounts, Passwords passwords, AuthCache authCache) {
    this.accounts = accounts;
    this.service = new AccountService(pool, passwords, authCache);
  }

  public Router router(Vertx vertx, Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.route().handler(Scoped.platformAdmin());
    router.post("/").handler(Responses.status(201, this::create));
    router.get("/").respond(this::list);
    router.get("/:id").respond(this::get);
    router.patch("/:id").respond(this::update);
    return router;
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, CREATE_FIELDS);
    String name = in.requiredString("name", 1, 200);
    UserService.NewUser admin = UserRoutes.readNewUser(in, "admin_", Role.ADMIN);
    JsonObject settings = readSettings(in, new JsonObject());
    in.check();
    return service.create(Actor.of(ctx), name, settings, admin);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String status = q.string("status", 20);
    q.check();
    return accounts.list(page, status).map(rows -> page.page(rows, Account::id, Account::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Account");
    return accounts.get(id).map(account -> Responses.found(account, "Account").toJson());
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Account");
    JsonInput in = JsonInput.of(ctx, PATCH_FIELDS);
    String name = in.optionalString("name", 1, 200);
    String status = in.optionalEnum("status", STATUSES);
    in.check();
    return service.update(
        Actor.of(ctx),
        id,
        name,
        status,
        base -> {
          JsonObject settings = readSettings(in, base);
          in.check();
          return settings;
        });
  }

  /**
   * Merges a {@code settings} object from the body into {@code base}, validating each known key.
   */
  private static JsonObject readSettings(JsonInput in, JsonObject base) {
    if (!in.has("settings")) {
      return base;
    }
    JsonObject given = in.optionalObject("settings");
    if (given == null) {
      return base;
    }
    for (String key : given.fieldNames()) {
      Object value = given.getValue(key);
      String field = "settings." + key;
      if (!SETTINGS.contains(key)) {
        in.error(field, "unknown_field", "Unknown setting '" + key + "'");
      } else if (value != null && !(value instanceof String)) {
        in.error(field, "invalid_type", "'" + field + "' must be a string");
      } else if (key.equals("default_region") && value != null && !REGIONS.contains(value)) {
        in.error(
            field,
            "invalid_value",
            "default_region must be an ISO 3166 country code such as US or FR");
      } else if (key.equals("timezone") && value != null && !validZone((String) value)) {
        in.error(field, "invalid_value", "timezone must be an IANA zone such as Europe/Paris");
      } else if (value == null) {
        base.remove(key);
      } else {
        base.put(key, value);
      }
    }
    return base;
  }

  private static boolean validZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }
}
