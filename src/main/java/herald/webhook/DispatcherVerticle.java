package herald.webhook;

import herald.event.EventQueue;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook dispatch, the webhook consumer of the event queue ({@link EventQueue#WEBHOOKS}). Every
 * instance fans queued events out to delivery rows (claimed with SKIP LOCKED, so instances and
 * nodes share the work) when it is woken by {@link Addresses#EVENTS_APPENDED}, which every outbox
 * commit publishes, and otherwise only on a slow safety sweep ({@code webhooks.fan_out_sweep_ms})
 * for wake-ups that never came (a crash between commit and publish, or events written by another
 * node). Each endpoint is delivered to by exactly one instance ({@link #ownerOf}), through an
 * {@link EndpointPump}. Pumps are woken by fan-out, by a sweep for due retries, and by changes made
 * through the API.
 */
public final class DispatcherVerticle extends VerticleBase {
  public static final String GROUP = "webhook-dispatcher";
  private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);
  private static final long SWEEP_MS = 1000;

  private final Platform platform;
  private final int index;
  private final int instances;
  private final Map<UUID, Future<EndpointPump>> pumps = new HashMap<>();
  private WebhookConfig config;
  private DeliveryStore deliveries;
  private EndpointStore endpoints;
  private Courier courier;
  private Targets targets;
  private ResultWriter writer;
  private boolean stopping;
  private boolean fanningOut;
  private boolean wokenWhileFanningOut;

  /** Deliveries made already leased, handed to the instance that owns their endpoint. */
  record Handoff(UUID endpointId, List<DeliveryStore.Claimed> deliveries) {}

  /**
   * @param index this instance's number, 0..instances-1
   */
  public DispatcherVerticle(Platform platform, int index, int instances) {
    this.platform = platform;
    this.index = index;
    this.instances = instances;
  }

  @Override
  public Future<?> start() {
    config = platform.config().webhooks();
    deliveries = new DeliveryStore(platform.pool());
    endpoints = new EndpointStore(platform.pool());
    courier = new Courier(vertx, config.maxInFlightPerEndpoint(), platform.version());
    targets = new Targets(vertx, config.allowPrivateTargets());
    writer = new ResultWriter(vertx, deliveries, config.batchSize(), platform.metrics());
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    vertx
        .eventBus()
        .<JsonArray>consumer(
            Addresses.WEBHOOKS_DUE,
            message -> message.body().forEach(id -> wake(UUID.fromString((String) id))));
    vertx
        .eventBus()
        .<String>consumer(
            Addresses.WEBHOOKS_CHANGED, message -> changed(UUID.fromString(message.body())));
    vertx
        .eventBus()
        .<Handoff>localConsumer(
            Addresses.webhookHandoff(index),
            message -> accept(message.body().endpointId(), message.body().deliveries()));
    vertx.eventBus().localConsumer(Addresses.EVENTS_APPENDED, message -> fanOut());
    long sweep = config.fanOutSweep().toMillis();
    vertx.setPeriodic(sweep / 2 + index * 37L, sweep, t -> fanOut());
    vertx.setPeriodic(SWEEP_MS / 2 + index * 37L, SWEEP_MS, t -> sweep());
    fanOut();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    pumps
        .values()
        .forEach(
            p ->
                p.onSuccess(
                    pump -> {
                      if (pump != null) {
                        pump.stop();
                      }
                    }));
    // Attempts already made are recorded; requests still on the wire are abandoned and, their
    // leases running out, made again after the restart.
    return writer
        .flush()
        .eventually(
            () -> {
              courier.close();
              return Future.succeededFuture();
            });
  }

  /**
   * The instance that delivers to this endpoint: the one ownership decision. A hash of its id for
   * now; the cluster-wide lease ({@code herald.platform.cluster.Ownership}) replaces it here.
   */
  private int ownerOf(UUID endpointId) {
    return Math.floorMod(endpointId.hashCode(), instances);
  }

  private boolean owns(UUID endpointId) {
    return ownerOf(endpointId) == index;
  }

  /**
   * Moves queued events to delivery rows, batch after batch until the queue is empty. One run at a
   * time per instance: a wake-up during a run makes it go once more, since the run's statement may
   * have started before the waking commit.
   */
  private void fanOut() {
    if (stopping) {
      return;
    }
    if (fanningOut) {
      wokenWhileFanningOut = true;
      return;
    }
    fanningOut = true;
    wokenWhileFanningOut = false;
    deliveries
        .fanOut(config.batchSize(), EndpointPump.LEASE_MARGIN_SECONDS)
        .onComplete(
            ar -> {
              fanningOut = false;
              boolean again = wokenWhileFanningOut;
              if (ar.succeeded()) {
                ar.result().leased().forEach(this::handOff);
                Collection<UUID> due = ar.result().due();
                if (!due.isEmpty()) {
                  JsonArray ids = new JsonArray();
                  due.forEach(id -> ids.add(id.toString()));
                  vertx.eventBus().publish(Addresses.WEBHOOKS_DUE, ids);
                }
                again |= ar.result().events() >= config.batchSize();
              } else if (!stopping) {
                // the next wake-up or sweep tries again
                LOG.warn("Webhook fan-out failed: {}", ar.cause().getMessage());
                again = false;
              }
              if (again) {
                vertx.runOnContext(v -> fanOut());
              }
            });
  }

  /** Gives deliveries made already leased to the instance that owns their endpoint. */
  private void handOff(UUID endpointId, List<DeliveryStore.Claimed> claimed) {
    int owner = ownerOf(endpointId);
    if (owner == index) {
      accept(endpointId, claimed);
      return;
    }
    vertx.eventBus().send(Addresses.webhookHandoff(owner), new Handoff(endpointId, claimed));
  }

  private void accept(UUID endpointId, List<DeliveryStore.Claimed> claimed) {
    if (stopping) {
      return; // their leases run out and they are claimed again
    }
    pump(endpointId)
        .onSuccess(
            pump -> {
              if (pump != null) {
                pump.accept(claimed);
              }
            });
  }

  /** Wakes the pumps of endpoints with retries now due. */
  private void sweep() {
    if (stopping) {
      return;
    }
    reportCircuits();
    deliveries
        .dueEndpoints()
        .onSuccess(due -> due.forEach(this::wake))
        .onFailure(err -> LOG.debug("Webhook sweep failed: {}", err.getMessage()));
  }

  /** Counts this instance's endpoint circuits by state for the metrics. */
  private void reportCircuits() {
    Map<String, Integer> byState = new HashMap<>();
    pumps
        .values()
        .forEach(
            p -> {
              if (p.succeeded() && p.result() != null) {
                byState.merge(p.result().circuitState(), 1, Integer::sum);
              }
            });
    platform.metrics().webhookCircuits(index, byState);
  }

  private void wake(UUID endpointId) {
    if (!owns(endpointId) || stopping) {
      return;
    }
    pump(endpointId)
        .onSuccess(
            pump -> {
              if (pump != null) {
                pump.wake();
              }
            });
  }

  /** The endpoint's pump, loading the endpoint on first use; null when it does not exist. */
  private Future<EndpointPump> pump(UUID endpointId) {
    Future<EndpointPump> known = pumps.get(endpointId);
    if (known != null && !known.failed()) {
      return known;
    }
    Future<EndpointPump> loading =
        endpoints
            .byId(endpointId)
            .map(
                endpoint -> {
                  if (endpoint == null) {
                    pumps.remove(endpointId);
                    return null;
                  }
                  return new EndpointPump(
                      vertx, config, endpoint, deliveries, endpoints, courier, targets, writer);
                });
    pumps.put(endpointId, loading);
    return loading;
  }

  private void changed(UUID endpointId) {
    if (!owns(endpointId)) {
      return;
    }
    Future<EndpointPump> known = pumps.get(endpointId);
    if (known == null) {
      wake(endpointId);
      return;
    }
    known.onComplete(
        ar ->
            endpoints
                .byId(endpointId)
                .onSuccess(
                    endpoint -> {
                      EndpointPump pump = ar.succeeded() ? ar.result() : null;
                      if (endpoint == null) {
                        if (pump != null) {
                          pump.stop();
                        }
                        pumps.remove(endpointId);
                      } else if (pump != null) {
                        pump.update(endpoint);
                      } else {
                        pumps.remove(endpointId);
                        wake(endpointId);
                      }
                    }));
  }
}
