package herald.contact;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/contacts}: the account's contacts, with E.164 phone numbers unique per account,
 * custom fields and group memberships. Changes go through {@link ContactService}.
 */
public final class ContactRoutes {
  private static final int MAX_CUSTOM_FILTERS = 10;

  private final Vertx vertx;
  private final ContactService service;
  private final ContactStore contacts;
  private final AccountStore accounts;
  private final ContactExport export;

  public ContactRoutes(Vertx vertx, Pool pool, ContactStore contacts, AccountStore accounts) {
    this.vertx = vertx;
    this.service = new ContactService(pool);
    this.contacts = contacts;
    this.accounts = accounts;
    this.export = new ContactExport(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("contacts:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("contacts:read")).respond(this::list);
    router.get("/export").handler(Scoped.require("contacts:read")).handler(export::handle);
    router.get("/lookup").handler(Scoped.require("contacts:read")).respond(this::lookup);
    router.get("/:id").handler(Scoped.require("contacts:read")).respond(this::get);
    router.patch("/:id").handler(Scoped.require("contacts:write")).respond(this::update);
    router
        .post("/:id/update-tier")
        .handler(Scoped.require("contacts:write"))
        .respond(this::updateTier);
    router
        .delete("/:id")
        .handler(Scoped.require("contacts:write"))
        .handler(Responses.noContent(this::delete));
    return router;
  }

  /** The list filters of {@code ctx}'s query string; 400 when one is malformed. */
  static ContactStore.Filter filter(RoutingContext ctx) {
    QueryParams q = new QueryParams(ctx);
    UUID groupId = q.uuid("group_id");
    String status = q.string("status", 16);
    String text = q.string("q", 200);
    var createdAfter = q.instant("created_after");
    var createdBefore = q.instant("created_before");
    q.check();
    if (status != null && !ContactInput.STATUSES.contains(status)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(new FieldError("status", "invalid_value", "status must be active or inactive")));
    }
    Map<String, String> custom = new LinkedHashMap<>();
    for (var entry : ctx.queryParams()) {
      if (entry.getKey().startsWith("custom.") && custom.size() == MAX_CUSTOM_FILTERS) {
        throw ApiException.badRequest(
            "Invalid query parameters",
            List.of(
                new FieldError(
                    entry.getKey(),
                    "too_many_items",
                    "at most " + MAX_CUSTOM_FILTERS + " custom.<name> filters")));
      }
      if (entry.getKey().startsWith("custom.")) {
        String key = entry.getKey().substring("custom.".length());
        if (!ContactInput.CUSTOM_KEY.matcher(key).matches() || entry.getValue().length() > 1000) {
          throw ApiException.badRequest(
              "Invalid query parameters",
              List.of(
                  new FieldError(
                      entry.getKey(),
                      "invalid_value",
                      "custom.<name>=<value> takes a custom field name of letters, digits or"
                          + " underscores")));
        }
        custom.put(key, entry.getValue());
      }
    }
    return new ContactStore.Filter(groupId, status, text, custom, createdAfter, createdBefore);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    ContactStore.Filter filter = filter(ctx);
    return contacts
        .list(Requests.principal(ctx).accountId(), filter, page)
        .map(rows -> page.page(rows, Contact::id, Contact::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact");
    return contacts
        .get(Requests.principal(ctx).accountId(), id)
        .map(contact -> Responses.found(contact, "Contact").toJson());
  }

  /** {@code GET /lookup?phone_number=}: the contact of a number in any spelling; 404 if none. */
  private Future<JsonObject> lookup(RoutingContext ctx) {
    String phone = ctx.queryParams().get("phone_number");
    if (phone == null || phone.isBlank() || phone.length() > 64) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(new FieldError("phone_number", "required", "phone_number is required")));
    }
    UUID accountId = Requests.principal(ctx).accountId();
    return region(accountId)
        .compose(
            region -> {
              herald.phone.PhoneNumbers.Parsed parsed =
                  herald.phone.PhoneNumbers.parse(phone, region);
              if (!parsed.ok()) {
                throw ApiException.badRequest(
                    "Invalid query parameters",
                    List.of(
                        new FieldError("phone_number", "invalid_phone_number", parsed.error())));
              }
              return contacts.byPhone(accountId, parsed.e164());
            })
        .map(contact -> Responses.found(contact, "Contact").toJson());
  }

  /**
   * {@code POST /:id/update-tier} {@code {tier, reason?}} (PATCH with {@code tier: null} clears).
   */
  private Future<JsonObject> updateTier(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact");
    JsonInput in = JsonInput.of(ctx, java.util.Set.of("tier", "reason"));
    String tier = in.requiredString("tier", 1, 100);
    String reason = in.optionalString("reason", 0, 500);
    in.check();
    return service.updateTier(Actor.of(ctx), id, tier, reason);
  }

  private Future<String> region(UUID accountId) {
    return accounts
        .getCached(accountId)
        .map(account -> account == null ? null : account.settings().getString("default_region"));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, ContactInput.FIELDS);
    Actor actor = Actor.of(ctx);
    return region(actor.accountId())
        .compose(
            region -> {
              ContactInput input = ContactInput.read(in, region, true);
              in.check();
              return service.create(actor, input);
            });
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact");
    JsonInput in = JsonInput.of(ctx, ContactInput.FIELDS);
    Actor actor = Actor.of(ctx);
    return region(actor.accountId())
        .compose(
            region -> {
              ContactInput input = ContactInput.read(in, region, false);
              in.check();
              return service.update(actor, id, input);
            });
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.delete(Actor.of(ctx), Requests.pathId(ctx, "id", "Contact"));
  }
}
