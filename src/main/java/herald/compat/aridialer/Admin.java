package herald.compat.aridialer;

import herald.compat.aridialer.Envelope.Failure;
import herald.compat.aridialer.Envelope.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Seed 001's connection test, IVR menus, users and API tokens. */
final class Admin {
  private static final Map<String, String> USER_NAMES = Map.of("name", "full_name");
  private static final Map<String, String> TOKEN_NAMES = Map.of("scopes", "permissions");

  private final Dialer api;

  Admin(Dialer api) {
    this.api = api;
  }

  Future<Reply> info(RoutingContext ctx) {
    return api.get(ctx, "/api/v1/auth/me")
        .map(
            me ->
                new Reply(
                    200,
                    "ARI Dialer API (Herald compatibility layer)",
                    new JsonObject()
                        .put("version", "1.0")
                        .put(
                            "user",
                            new JsonObject()
                                .put("id", me.getJsonObject("user").getString("id"))
                                .put("username", me.getJsonObject("user").getString("username"))
                                .put("role", role(me.getJsonObject("user").getString("role"))))
                        .put(
                            "permissions",
                            Permissions.of(
                                Dialer.strings(me.getJsonArray("scopes", new JsonArray()))))));
  }

  private static JsonObject ivrView(JsonObject i) {
    JsonArray actions = new JsonArray();
    JsonObject menus = i.getJsonObject("menus", new JsonObject());
    for (String menu : menus.fieldNames()) {
      JsonObject options =
          menus.getJsonObject(menu, new JsonObject()).getJsonObject("options", new JsonObject());
      for (String key : options.fieldNames()) {
        JsonObject option = options.getJsonObject(key);
        String action = option.getString("action");
        Object value =
            switch (action == null ? "" : action) {
              case "menu" -> option.getString("menu");
              case "agent" -> option.getJsonObject("agent", new JsonObject()).getString("value");
              case "webhook" -> option.getJsonObject("data");
              default -> option.getValue("prompt");
            };
        actions.add(
            new JsonObject()
                .put("menu", menu)
                .put("dtmf_digit", key)
                .put("action_type", action)
                .put("action_value", value));
      }
    }
    return new JsonObject()
        .put("id", i.getString("id"))
        .put("name", i.getString("name"))
        .put("start", i.getString("start"))
        .put("menus", menus)
        .put("actions", actions)
        .put("created_at", Envelope.time(i.getString("created_at")))
        .put("updated_at", Envelope.time(i.getString("updated_at")));
  }

  Future<Reply> listIvrs(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return api.all(ctx, "/api/v1/ivr")
        .map(
            list -> {
              JsonArray data = new JsonArray();
              paging.slice(list).forEach(i -> data.add(ivrView(i)));
              return new Reply(200, "IVR menus retrieved", data, paging.object(list.size()));
            });
  }

  Future<Reply> getIvr(RoutingContext ctx) {
    return api.get(ctx, "/api/v1/ivr/" + Dialer.enc(ctx.pathParam("id")))
        .map(i -> new Reply(200, "IVR menu retrieved", ivrView(i)));
  }

  Future<Reply> deleteIvr(RoutingContext ctx) {
    return api.delete(ctx, "/api/v1/ivr/" + Dialer.enc(ctx.pathParam("id")), "IVR menu deleted");
  }

  /** Herald's role as the seed's: admin, or user for every other role. */
  private static String role(String herald) {
    return "admin".equals(herald) ? "admin" : "user";
  }

  /** The seed's role as Herald's: user is a manager (runs campaigns); Herald's names pass. */
  private static Object heraldRole(Object seed) {
    return "user".equals(seed) ? "manager" : seed;
  }

  private static JsonObject userView(JsonObject u) {
    return new JsonObject()
        .put("id", u.getString("id"))
        .put("username", u.getString("username"))
        .put("full_name", u.getString("name"))
        .put("email", u.getString("email"))
        .put("role", role(u.getString("role")))
        .put("herald_role", u.getString("role"))
        .put("is_active", u.getBoolean("is_active") ? 1 : 0)
        .put("last_login", Envelope.time(u.getString("last_login_at")))
        .put("created_at", Envelope.time(u.getString("created_at")));
  }

  Future<Reply> listUsers(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return api.all(ctx, "/api/v1/users")
        .map(
            list -> {
              JsonArray data = new JsonArray();
              paging.slice(list).forEach(u -> data.add(userView(u)));
              return new Reply(200, "Users retrieved", data, paging.object(list.size()));
            });
  }

  /** The seed's user fields as Herald's. */
  private static JsonObject user(JsonObject in, boolean create) {
    Dialer.only(
        in,
        create
            ? Set.of("username", "password", "email", "full_name", "name", "role")
            : Set.of("password", "email", "full_name", "name", "role", "is_active"));
    JsonObject out = new JsonObject();
    for (String f : List.of("username", "password", "email")) {
      if (in.containsKey(f)) {
        out.put(f, in.getValue(f));
      }
    }
    if (in.containsKey("full_name") || in.containsKey("name")) {
      out.put("name", in.containsKey("full_name") ? in.getValue("full_name") : in.getValue("name"));
    }
    if (in.containsKey("role")) {
      out.put("role", heraldRole(in.getValue("role")));
    } else if (create) {
      out.put("role", "manager");
    }
    if (in.containsKey("is_active")) {
      Object a = in.getValue("is_active");
      out.put("is_active", a instanceof Number n ? n.intValue() != 0 : a);
    }
    return out;
  }

  Future<Reply> createUser(RoutingContext ctx) {
    return Dialer.body(ctx)
        .compose(in -> api.call(ctx, HttpMethod.POST, "/api/v1/users", user(in, true), USER_NAMES))
        .map(u -> new Reply(201, "User created", userView(u)));
  }

  Future<Reply> updateUser(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Dialer.body(ctx)
        .compose(
            in ->
                api.call(
                    ctx,
                    HttpMethod.PATCH,
                    "/api/v1/users/" + Dialer.enc(id),
                    user(in, false),
                    USER_NAMES))
        .map(u -> new Reply(200, "User updated", userView(u)));
  }

  Future<Reply> deleteUser(RoutingContext ctx) {
    return api.delete(ctx, "/api/v1/users/" + Dialer.enc(ctx.pathParam("id")), "User deleted");
  }

  private static JsonObject tokenView(JsonObject k) {
    List<String> scopes = Dialer.strings(k.getJsonArray("scopes", new JsonArray()));
    String expires = k.getString("expires_at");
    boolean expired = expires != null && Instant.parse(expires).isBefore(Instant.now());
    return new JsonObject()
        .put("id", k.getString("id"))
        .put("name", k.getString("name"))
        .put("prefix", k.getString("prefix"))
        .put("permissions", Permissions.of(scopes))
        .put("scopes", new JsonArray(scopes))
        .put("is_active", k.getString("revoked_at") == null && !expired ? 1 : 0)
        .put("expires_at", Envelope.time(expires))
        .put("last_used_at", Envelope.time(k.getString("last_used_at")))
        .put("created_at", Envelope.time(k.getString("created_at")));
  }

  Future<Reply> listTokens(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    return api.all(ctx, "/api/v1/api-keys")
        .map(
            list -> {
              List<JsonObject> live =
                  list.stream().filter(k -> k.getString("revoked_at") == null).toList();
              JsonArray data = new JsonArray();
              paging.slice(live).forEach(k -> data.add(tokenView(k)));
              return new Reply(200, "Tokens retrieved", data, paging.object(live.size()));
            });
  }

  Future<Reply> createToken(RoutingContext ctx) {
    return Dialer.body(ctx)
        .compose(
            in -> {
              Dialer.only(in, Set.of("name", "permissions", "expires_at"));
              JsonObject key = new JsonObject().put("name", in.getValue("name", "API token"));
              Object expires = in.getValue("expires_at");
              if (expires != null) {
                Instant at = expires instanceof String s ? Envelope.parseTime(s, false) : null;
                if (at == null) {
                  throw Failure.field(
                      400,
                      "Validation failed",
                      "expires_at",
                      "a time as YYYY-MM-DD HH:MM:SS (UTC)");
                }
                key.put("expires_at", at.toString());
              }
              Object permissions = in.getValue("permissions");
              if (permissions == null) {
                // as the seed: a token without permissions acts with all of its user's rights
                return api.get(ctx, "/api/v1/auth/me")
                    .map(me -> key.put("scopes", me.getJsonArray("scopes")));
              }
              List<String> scopes =
                  permissions instanceof JsonArray list
                      ? Permissions.scopes(Dialer.strings(list))
                      : null;
              if (scopes == null || scopes.isEmpty()) {
                throw Failure.field(
                    400,
                    "Validation failed",
                    "permissions",
                    "a list of permissions among "
                        + String.join(", ", Permissions.CATALOGUE.keySet()));
              }
              return Future.succeededFuture(key.put("scopes", new JsonArray(scopes)));
            })
        .compose(key -> api.call(ctx, HttpMethod.POST, "/api/v1/api-keys", key, TOKEN_NAMES))
        .map(k -> new Reply(201, "Token created", tokenView(k).put("token", k.getString("key"))));
  }

  Future<Reply> revokeToken(RoutingContext ctx) {
    return api.delete(ctx, "/api/v1/api-keys/" + Dialer.enc(ctx.pathParam("id")), "Token revoked");
  }
}
