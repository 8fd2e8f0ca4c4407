package herald.contact;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.event.EventType;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;

/**
 * Creates, renames and deletes contact groups and changes their members, each in one transaction
 * with its audit entry. A change that adds or removes members emits {@value #MEMBERS_ADDED} or
 * {@value #MEMBERS_REMOVED} in its transaction, with the count rather than the ids.
 */
public final class GroupService {
  /** Event: members joined a group (one event per change, with the count, not the ids). */
  public static final EventType MEMBERS_ADDED = EventType.CONTACT_GROUP_MEMBERS_ADDED;

  /** Event: members left a group (deleting a contact or a group does not emit it). */
  public static final EventType MEMBERS_REMOVED = EventType.CONTACT_GROUP_MEMBERS_REMOVED;

  private final Pool pool;

  public GroupService(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> create(Actor actor, String name, String description) {
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

  /**
   * Renames or re-describes the group; a null {@code name} keeps it, and the description changes
   * only when {@code descriptionGiven}. 404 when the group is not the account's.
   */
  public Future<JsonObject> update(
      Actor actor, UUID id, String name, boolean descriptionGiven, String description) {
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
                              descriptionGiven ? description : before.description(),
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

  public Future<Void> delete(Actor actor, UUID id) {
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

  /**
   * Adds or removes members, all or nothing: any id that is not one of the account's contacts
   * changes nothing and fails with 422 naming them. Answers the change's counts.
   */
  public Future<JsonObject> change(Actor actor, UUID id, UUID[] ids, boolean add) {
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
                                        JsonObject before =
                                            new JsonObject()
                                                .put(
                                                    "member_count",
                                                    after.memberCount() + (add ? -count : count));
                                        return AuditStore.record(
                                                tx,
                                                actor,
                                                add ? "add_members" : "remove_members",
                                                "contact_group",
                                                id,
                                                before,
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

  /** 422 naming (a sample of) the ids that are not the account's contacts. */
  static ApiException unknown(int count, List<String> sample) {
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
