package herald.engine;

import herald.message.MessageQueueStore;
import herald.platform.Addresses;
import herald.platform.Platform;
import herald.platform.cluster.Ownership;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send engine: paces every active SMS sender it owns with a {@link SenderPump}. Each sender
 * belongs to exactly one instance in the whole cluster, through an {@link Ownership} lease of kind
 * {@value #KIND}, so a sender's rate is never exceeded however many nodes run; claiming with {@code
 * SKIP LOCKED} keeps even an overlap from sending anything twice. Also requeues messages a crashed
 * process left in flight.
 */
public final class EngineVerticle extends VerticleBase {
  public static final String GROUP = "engine";

  /** The {@link Ownership} kind of sender lanes; keys are sender ids. */
  public static final String KIND = "lane";

  private static final Logger LOG = LoggerFactory.getLogger(EngineVerticle.class);
  private static final long REFRESH_MS = 5000;

  private final Platform platform;
  private final int index;
  private final Map<UUID, SenderPump> pumps = new HashMap<>();
  private MessageQueueStore queue;
  private SenderStore senders;
  private Ownership ownership;

  /**
   * @param index this instance's number, 0..instances-1 (spreads the stale sweeps)
   */
  public EngineVerticle(Platform platform, int index) {
    this.platform = platform;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    queue = new MessageQueueStore(platform.pool());
    senders = new SenderStore(platform.pool());
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
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
                return senders.allActive("sms").map(EngineVerticle::ids);
              }

              @Override
              public void gained(String key) {
                refresh();
              }

              @Override
              public Future<Void> lost(String key) {
                SenderPump pump = pumps.remove(UUID.fromString(key));
                if (pump != null) {
                  pump.stop();
                }
                return Future.succeededFuture();
              }
            });
    vertx
        .eventBus()
        .<String>consumer(
            Addresses.SENDERS_CHANGED,
            message -> {
              ownership.refresh();
              refresh();
            });
    vertx
        .eventBus()
        .<String>consumer(
            Addresses.MESSAGES_QUEUED,
            message -> {
              SenderPump pump = pumps.get(UUID.fromString(message.body()));
              if (pump != null) {
                pump.wake();
              }
            });
    vertx.setPeriodic(REFRESH_MS, id -> refresh());
    long stale = platform.config().engine().staleSending().toMillis();
    vertx.setPeriodic(
        index * 997L + 1000,
        Math.max(1000, stale / 2),
        id ->
            queue
                .requeueStale(platform.config().engine().staleSending())
                .onSuccess(
                    n -> {
                      if (n > 0) {
                        LOG.warn(
                            "Took back {} messages left in flight for over {} s", n, stale / 1000);
                      }
                    }));
    return refresh();
  }

  /** Owns this instance's share of the active SMS senders; starts, re-rates and stops pumps. */
  private Future<Void> refresh() {
    return senders
        .allActive("sms")
        .map(
            all -> {
              Set<UUID> seen = new HashSet<>();
              for (Sender sender : all) {
                if (!ownership.owns(sender.id().toString())) {
                  continue;
                }
                seen.add(sender.id());
                SenderPump pump = pumps.get(sender.id());
                if (pump == null) {
                  pump =
                      new SenderPump(
                          vertx,
                          sender.id(),
                          sender.ratePerSecond(),
                          queue,
                          platform.config().engine());
                  pumps.put(sender.id(), pump);
                  LOG.info(
                      "Pacing sender {} ({}) at {}/s",
                      sender.name(),
                      sender.id(),
                      sender.ratePerSecond());
                } else {
                  pump.setRate(sender.ratePerSecond());
                }
                pump.wake();
              }
              pumps
                  .entrySet()
                  .removeIf(
                      e -> {
                        if (!seen.contains(e.getKey())) {
                          e.getValue().stop();
                          return true;
                        }
                        return false;
                      });
              return null;
            });
  }

  @Override
  public Future<?> stop() {
    return ownership.close();
  }

  private static Set<String> ids(java.util.List<Sender> all) {
    Set<String> ids = new HashSet<>();
    all.forEach(s -> ids.add(s.id().toString()));
    return ids;
  }
}
