package herald.contact;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.event.EventType;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
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
import io.vertx.sqlclient.SqlClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/contacts}: the account's contacts, with E.164 phone numbers unique per account,
 * custom fields and group memberships. Every change is audited and emits {@code contact.created},
 * {@code contact.updated} or {@code contact.deleted} in the same transaction.
 */
public final class ContactRoutes {
  private static final int MAX_CUSTOM_FILTERS = 10;

  private final Vertx vertx;
  private final Pool pool;
  private final ContactStore contacts;
  private final AccountStore accounts;
  private final ContactExport export;

  public ContactRoutes(Vertx vertx, Pool pool, ContactStore contacts, AccountStore accounts) {
    this.vertx = vertx;
    this.pool = pool;
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
    router.get("/:id").handler(Scoped.require("contacts:read")).respond(this::get);
    router.patch("/:id").handler(Scoped.require("contacts:write")).respond(this::update);
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
              Contact contact =
                  new Contact(
                      Ids.newId(),
                      actor.accountId(),
                      input.phoneNumber(),
                      input.name(),
                      input.firstName(),
                      input.lastName(),
                      input.email(),
                      input.status() == null ? "active" : input.status(),
                      input.timezone(),
                      input.language(),
                      input.customFields() == null ? new JsonObject() : input.customFields(),
                      input.groupIds() == null ? List.of() : input.groupIds(),
                      null,
                      null);
              return pool.withTransaction(
                  tx ->
                      ContactStore.insert(tx, contact)
                          .compose(saved -> changed(tx, actor, "create", null, saved)));
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
              return pool.withTransaction(
                  tx ->
                      ContactStore.getForUpdate(tx, actor.accountId(), id)
                          .compose(
                              before -> {
                                Responses.found(before, "Contact");
                                Contact after =
                                    new Contact(
                                        before.id(),
                                        before.accountId(),
                                        pick(
                                            input,
                                            "phone_number",
                                            input.phoneNumber(),
                                            before.phoneNumber()),
                                        pick(input, "name", input.name(), before.name()),
                                        pick(
                                            input,
                                            "first_name",
                                            input.firstName(),
                                            before.firstName()),
                                        pick(
                                            input,
                                            "last_name",
                                            input.lastName(),
                                            before.lastName()),
                                        pick(input, "email", input.email(), before.email()),
                                        pick(input, "status", input.status(), before.status()),
                                        pick(
                                            input, "timezone", input.timezone(), before.timezone()),
                                        pick(
                                            input, "language", input.language(), before.language()),
                                        input.has("custom_fields")
                                            ? (input.customFields() == null
                                                ? new JsonObject()
                                                : input.customFields())
                                            : before.customFields(),
                                        input.has("group_ids")
                                            ? (input.groupIds() == null
                                                ? List.of()
                                                : input.groupIds())
                                            : before.groupIds(),
                                        before.createdAt(),
                                        before.updatedAt());
                                return ContactStore.update(tx, after, input.has("group_ids"))
                                    .compose(saved -> changed(tx, actor, "update", before, saved));
                              }));
            });
  }

  /** PATCH semantics: an absent field keeps its value, an explicit null clears it. */
  private static String pick(ContactInput input, String field, String given, String before) {
    return input.has(field) ? given : before;
  }

  private Future<Void> delete(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact");
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
        tx ->
            ContactStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Contact");
                      return ContactStore.delete(tx, actor.accountId(), id)
                          .compose(
                              v ->
                                  AuditStore.record(
                                      tx, actor, "delete", "contact", id, before.toJson(), null))
                          .compose(
                              v ->
                                  Outbox.append(
                                      tx,
                                      actor.accountId(),
                                      EventType.CONTACT_DELETED,
                                      id,
                                      before.toJson()));
                    }));
  }

  private static Future<JsonObject> changed(
      SqlClient tx, Actor actor, String action, Contact before, Contact after) {
    JsonObject json = after.toJson();
    return AuditStore.record(
            tx, actor, action, "contact", after.id(), before == null ? null : before.toJson(), json)
        .compose(
            v ->
                Outbox.append(
                    tx,
                    actor.accountId(),
                    before == null ? EventType.CONTACT_CREATED : EventType.CONTACT_UPDATED,
                    after.id(),
                    json))
        .map(json);
  }
}
