package herald.contact;

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
 * account's contacts changes nothing and answers 422 with those ids. Member counts are exact. A
 * change that adds or removes members emits {@code contact_group.members_added} or {@code
 * contact_group.members_removed} in its transaction, with the count rather than the ids.
 */
public final class GroupRoutes {
  /** Most contact ids one add or remove call takes. */
  public static final int MAX_IDS = 100_000;

  /** Event: members joined a group (one event per change, with the count, not the ids). */
  public static final EventType MEMBERS_ADDED = EventType.CONTACT_GROUP_MEMBERS_ADDED;

  /** Event: members left a group (deleting a contact or a group does not emit it). */
  public static final EventType MEMBERS_REMOVED = EventType.CONTACT_GROUP_MEMBERS_REMOVED;

  private static final Set<String> FIELDS = Set.of("name", "description");

  private final Vertx vertx;
  private final Pool pool;
  private final GroupStore groups;
  private final ContactStore contacts;

  public GroupRoutes(Vertx vertx, Pool pool, GroupStore groups, ContactStore contacts) {
    this.vertx = vertx;
    this.pool = pool;
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
    Actor actor = Actor.of(ctx);
    ContactGroup group =
        new ContactGroup(Ids.newId(), actor.accountId(), name, description, 0, null, null);
    return pool.withTransaction(
        tx ->
            GroupStore.insert(tx, group)
                .compose(
                    saved ->
                        AuditStore.record(
                                tx,
                                actor,
                                "create",
                                "contact_group",
                                saved.id(),
                                null,
                                saved.toJson())
                            .map(saved.toJson())));
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
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
        tx ->
            GroupStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Contact group");
                      ContactGroup after =
                          new ContactGroup(
                              id,
                              before.accountId(),
                              name != null ? name : before.name(),
                              in.has("description") ? description : before.description(),
                              before.memberCount(),
                              before.createdAt(),
                              before.updatedAt());
                      return GroupStore.update(tx, after)
                          .compose(
                              saved ->
                                  AuditStore.record(
                                          tx,
                                          actor,
                                          "update",
                                          "contact_group",
                                          id,
                                          before.toJson(),
                                          saved.toJson())
                                      .map(saved.toJson()));
                    }));
  }

  private Future<Void> delete(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Contact group");
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
        tx ->
            GroupStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Contact group");
                      return GroupStore.delete(tx, actor.accountId(), id)
                          .compose(
                              v ->
                                  AuditStore.record(
                                      tx,
                                      actor,
                                      "delete",
                                      "contact_group",
                                      id,
                                      before.toJson(),
                                      null));
                    }));
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
      throw unknown(malformed.size(), malformed.stream().limit(GroupStore.UNKNOWN_SHOWN).toList());
    }
    UUID[] ids = parsed.toArray(new UUID[0]);
    Actor actor = Actor.of(ctx);
    return pool.withTransaction(
        tx ->
            GroupStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    group -> {
                      Responses.found(group, "Contact group");
                      return GroupStore.check(tx, actor.accountId(), ids);
                    })
                .compose(
                    check -> {
                      if (check.unknownCount() > 0) {
                        return Future.failedFuture(
                            unknown(
                                check.unknownCount(),
                                check.unknownSample().stream().map(UUID::toString).toList()));
                      }
                      Future<Integer> changed =
                          add ? GroupStore.add(tx, id, ids) : GroupStore.remove(tx, id, ids);
                      return changed.compose(
                          count ->
                              GroupStore.getForUpdate(tx, actor.accountId(), id)
                                  .compose(
                                      after -> {
                                        JsonObject result =
                                            new JsonObject()
                                                .put("group_id", id.toString())
                                                .put("requested", check.distinct())
                                                .put(add ? "added" : "removed", count)
                                                .put(
                                                    add ? "already_members" : "not_members",
                                                    check.distinct() - count)
                                                .put("member_count", after.memberCount());
                                        return AuditStore.record(
                                                tx,
                                                actor,
                                                add ? "add_members" : "remove_members",
                                                "contact_group",
                                                id,
                                                new JsonObject()
                                                    .put(
                                                        "member_count",
                                                        after.memberCount()
                                                            + (add ? -count : count)),
                                                result)
                                            .compose(
                                                v ->
                                                    count == 0
                                                        ? Future.succeededFuture()
                                                        : Outbox.append(
                                                            tx,
                                                            actor.accountId(),
                                                            add ? MEMBERS_ADDED : MEMBERS_REMOVED,
                                                            id,
                                                            membershipEvent(
                                                                id,
                                                                count,
                                                                after.memberCount(),
                                                                "api")))
                                            .map(result);
                                      }));
                    }));
  }

  /**
   * The data of a membership event.
   *
   * @param count members added or removed by this change
   * @param memberCount the group's member count after it
   * @param source {@code api} or {@code import}
   */
  static JsonObject membershipEvent(UUID groupId, long count, Long memberCount, String source) {
    return new JsonObject()
        .put("group_id", groupId.toString())
        .put("count", count)
        .put("member_count", memberCount)
        .put("source", source);
  }

  private static ApiException unknown(int count, List<String> sample) {
    return ApiException.validation(
        List.of(
            new FieldError(
                "contact_ids",
                "not_found",
                count
                    + (count == 1 ? " id is" : " ids are")
                    + " not contacts of this account; nothing was changed: "
                    + String.join(", ", sample)
                    + (count > sample.size() ? ", ..." : ""))));
  }
}
