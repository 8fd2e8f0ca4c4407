package herald.outbound;

import herald.call.CallQueueStore;
import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.ProviderContext;
import herald.channel.ProviderType;
import herald.channel.SendOutcome;
import herald.channel.registry.Channels;
import herald.channel.voice.Voice;
import herald.inbound.BusSink;
import herald.inbound.InboundPipeline;
import herald.inbound.OptOutKeywords;
import herald.message.MessageQueueStore;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.cluster.Ownership;
import herald.routing.InboundRouter;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound lanes of the senders this instance owns, of every channel. Each sender's lane runs
 * in exactly one lane verticle in the whole cluster, through an {@link Ownership} lease of kind
 * {@value #KIND} (keys: active sender ids), so its rate holds and its provider account is bound
 * once however many nodes run; when a node dies, its lanes move to the others within {@code
 * cluster.lease_ms}. The verticle is also the one registry of senders (all active ones, for account
 * sharing; lanes for the owned ones), the one writer of send outcomes ({@link OutcomeRecorder}) and
 * an inbound sink ({@link InboundPipeline}) for what its providers receive. Also refreshes the
 * messages its lanes hold and takes back messages a crashed process left in flight.
 */
public final class LaneVerticle extends VerticleBase {
  public static final String GROUP = "lanes";

  /** The {@link Ownership} kind of lanes; keys are sender ids. */
  public static final String KIND = "lane";

  private static final Logger LOG = LoggerFactory.getLogger(LaneVerticle.class);
  private static final long REFRESH_MS = 5000;

  private final Platform platform;
  private final int index;
  private Ownership ownership;

  /** Every active sender, by id (for account sharing and inbound messages). */
  private final Map<UUID, Sender> senders = new HashMap<>();

  /**
   * Each sender's {@link #sharingAccount} answer, asked for by every receipt: kept until the
   * senders are loaded again.
   */
  private final Map<UUID, List<UUID>> sharing = new HashMap<>();

  /** The lanes this instance runs. */
  private final Map<UUID, Lane> lanes = new HashMap<>();

  /** Each lane's window and circuit gauges, and its status consumer; removed with the lane. */
  private final Map<UUID, AutoCloseable> registrations = new HashMap<>();

  private MessageQueueStore queue;
  private SenderStore senderStore;
  private OutcomeRecorder outcomes;
  private InboundPipeline inbound;
  private CallQueueStore calls;

  /**
   * @param index this instance's number on this node (spreads the stale sweeps)
   */
  public LaneVerticle(Platform platform, int index) {
    this.platform = platform;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    queue = new MessageQueueStore(platform.pool());
    senderStore = new SenderStore(platform.pool());
    calls = new CallQueueStore(platform.pool());
    inbound =
        new InboundPipeline(
            context,
            platform.pool(),
            new InboundPipeline.Senders() {
              @Override
              public ChannelSender get(UUID id) {
                Sender s = senders.get(id);
                return s == null ? null : s.toChannelSender();
              }

              @Override
              public Future<ChannelSender> load(UUID id) {
                ChannelSender known = get(id);
                if (known != null) {
                  return Future.succeededFuture(known);
                }
                return senderStore
                    .byId(id)
                    .map(s -> s == null || !s.active() ? null : s.toChannelSender());
              }

              @Override
              public List<UUID> sharingAccount(UUID id) {
                return LaneVerticle.this.sharingAccount(id);
              }
            },
            platform.metrics(),
            List.of(new OptOutKeywords(platform.config().sms()), new InboundRouter()));
    outcomes =
        new OutcomeRecorder(
            context,
            queue,
            platform.config().engine(),
            platform.metrics(),
            this::channelOf,
            inbound.settledCounter());
    ownership =
        Ownership.start(
            vertx,
            platform.pool(),
            platform.config().cluster(),
            KIND,
            GROUP,
            new Ownership.Listener() {
              @Override
              public Future<Set<String>> candidates() {
                return senderStore.allActive().map(LaneVerticle::ids);
              }

              @Override
              public void gained(String key) {
                refresh();
              }

              @Override
              public Future<Void> lost(String key) {
                return close(UUID.fromString(key));
              }
            });
    var bus = vertx.eventBus();
    bus.consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    bus.<String>consumer(
        Addresses.SENDERS_CHANGED,
        message -> {
          ownership.refresh(); // a new sender's lane needs an owner
          refresh();
        });
    bus.<String>consumer(
        Addresses.MESSAGES_QUEUED,
        message -> {
          Lane lane = lanes.get(UUID.fromString(message.body()));
          if (lane != null) {
            lane.wake();
          }
        });
    bus.<JsonObject>localConsumer(
        Addresses.INBOUND_RECEIPT,
        message ->
            inbound
                .receipt(
                    UUID.fromString(message.body().getString("sender_id")),
                    BusSink.receiptOf(message.body()))
                .whenComplete((v, err) -> answer(message, err)));
    bus.<JsonObject>localConsumer(
        Addresses.INBOUND_STATUS,
        message ->
            inbound
                .status(
                    UUID.fromString(message.body().getString("sender_id")),
                    BusSink.statusOf(message.body()))
                .whenComplete(
                    (applied, err) -> {
                      if (err == null) {
                        message.reply(applied);
                      } else {
                        answer(message, err);
                      }
                    }));
    bus.<JsonObject>localConsumer(
        Addresses.INBOUND_MESSAGE,
        message ->
            inbound
                .inbound(BusSink.messageOf(message.body()))
                .whenComplete((v, err) -> answer(message, err)));
    vertx.setPeriodic(REFRESH_MS, id -> refresh());
    long stale = platform.config().engine().staleSending().toMillis();
    // Messages held here longer than the stale limit (a slow provider, a small window) must not be
    // requeued by the stale sweep while they are still going to be sent.
    vertx.setPeriodic(Math.max(1000, stale / 3), id -> touchHeld());
    vertx.setPeriodic(index * 997L + 1000, Math.max(1000, stale / 2), id -> sweepStale(stale));
    return refresh();
  }

  private static void answer(io.vertx.core.eventbus.Message<?> message, Throwable err) {
    if (err == null) {
      message.reply("stored");
    } else {
      message.fail(500, String.valueOf(err.getMessage()));
    }
  }

  private void touchHeld() {
    List<UUID> held = new ArrayList<>();
    lanes.values().forEach(lane -> held.addAll(lane.held()));
    queue
        .touch(held)
        .onFailure(err -> LOG.warn("Could not refresh held messages: {}", err.getMessage()));
  }

  private void sweepStale(long staleMs) {
    queue
        .requeueStale(platform.config().engine().staleSending())
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.warn("Took back {} messages left in flight for over {} s", n, staleMs / 1000);
              }
            });
  }

  private String channelOf(UUID senderId) {
    Sender sender = senders.get(senderId);
    return sender == null ? Channels.DEFAULT_CHANNEL : sender.channel();
  }

  /**
   * The active senders that use the same provider account as {@code senderId} (itself included).
   */
  private List<UUID> sharingAccount(UUID senderId) {
    return sharing.computeIfAbsent(senderId, this::findSharingAccount);
  }

  private List<UUID> findSharingAccount(UUID senderId) {
    Sender sender = senders.get(senderId);
    if (sender == null) {
      return List.of(senderId);
    }
    String key = Channels.accountKey(sender.toChannelSender());
    List<UUID> ids = new ArrayList<>();
    senders
        .values()
        .forEach(
            s -> {
              if (Channels.accountKey(s.toChannelSender()).equals(key)) {
                ids.add(s.id());
              }
            });
    return List.copyOf(ids);
  }

  /**
   * Loads every active sender; opens lanes for new or changed senders this instance owns, and
   * closes those of removed, changed or no longer owned ones.
   */
  private Future<Void> refresh() {
    return senderStore
        .allActive()
        .compose(
            all -> {
              Map<UUID, Sender> fresh = new HashMap<>();
              all.forEach(s -> fresh.put(s.id(), s));
              List<Future<Void>> work = new ArrayList<>();
              for (UUID id : new ArrayList<>(lanes.keySet())) {
                Sender now = fresh.get(id);
                Sender before = senders.get(id);
                if (now == null
                    || !ownership.owns(id.toString())
                    || before == null
                    || !sameConnection(before, now)) {
                  work.add(close(id));
                } else if (before.ratePerSecond() != now.ratePerSecond()) {
                  lanes.get(id).setRate(now.ratePerSecond()); // no reconnect for a new rate
                }
              }
              senders.clear();
              senders.putAll(fresh);
              sharing.clear();
              for (Sender sender : all) {
                if (!lanes.containsKey(sender.id()) && ownership.owns(sender.id().toString())) {
                  work.add(open(sender));
                }
              }
              return Future.join(work).mapEmpty();
            });
  }

  private Future<Void> open(Sender sender) {
    ProviderType<?> type = Channels.type(sender.provider());
    if (type == null) {
      LOG.warn("Sender {} uses unknown provider {}", sender.id(), sender.provider());
      return Future.succeededFuture();
    }
    ChannelSender view = sender.toChannelSender();
    Provider provider =
        type.open(new ProviderContext(context, inbound, platform.publicUrl(), calls), view);
    Lane lane =
        new Lane(
            vertx, view, sender.ratePerSecond(), provider, work(view), platform.config().engine());
    lanes.put(sender.id(), lane);
    AutoCloseable gauges =
        platform
            .metrics()
            .senderGauges(
                sender.channel(),
                sender.id(),
                lane.window()::inUse,
                lane.window().size(),
                lane::circuitState);
    MessageConsumer<String> status =
        vertx
            .eventBus()
            .<String>localConsumer(
                Addresses.laneStatus(sender.id()), message -> message.reply(lane.status()));
    registrations.put(
        sender.id(),
        () -> {
          gauges.close();
          status.unregister();
        });
    LOG.info(
        "Lane for sender {} ({}, {}) at {}/s",
        sender.name(),
        sender.id(),
        sender.provider(),
        sender.ratePerSecond());
    return lane.start();
  }

  /**
   * Calls for voice senders (a claim token per lane: see {@link CallQueueStore}), else messages.
   */
  private LaneWork work(ChannelSender sender) {
    if (Voice.CHANNEL.equals(sender.channel())) {
      UUID token = UUID.randomUUID();
      return new LaneWork() {
        @Override
        public Future<List<OutboundItem>> claim(UUID senderId, int max) {
          return calls.claim(senderId, token, max);
        }

        @Override
        public Future<Void> record(UUID senderId, OutboundItem item, SendOutcome outcome) {
          return calls.end(item, outcome);
        }

        @Override
        public boolean longSends() {
          return true;
        }
      };
    }
    return new LaneWork() {
      @Override
      public Future<List<OutboundItem>> claim(UUID senderId, int max) {
        return queue.claim(senderId, max);
      }

      @Override
      public Future<Void> record(UUID senderId, OutboundItem item, SendOutcome outcome) {
        return outcomes.record(senderId, item, outcome);
      }
    };
  }

  private Future<Void> close(UUID senderId) {
    AutoCloseable registration = registrations.remove(senderId);
    if (registration != null) {
      try {
        registration.close();
      } catch (Exception e) {
        LOG.debug("Removing the registrations of sender {} failed", senderId, e);
      }
    }
    Lane lane = lanes.remove(senderId);
    // drained within 80 % of the time Ownership waits for a released lane
    // (cluster.renew_interval_ms)
    long drainMs = platform.config().cluster().renewInterval().toMillis() * 4 / 5;
    return lane == null ? Future.succeededFuture() : lane.stop(drainMs);
  }

  /** Whether a changed sender still connects the same way (else its lane is reopened). */
  private static boolean sameConnection(Sender before, Sender now) {
    return before.provider().equals(now.provider())
        && before.settings().equals(now.settings())
        && before.secrets().equals(now.secrets());
  }

  private static Set<String> ids(List<Sender> senders) {
    Set<String> ids = new HashSet<>();
    senders.forEach(s -> ids.add(s.id().toString()));
    return ids;
  }

  /**
   * Drains and closes every lane and hands the senders back, so another node takes them at once.
   */
  @Override
  public Future<?> stop() {
    return ownership
        .close()
        .compose(
            v -> {
              List<Future<Void>> closing = new ArrayList<>();
              new ArrayList<>(lanes.keySet()).forEach(id -> closing.add(close(id)));
              return Future.join(closing);
            });
  }
}
