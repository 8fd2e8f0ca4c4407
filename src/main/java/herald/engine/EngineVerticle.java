package herald.engine;

import herald.message.MessageQueueStore;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
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
 * The send engine: paces every active SMS sender it owns with a {@link SenderPump}. With several
 * instances each sender belongs to exactly one (by a hash of its id), so a sender's rate is never
 * exceeded; claiming with {@code SKIP LOCKED} keeps even an overlap from sending anything twice.
 * Also requeues messages a crashed process left in flight.
 */
public final class EngineVerticle extends VerticleBase {
  public static final String GROUP = "engine";
  private static final Logger LOG = LoggerFactory.getLogger(EngineVerticle.class);
  private static final long REFRESH_MS = 5000;

  private final Platform platform;
  private final int index;
  private final int instances;
  private final Map<UUID, SenderPump> pumps = new HashMap<>();
  private MessageQueueStore queue;
  private SenderStore senders;

  /**
   * @param index this instance's number, 0..instances-1
   */
  public EngineVerticle(Platform platform, int index, int instances) {
    this.platform = platform;
    this.index = index;
    this.instances = instances;
  }

  @Override
  public Future<?> start() {
    queue = new MessageQueueStore(platform.pool());
    senders = new SenderStore(platform.pool());
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    vertx.eventBus().<String>consumer(Addresses.SENDERS_CHANGED, message -> refresh());
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
                if (Math.floorMod(sender.id().hashCode(), instances) != index) {
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
    pumps.values().forEach(SenderPump::stop);
    return Future.succeededFuture();
  }
}
