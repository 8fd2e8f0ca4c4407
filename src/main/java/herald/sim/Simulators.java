package herald.sim;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.platform.Ids;
import herald.platform.config.SimulatorConfig;
import herald.sender.Sender;
import herald.sender.SenderStore;
import herald.sim.smpp.SmscConfig;
import herald.sim.smpp.SmscSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol simulators of the default run: an SMPP SMSC on loopback, and a default SMS sender of
 * the platform account wired to it, so a fresh install sends real SMPP with no provider set up.
 */
public final class Simulators {
  private static final Logger LOG = LoggerFactory.getLogger(Simulators.class);

  /** Name of the sender Herald creates for the simulator; it updates that one sender only. */
  public static final String SENDER_NAME = "Simulator SMSC";

  private final Vertx vertx;
  private final SmscSimulator smsc;

  private Simulators(Vertx vertx, SmscSimulator smsc) {
    this.vertx = vertx;
    this.smsc = smsc;
  }

  /** Starts the SMSC (blocking socket set-up, on a worker thread). */
  public static Future<Simulators> start(Vertx vertx, SimulatorConfig config) {
    return vertx.executeBlocking(
        () -> {
          SmscSimulator smsc =
              SmscSimulator.start(
                  SmscConfig.localDefaults()
                      .withPort(config.smppPort())
                      .withBehaviour(
                          config.submitLatency(),
                          0.0,
                          config.receiptDelay(),
                          config.undeliveredPercent() / 100.0)
                      .withMaxBinds(16));
          LOG.info("SMPP simulator listening on 127.0.0.1:{}", smsc.port());
          return new Simulators(vertx, smsc);
        });
  }

  public SmscSimulator smsc() {
    return smsc;
  }

  /**
   * Makes the platform account's {@value #SENDER_NAME} sender point at this SMSC, creating it (as
   * the default SMS sender, if the account has none) on first start.
   */
  public Future<Void> wireDefaultSender(Pool pool) {
    JsonObject settings =
        new JsonObject()
            .put("host", "127.0.0.1")
            .put("port", smsc.port())
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
                    .execute(Tuple.of(SENDER_NAME))
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
                                    SENDER_NAME,
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
                          if (!String.valueOf(smsc.port()).equals(row.getString("port"))) {
                            return tx.preparedQuery(
                                    "UPDATE senders SET settings = settings || $2, updated_at = now() WHERE id = $1")
                                .execute(
                                    Tuple.of(existing, new JsonObject().put("port", smsc.port())))
                                .<Void>mapEmpty()
                                .onSuccess(v -> SenderStore.changedElsewhere());
                          }
                          return Future.succeededFuture();
                        }))
        .mapEmpty();
  }

  public Future<Void> close() {
    return vertx.executeBlocking(
        () -> {
          smsc.close();
          return null;
        });
  }
}
