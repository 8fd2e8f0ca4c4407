package herald;

import herald.platform.database.Ids;
import herald.sender.Sender;
import herald.sim.whatsapp.WhatsAppSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * The platform account's WhatsApp sender for the Cloud API simulator of the default run, created on
 * the first start (as the default WhatsApp sender when the account has none) and kept pointing at
 * the simulator's port, through {@link herald.sender.SenderService} as any sender is (audited as a
 * system change). The simulator's webhooks are pointed at Herald once it listens ({@link #route}).
 */
final class WhatsAppSimulatorSender {
  /** Name of the sender Herald creates for the simulator; it updates that one sender only. */
  static final String NAME = "Simulator WhatsApp";

  private WhatsAppSimulatorSender() {}

  /** Makes the {@value #NAME} sender point at {@code sim}, creating it on the first start. */
  static Future<Void> wire(Vertx vertx, Pool pool, WhatsAppSimulator sim) {
    return SimulatorSender.ensure(
        vertx,
        pool,
        NAME,
        "whatsapp",
        "graph_url",
        sim.baseUrl(),
        (accountId, isDefault) -> sender(accountId, sim, isDefault));
  }

  /** Points the simulator's webhooks at Herald's WhatsApp webhook on {@code httpPort}. */
  static void route(WhatsAppSimulator sim, int httpPort) {
    sim.webhookUrl("http://127.0.0.1:" + httpPort + "/webhooks/whatsapp");
  }

  private static Sender sender(UUID accountId, WhatsAppSimulator sim, boolean isDefault) {
    var config = sim.config();
    JsonObject settings =
        new JsonObject()
            .put("phone_number_id", config.phoneNumbers().get(0).id())
            .put("waba_id", config.wabaId())
            .put("verify_token", config.verifyToken())
            .put("graph_url", sim.baseUrl())
            .put("api_version", "v23.0")
            .put("phone_number", "+" + config.phoneNumbers().get(0).displayPhoneNumber());
    return new Sender(
        Ids.newId(),
        accountId,
        NAME,
        "whatsapp",
        "whatsapp_cloud",
        settings,
        new JsonObject()
            .put("access_token", config.accessToken())
            .put("app_secret", config.appSecret()),
        80,
        isDefault,
        true,
        null,
        null);
  }
}
