package herald;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.database.Ids;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The platform account's sender for the SMPP simulator of the default run, created on the first
 * start (as the default SMS sender when the account has none) and kept pointing at the simulator's
 * port. The simulators themselves know nothing of Herald's data.
 */
final class SimulatorSender {
  /** Name of the sender Herald creates for the simulator; it updates that one sender only. */
  static final String NAME = "Simulator SMSC";

  private SimulatorSender() {}

  /**
   * Makes the platform account's {@value #NAME} sender point at this SMSC, creating it (as the
   * default SMS sender, if the account has none) on first start.
   */
  static Future<Void> wire(Pool pool, int smscPort) {
    JsonObject settings =
        new JsonObject()
            .put("host", "127.0.0.1")
            .put("port", smscPort)
            .put("system_id", "herald")
            .put("source_addr", "Herald")
            .put("source_ton", 5)
            .put("source_npi", 0)
            .put("dest_ton", 1)
            .put("dest_npi", 1)
            .put("window", 50)
            .put("enquire_link_seconds", 30);
    JsonObject secrets = new JsonObject().put("password", "herald");
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "SELECT a.id AS account_id, s.id AS sender_id, s.settings->>'port' AS port,"
                            + " EXISTS (SELECT 1 FROM senders d WHERE d.account_id = a.id AND d.channel = 'sms'"
                            + " AND d.is_default AND d.is_active) AS has_default"
                            + " FROM accounts a LEFT JOIN senders s ON s.account_id = a.id AND s.name = $1"
                            + " WHERE a.is_platform")
                    .execute(Tuple.of(NAME))
                    .compose(
                        rows -> {
                          var row = rows.iterator().next();
                          UUID accountId = row.getUUID("account_id");
                          UUID existing = row.getUUID("sender_id");
                          if (existing == null) {
                            Sender sender =
                                new Sender(
                                    Ids.newId(),
                                    accountId,
                                    NAME,
                                    "sms",
                                    "smpp",
                                    settings,
                                    secrets,
                                    100,
                                    !row.getBoolean("has_default"),
                                    true,
                                    null,
                                    null);
                            return SenderStore.insert(tx, sender)
                                .compose(
                                    saved ->
                                        AuditStore.record(
                                            tx,
                                            Actor.system(accountId),
                                            "create",
                                            "sender",
                                            saved.id(),
                                            null,
                                            saved.toJson()));
                          }
                          if (!String.valueOf(smscPort).equals(row.getString("port"))) {
                            return tx.preparedQuery(
                                    "UPDATE senders SET settings = settings || $2, updated_at = now() WHERE id = $1")
                                .execute(Tuple.of(existing, new JsonObject().put("port", smscPort)))
                                .<Void>mapEmpty()
                                .onSuccess(v -> SenderStore.changedElsewhere());
                          }
                          return Future.succeededFuture();
                        }))
        .mapEmpty();
  }
}
