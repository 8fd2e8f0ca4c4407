package herald;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.platform.database.Ids;
import herald.sender.Sender;
import herald.sender.SenderService;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The platform account's senders for the simulators of the default run, created on the first start
 * (as the default sender of their channel when the account has none) and kept pointing at the
 * simulators' ports: SMPP and ARI here, WhatsApp in {@link WhatsAppSimulatorSender}; through {@link
 * SenderService} as any sender is (audited as a system change). The simulators themselves know
 * nothing of Herald's data.
 */
final class SimulatorSender {
  /** Name of the sender Herald creates for the simulator; it updates that one sender only. */
  static final String NAME = "Simulator SMSC";

  private SimulatorSender() {}

  /**
   * Makes the platform account's {@value #NAME} sender point at this SMSC, creating it (as the
   * default SMS sender, if the account has none) on first start.
   */
  static Future<Void> wire(Vertx vertx, Pool pool, int smscPort) {
    return ensure(
        vertx,
        pool,
        NAME,
        "sms",
        "port",
        smscPort,
        (accountId, isDefault) -> sender(accountId, smscPort, isDefault));
  }

  /** Name of the voice sender Herald creates for the ARI simulator. */
  static final String VOICE_NAME = "Simulator Asterisk";

  /**
   * Makes the platform account's {@value #VOICE_NAME} sender (provider {@code ari}) point at the
   * ARI simulator at {@code ariUrl}, creating it (as the default voice sender, if the account has
   * none) on first start.
   */
  static Future<Void> wireVoice(
      Vertx vertx, Pool pool, String ariUrl, String user, String password) {
    return ensure(
        vertx,
        pool,
        VOICE_NAME,
        "voice",
        "base_url",
        ariUrl,
        (accountId, isDefault) -> voiceSender(accountId, ariUrl, user, password, isDefault));
  }

  /**
   * Makes the platform account's sender {@code name} hold {@code value} at settings {@code key}
   * (where a simulator listens this run), creating it with {@code create} on first start: the
   * default sender of {@code channel} if the account has none.
   */
  static Future<Void> ensure(
      Vertx vertx,
      Pool pool,
      String name,
      String channel,
      String key,
      Object value,
      BiFunction<UUID, Boolean, Sender> create) {
    SenderStore senders = new SenderStore(pool);
    SenderService service = new SenderService(vertx, pool);
    return AccountStore.platform(pool)
        .compose(
            account -> {
              Actor system = Actor.system(account.id());
              return senders
                  .byName(account.id(), name)
                  .compose(
                      existing -> {
                        if (existing == null) {
                          return senders
                              .defaultFor(account.id(), channel)
                              .compose(
                                  other ->
                                      service.create(
                                          system, create.apply(account.id(), other == null)));
                        }
                        if (String.valueOf(value)
                            .equals(String.valueOf(existing.settings().getValue(key)))) {
                          return Future.succeededFuture();
                        }
                        return service.update(
                            system,
                            existing.id(),
                            before ->
                                new Sender(
                                    before.id(),
                                    before.accountId(),
                                    before.name(),
                                    before.channel(),
                                    before.provider(),
                                    before.settings().copy().put(key, value),
                                    before.secrets(),
                                    before.ratePerSecond(),
                                    before.isDefault(),
                                    before.active(),
                                    before.createdAt(),
                                    before.updatedAt()));
                      });
            })
        .mapEmpty();
  }

  private static Sender voiceSender(
      UUID accountId, String ariUrl, String user, String password, boolean isDefault) {
    JsonObject settings =
        new JsonObject()
            .put("base_url", ariUrl)
            .put("username", user)
            .put("app", "herald")
            .put("endpoint", "PJSIP/{number}@simulator")
            .put("caller_id", "\"Herald\" <+15550100>")
            .put("max_concurrent_calls", 30)
            .put("calls_per_second", 10)
            .put("max_call_seconds", 3600)
            .put("amd_variable", "AMD_ENABLED");
    return new Sender(
        Ids.newId(),
        accountId,
        VOICE_NAME,
        "voice",
        "ari",
        settings,
        new JsonObject().put("password", password),
        10,
        isDefault,
        true,
        null,
        null);
  }

  private static Sender sender(UUID accountId, int smscPort, boolean isDefault) {
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
    return new Sender(
        Ids.newId(),
        accountId,
        NAME,
        "sms",
        "smpp",
        settings,
        new JsonObject().put("password", "herald"),
        100,
        isDefault,
        true,
        null,
        null);
  }
}
