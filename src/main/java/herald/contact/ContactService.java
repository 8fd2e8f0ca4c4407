package herald.contact;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.event.EventType;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.UUID;

/**
 * Creates, changes and deletes contacts: each change in one transaction with its audit entry and
 * its {@code contact.created}, {@code contact.updated} or {@code contact.deleted} event.
 */
public final class ContactService {
  private final Pool pool;

  public ContactService(Pool pool) {
    this.pool = pool;
  }

  /** Creates a contact from validated input; answers its public JSON (409 on a taken number). */
  public Future<JsonObject> create(Actor actor, ContactInput input) {
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
            null,
            input.tier(),
            0,
            null);
    return pool.withTransaction(
        tx ->
            ContactStore.insert(tx, contact)
                .compose(saved -> changed(tx, actor, "create", null, saved)));
  }

  /**
   * Creates a contact from a body in the shape of {@code POST /api/v1/contacts} (numbers in E.164,
   * no default region); 422 with field errors when it is invalid.
   */
  public Future<JsonObject> create(Actor actor, JsonObject body) {
    herald.platform.http.JsonInput in =
        herald.platform.http.JsonInput.of(body, ContactInput.FIELDS);
    ContactInput input = ContactInput.read(in, null, true);
    in.check();
    return create(actor, input);
  }

  /** Applies a body in the shape of {@code PATCH /api/v1/contacts/{id}}. */
  public Future<JsonObject> update(Actor actor, UUID id, JsonObject body) {
    herald.platform.http.JsonInput in =
        herald.platform.http.JsonInput.of(body, ContactInput.FIELDS);
    ContactInput input = ContactInput.read(in, null, false);
    in.check();
    return update(actor, id, input);
  }

  /**
   * Applies PATCH input (an absent field keeps its value, an explicit null clears it); 404 when the
   * contact is not the account's.
   */
  public Future<JsonObject> update(Actor actor, UUID id, ContactInput input) {
    return pool.withTransaction(
        tx ->
            ContactStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Contact");
                      Contact after = merge(before, input);
                      return ContactStore.update(tx, after, input.has("group_ids"))
                          .compose(saved -> changed(tx, actor, "update", before, saved));
                    }));
  }

  /** Deletes the contact; 404 when it is not the account's. */
  public Future<Void> delete(Actor actor, UUID id) {
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

  private static Contact merge(Contact before, ContactInput input) {
    return new Contact(
        before.id(),
        before.accountId(),
        pick(input, "phone_number", input.phoneNumber(), before.phoneNumber()),
        pick(input, "name", input.name(), before.name()),
        pick(input, "first_name", input.firstName(), before.firstName()),
        pick(input, "last_name", input.lastName(), before.lastName()),
        pick(input, "email", input.email(), before.email()),
        pick(input, "status", input.status(), before.status()),
        pick(input, "timezone", input.timezone(), before.timezone()),
        pick(input, "language", input.language(), before.language()),
        input.has("custom_fields")
            ? (input.customFields() == null ? new JsonObject() : input.customFields())
            : before.customFields(),
        input.has("group_ids")
            ? (input.groupIds() == null ? List.of() : input.groupIds())
            : before.groupIds(),
        before.createdAt(),
        before.updatedAt(),
        pick(input, "tier", input.tier(), before.tier()),
        before.totalRequests(),
        before.lastRequestAt());
  }

  /**
   * Sets a contact's tier (seed 004's {@code update_tier}), audited with the reason; 404 when the
   * contact is not the account's.
   */
  public Future<JsonObject> updateTier(Actor actor, UUID id, String tier, String reason) {
    return pool.withTransaction(
        tx ->
            ContactStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Contact");
                      return tx.preparedQuery(
                              "UPDATE contacts SET tier = $3, updated_at = now()"
                                  + " WHERE account_id = $1 AND id = $2")
                          .execute(io.vertx.sqlclient.Tuple.of(actor.accountId(), id, tier))
                          .compose(v -> ContactStore.getForUpdate(tx, actor.accountId(), id))
                          .compose(
                              after ->
                                  AuditStore.record(
                                          tx,
                                          actor,
                                          "update_tier",
                                          "contact",
                                          id,
                                          before.toJson(),
                                          after.toJson().put("reason", reason))
                                      .map(after.toJson()));
                    }));
  }

  private static String pick(ContactInput input, String field, String given, String before) {
    return input.has(field) ? given : before;
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
