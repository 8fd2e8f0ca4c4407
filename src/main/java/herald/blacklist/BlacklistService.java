package herald.blacklist;

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
 * Adds, removes and imports blacklist entries through the API, each in one transaction with its
 * audit entry and its {@code blacklist.added} or {@code blacklist.removed} events.
 */
public final class BlacklistService {
  private final Pool pool;

  public BlacklistService(Pool pool) {
    this.pool = pool;
  }

  /** Adds an E.164 number with source {@code api}; 409 when it is already on the list. */
  public Future<JsonObject> add(Actor actor, String number, String reason) {
    BlacklistEntry entry =
        new BlacklistEntry(Ids.newId(), actor.accountId(), number, reason, "api", null);
    return pool.withTransaction(
        tx ->
            BlacklistStore.insert(tx, entry)
                .compose(
                    saved -> {
                      if (saved == null) {
                        return Future.failedFuture(alreadyListed(number));
                      }
                      JsonObject json = saved.toJson();
                      return AuditStore.record(
                              tx, actor, "create", "blacklist", saved.id(), null, json)
                          .compose(
                              v ->
                                  Outbox.append(
                                      tx,
                                      actor.accountId(),
                                      EventType.BLACKLIST_ADDED,
                                      saved.id(),
                                      json))
                          .map(json);
                    }));
  }

  /** Removes the entry; 404 when the account has no such entry. */
  public Future<Void> remove(Actor actor, UUID id) {
    return pool.withTransaction(
        tx ->
            BlacklistStore.delete(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Blacklist entry");
                      JsonObject json = before.toJson();
                      return AuditStore.record(tx, actor, "delete", "blacklist", id, json, null)
                          .compose(
                              v ->
                                  Outbox.append(
                                      tx,
                                      actor.accountId(),
                                      EventType.BLACKLIST_REMOVED,
                                      id,
                                      json));
                    }));
  }

  /**
   * Adds the parsed file's numbers not on the list yet, one {@code blacklist.added} event per
   * number added, and audits the import with its counts. Answers the counts and the row errors.
   */
  Future<JsonObject> importAll(Actor actor, BlacklistImport.Parsed parsed) {
    return pool.withTransaction(
        tx ->
            BlacklistStore.insertAll(tx, actor.accountId(), parsed.numbers())
                .compose(
                    added -> {
                      long good = parsed.rows() - parsed.errors().size();
                      JsonObject result =
                          new JsonObject()
                              .put("rows", parsed.rows())
                              .put("added", added)
                              .put("already_blacklisted", parsed.numbers().size() - added)
                              .put("duplicates_in_file", good - parsed.numbers().size())
                              .put("skipped", parsed.errors().size())
                              .put("errors", parsed.errorsJson());
                      JsonObject summary = result.copy();
                      summary.remove("errors");
                      return AuditStore.record(
                              tx, actor, "import", "blacklist", null, null, summary)
                          .map(result);
                    }));
  }

  private static ApiException alreadyListed(String number) {
    return new ApiException(
        409,
        "already-blacklisted",
        "Already blacklisted",
        number + " is already on the blacklist",
        List.of(
            new FieldError("phone_number", "duplicate", "this number is already on the blacklist")),
        null);
  }
}
