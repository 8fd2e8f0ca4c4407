package herald.channel.sms;

import herald.message.Inbound;
import herald.message.MessageQueueStore;
import herald.message.OutboundSms;
import herald.message.SendOutcome;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS channel: keeps one provider connection per active SMS sender, sends the batches the
 * engine hands over and records each outcome as the provider answers it ({@link OutcomeRecorder}),
 * and stores what providers report back (delivery receipts, inbound messages). One instance per
 * process, since provider sessions (an SMPP bind) belong to one owner.
 */
public final class SmsChannelVerticle extends VerticleBase {
  public static final String GROUP = "sms";
  private static final Logger LOG = LoggerFactory.getLogger(SmsChannelVerticle.class);
  private static final long REFRESH_MS = 5000;

  private final Platform platform;
  private final Map<UUID, SmsProvider> providers = new HashMap<>();
  private final Map<UUID, Sender> senders = new HashMap<>();
  private final Map<UUID, SendWindow> windows = new HashMap<>();

  /** Each loaded sender's window and circuit gauges, removed with the sender. */
  private final Map<UUID, AutoCloseable> gauges = new HashMap<>();

  /** Messages handed over by the engine whose outcome is not recorded yet. */
  private final Set<UUID> held = new HashSet<>();

  private SenderStore senderStore;
  private ReceiptBatcher receipts;
  private OutcomeRecorder outcomes;
  private SmppReceiver receiver;
  private Inbound inbound;

  public SmsChannelVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    senderStore = new SenderStore(platform.pool());
    inbound = new Inbound(platform.pool(), platform.config().sms());
    receipts =
        new ReceiptBatcher(
            context,
            new MessageQueueStore(platform.pool()),
            this::sharingAccount,
            platform.metrics());
    outcomes =
        new OutcomeRecorder(
            new MessageQueueStore(platform.pool()), platform.config().engine(), platform.metrics());
    // Messages held here longer than the stale limit (a slow provider, a small window) must not be
    // requeued by the engine's stale sweep while they are still going to be sent.
    MessageQueueStore queue = new MessageQueueStore(platform.pool());
    vertx.setPeriodic(
        Math.max(1000, platform.config().engine().staleSending().toMillis() / 3),
        id ->
            queue
                .touch(List.copyOf(held))
                .onFailure(
                    err -> LOG.warn("Could not refresh held messages: {}", err.getMessage())));
    receiver =
        new SmppReceiver(
            new SmppReceiver.Sink() {
              @Override
              public CompletableFuture<Void> receipt(
                  UUID senderId, MessageQueueStore.Receipt receipt) {
                return receipts.add(senderId, receipt);
              }

              @Override
              public CompletableFuture<Void> inbound(
                  UUID senderId, String from, String to, String text) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                context.runOnContext(
                    v ->
                        storeInbound(senderId, from, to, text)
                            .onSuccess(x -> done.complete(null))
                            .onFailure(done::completeExceptionally));
                return done;
              }
            });
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    vertx.eventBus().<JsonObject>consumer(Addresses.SMS_SEND, this::send);
    vertx
        .eventBus()
        .<String>consumer(
            Addresses.SMS_STATUS,
            message -> {
              SmsProvider provider = providers.get(UUID.fromString(message.body()));
              message.reply(
                  provider == null
                      ? new JsonObject().put("connection", "not_loaded")
                      : provider.status());
            });
    vertx.eventBus().<String>consumer(Addresses.SENDERS_CHANGED, message -> refresh());
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.SMS_RECEIPT,
            message -> {
              JsonObject r = message.body();
              receipts
                  .add(
                      UUID.fromString(r.getString("sender_id")),
                      new MessageQueueStore.Receipt(
                          r.getString("provider_id"),
                          r.getBoolean("delivered"),
                          r.getString("status"),
                          r.getString("error_code")))
                  .whenComplete(
                      (v, err) -> {
                        if (err == null) {
                          message.reply("stored");
                        } else {
                          message.fail(500, String.valueOf(err.getMessage()));
                        }
                      });
            });
    vertx.setPeriodic(REFRESH_MS, id -> refresh());
    return refresh();
  }

  private void send(Message<JsonObject> request) {
    UUID senderId = UUID.fromString(request.body().getString("sender_id"));
    List<OutboundSms> batch =
        request.body().getJsonArray("messages").stream()
            .map(o -> OutboundSms.fromJson((JsonObject) o))
            .toList();
    SmsProvider provider = providers.get(senderId);
    SendWindow window = windows.get(senderId);
    List<Future<SendOutcome>> results = new ArrayList<>(batch.size());
    batch.forEach(m -> held.add(m.id()));
    for (OutboundSms m : batch) {
      if (provider == null || window == null) {
        SendOutcome paused =
            SendOutcome.of(
                m.id(),
                SendOutcome.Kind.PAUSED,
                "sender_not_loaded",
                "the SMS channel has not connected this sender yet");
        results.add(outcomes.record(senderId, m, paused).map(paused));
        continue;
      }
      // The slot is held until the outcome is recorded: see SendWindow.
      results.add(
          window
              .acquire()
              .compose(
                  slot ->
                      // (through compose, a provider that throws still ends in the recover below,
                      // so the slot is always released)
                      Future.<Void>succeededFuture()
                          .compose(v -> provider.send(m))
                          .recover(
                              err ->
                                  Future.succeededFuture(
                                      SendOutcome.of(
                                          m.id(),
                                          SendOutcome.Kind.RETRY,
                                          "channel_error",
                                          String.valueOf(err.getMessage()))))
                          .compose(outcome -> outcomes.record(senderId, m, outcome).map(outcome))
                          .andThen(done -> window.release())));
    }
    // Answered once every outcome is recorded, so the engine's in-flight count stays honest.
    Future.join(results)
        .onComplete(
            done -> {
              batch.forEach(m -> held.remove(m.id()));
              JsonArray reply = new JsonArray();
              long unrecorded = results.stream().filter(Future::failed).count();
              results.stream()
                  .filter(Future::succeeded)
                  .forEach(f -> reply.add(f.result().toJson()));
              if (unrecorded > 0) {
                LOG.warn(
                    "Sender {}: {} outcomes could not be recorded; they are requeued when stale",
                    senderId,
                    unrecorded);
              }
              request.reply(reply);
            });
  }

  /**
   * Stores an MO message (acting on STOP/START/HELP) and wakes the engine if a reply was queued.
   */
  private Future<Void> storeInbound(UUID senderId, String from, String to, String text) {
    Sender sender = senders.get(senderId);
    if (sender == null) {
      return Future.failedFuture("unknown sender " + senderId);
    }
    String ourNumber = to == null || to.isEmpty() ? sender.from() : to;
    return inbound
        .store(sender.accountId(), senderId, from, ourNumber, text)
        .map(
            result -> {
              if (result.replyQueued()) {
                vertx.eventBus().publish(Addresses.MESSAGES_QUEUED, senderId.toString());
              }
              return null;
            });
  }

  /**
   * The loaded senders that use the same provider account as {@code senderId} (itself included).
   */
  private List<UUID> sharingAccount(UUID senderId) {
    Sender sender = senders.get(senderId);
    if (sender == null) {
      return List.of(senderId);
    }
    String key = accountKey(sender);
    List<UUID> ids = new ArrayList<>();
    senders
        .values()
        .forEach(
            s -> {
              if (accountKey(s).equals(key)) {
                ids.add(s.id());
              }
            });
    return ids;
  }

  /** What identifies a provider account: an SMPP login at an SMSC, a Twilio account, a device. */
  static String accountKey(Sender s) {
    JsonObject c = s.settings();
    return switch (s.provider()) {
      case "smpp" ->
          "smpp|"
              + c.getString("host")
              + "|"
              + c.getInteger("port")
              + "|"
              + c.getString("system_id");
      case "twilio" -> "twilio|" + c.getString("account_sid");
      default -> s.provider() + "|" + s.id();
    };
  }

  /** Opens providers for new or changed senders and closes those of removed ones. */
  private Future<Void> refresh() {
    return senderStore
        .allActive("sms")
        .compose(
            all -> {
              Set<UUID> seen = new HashSet<>();
              List<Future<Void>> work = new ArrayList<>();
              for (Sender sender : all) {
                seen.add(sender.id());
                Sender known = senders.get(sender.id());
                if (known != null && known.updatedAt().equals(sender.updatedAt())) {
                  continue;
                }
                SmsProvider old = providers.remove(sender.id());
                if (old != null) {
                  work.add(old.close());
                }
                unregister(sender.id());
                SmsProvider provider = create(sender);
                senders.put(sender.id(), sender);
                if (provider != null) {
                  providers.put(sender.id(), provider);
                  SendWindow window = new SendWindow(provider.window());
                  windows.put(sender.id(), window);
                  register(sender.id(), window, provider);
                  work.add(provider.start());
                }
              }
              for (UUID gone : new ArrayList<>(senders.keySet())) {
                if (!seen.contains(gone)) {
                  senders.remove(gone);
                  windows.remove(gone);
                  unregister(gone);
                  SmsProvider provider = providers.remove(gone);
                  if (provider != null) {
                    work.add(provider.close());
                  }
                }
              }
              return Future.join(work).mapEmpty();
            });
  }

  private void register(UUID senderId, SendWindow window, SmsProvider provider) {
    if (provider instanceof GuardedProvider guarded) {
      gauges.put(
          senderId,
          platform
              .metrics()
              .smsSender(senderId, window::inUse, window.size(), guarded::circuitState));
    }
  }

  private void unregister(UUID senderId) {
    AutoCloseable registration = gauges.remove(senderId);
    if (registration != null) {
      try {
        registration.close();
      } catch (Exception e) {
        LOG.debug("Removing the gauges of sender {} failed", senderId, e);
      }
    }
  }

  private SmsProvider create(Sender sender) {
    SmsProvider provider =
        switch (sender.provider()) {
          case "smpp" -> new SmppProvider(sender, context, receiver);
          case "twilio" ->
              new TwilioProvider(
                  sender, context, TwilioWebhooks.statusUrl(platform.publicUrl(), sender.id()));
          case "android" -> new AndroidProvider(sender, context);
          default -> null;
        };
    if (provider == null) {
      LOG.warn("Sender {} uses unknown provider {}", sender.id(), sender.provider());
      return null;
    }
    return new GuardedProvider(vertx, sender.id().toString(), provider);
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    providers.values().forEach(p -> closing.add(p.close()));
    providers.clear();
    new ArrayList<>(gauges.keySet()).forEach(this::unregister);
    return Future.join(closing);
  }
}
