package herald.contact;

import herald.audit.Actor;
import herald.platform.database.Ids;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/contact-groups}: named sets of contacts. Members are added and removed in bulk (up
 * to {@link #MAX_IDS} ids per call, set-based SQL); a call naming any id that is not one of the
 * account's contacts changes nothing and answers 422 with those ids. Member counts are exact.
 * Changes go through {@link GroupService}.
 */
public final class GroupRoutes {
  /** Most contact ids one add or remove call takes. */
  public static final int MAX_IDS = 100_000;

  private static final Set<String> FIELDS = Set.of("name", "description");

  private final Vertx vertx;
  private final GroupService service;
  private final GroupStore groups;
  private final ContactStore contacts;

  public GroupRoutes(Vertx vertx, Pool pool, GroupStore groups, ContactStore contacts) {
    this.vertx = vertx;
    this.service = new GroupService(pool);
    this.groups = groups;
    this.contacts = contacts;
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.post("/:id/contacts/add").handler(bodies.bulk());
    router.post("/:id/contacts/remove").handler(bodies.bulk());
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("contacts:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("contacts:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("contacts:read")).respond(this::get);
    router.patch("/:id").handler(Scoped.require("contacts:write")).respond(this::update);
    router
        .delete("/:id")
        .handler(Scoped.require("contacts:write"))
        .handler(Responses.noContent(this::delete));
    router.get("/:id/contacts").handler(Scoped.require("contacts:read")).respond(this::members);
    router
        .post("/:id/contacts/add")
        .handler(Scoped.require("contacts:write"))
        .respond(ctx -> change(ctx, true));
    router
        .post("/:id/contacts/remove")
        .handler(Scoped.require("contacts:write"))
        .respond(ctx -> change(ctx, false));
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    return groups
        .list(Requests.principal(ctx).accountId(), page)
        .map(rows -> page.page(rows, ContactGroup::id, ContactGroup::toJson));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact group");
    return groups
        .get(Requests.principal(ctx).accountId(), id)
        .map(group -> Responses.found(group, "Contact group").toJson());
  }

  private Future<JsonObject> members(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact group");
    UUID accountId = Requests.principal(ctx).accountId();
    PageRequest page = PageRequest.from(ctx);
    ContactStore.Filter given = ContactRoutes.filter(ctx);
    ContactStore.Filter filter =
        new ContactStore.Filter(
            id,
            given.status(),
            given.query(),
            given.custom(),
            given.createdAfter(),
            given.createdBefore());
    return groups
        .get(accountId, id)
        .compose(
            group -> {
              Responses.found(group, "Contact group");
              return contacts.list(accountId, filter, page);
            })
        .map(rows -> page.page(rows, Contact::id, Contact::toJson));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, FIELDS);
    String name = in.requiredString("name", 1, 200);
    String description = in.optionalString("description", 0, 2000);
    in.check();
    return service.create(Actor.of(ctx), name, description);
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact group");
    JsonInput in = JsonInput.of(ctx, FIELDS);
    int errorsBefore = in.errorCount();
    String name = in.optionalString("name", 1, 200);
    if (in.has("name") && name == null && in.errorCount() == errorsBefore) {
      in.error("name", "required", "'name' cannot be removed");
    }
    String description = in.optionalString("description", 0, 2000);
    in.check();
    return service.update(Actor.of(ctx), id, name, in.has("description"), description);
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.delete(Actor.of(ctx), Requests.pathId(ctx, "id", "Contact group"));
  }

  /** Adds or removes members; all or nothing. */
  private Future<JsonObject> change(RoutingContext ctx, boolean add) {
    UUID id = Requests.pathId(ctx, "id", "Contact group");
    JsonInput in = JsonInput.of(ctx, Set.of("contact_ids"));
    List<String> texts = in.optionalStringList("contact_ids", MAX_IDS, 64);
    if (texts == null && in.errorCount() == 0) {
      in.error("contact_ids", "required", "'contact_ids' is required: up to " + MAX_IDS + " ids");
    }
    in.check();
    List<String> malformed = new ArrayList<>();
    List<UUID> parsed = new ArrayList<>(texts.size());
    for (String text : texts) {
      UUID contactId = Ids.parse(text);
      if (contactId == null) {
        malformed.add(text);
      } else {
        parsed.add(contactId);
      }
    }
    if (!malformed.isEmpty()) {
      throw GroupService.unknown(
          malformed.size(), malformed.stream().limit(GroupStore.UNKNOWN_SHOWN).toList());
    }
    return service.change(Actor.of(ctx), id, parsed.toArray(new UUID[0]), add);
  }
}
