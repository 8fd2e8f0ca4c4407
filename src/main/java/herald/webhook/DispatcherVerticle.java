package herald.webhook;

import herald.event.EventQueue;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.cluster.Ownership;
import herald.platform.config.WebhookConfig;
import herald.platform.database.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.shareddata.LocalMap;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook dispatch, the webhook consumer of the event queue ({@link EventQueue#WEBHOOKS}). Every
 * instance fans queued events out to delivery rows (claimed with SKIP LOCKED, so instances and
 * nodes share the work) when it is woken by {@link Addresses#EVENTS_APPENDED}, which every outbox
 * commit publishes, and otherwise only on a slow safety sweep ({@code webhooks.fan_out_sweep_ms})
 * for wake-ups that never came (a crash between commit and publish, or events written by another
 * node).
 *
 * <p>Each active endpoint is delivered to by exactly one instance in the whole cluster, through an
 * {@link Ownership} lease of kind {@value #KIND} (keys: endpoint ids), which runs its {@link
 * EndpointPump}. The instances of this process publish what they own in a local map, so the fan-out
 * hands deliveries it made already leased straight to the owning instance here (by its owner id);
 * deliveries to endpoints owned on another node are made due instead, and that node's owner finds
 * them with its sweep of its own endpoints' due deliveries (every {@value #SWEEP_MS} ms), which
 * also wakes pumps for due retries. Pumps are further woken by fan-out and by changes made through
 * the API.
 */
public final class DispatcherVerticle extends VerticleBase {
  public static final String GROUP = "webhook-dispatcher";

  /** The {@link Ownership} kind of webhook endpoints; keys are endpoint ids. */
  public static final String KIND = "webhook-endpoint";

  private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);

  /**
   * How often an instance looks for due deliveries of the endpoints it owns: retries come due, and
   * deliveries made due by a fan-out on another node. One index probe per owned endpoint.
   */
  static final long SWEEP_MS = 250;

  /** Endpoint id to the owner id of the instance of this process that owns it. */
  private static final String LOCAL_OWNERS = "herald.webhooks.owners";

  /**
   * Endpoint id to how many more leased deliveries its pump in this process can take, which each
   * pump keeps current (its {@code advertise}); the fan-out leases no more than that.
   */
  private static final String LOCAL_ROOM = "herald.webhooks.room";

  private final Platform platform;
  private final int index;
  private final Map<UUID, Future<EndpointPump>> pumps = new HashMap<>();
  private WebhookConfig config;
  private DeliveryStore deliveries;
  private EndpointStore endpoints;
  private Courier courier;
  private Targets targets;
  private ResultWriter writer;
  private Ownership ownership;
  private LocalMap<String, String> localOwners;
  private LocalMap<String, Integer> localRoom;
  private boolean stopping;
  private boolean fanningOut;
  private boolean wokenWhileFanningOut;

  /** Deliveries made already leased, handed to the instance that owns their endpoint. */
  record Handoff(UUID endpointId, List<DeliveryStore.Claimed> deliveries) {}

  /**
   * @param index this instance's number, 0..instances-1, for its metrics
   */
  public DispatcherVerticle(Platform platform, int index) {
    this.platform = platform;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    config = platform.config().webhooks();
    deliveries = new DeliveryStore(platform.pool());
    endpoints = new EndpointStore(platform.pool());
    courier = new Courier(vertx, config.maxInFlightPerEndpoint(), platform.version());
    targets = new Targets(vertx, config.allowPrivateTargets());
    writer = new ResultWriter(context, deliveries, config.batchSize(), platform.metrics());
    localOwners = vertx.sharedData().getLocalMap(LOCAL_OWNERS);
    localRoom = vertx.sharedData().getLocalMap(LOCAL_ROOM);
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
                return endpoints.activeIds();
              }

              @Override
              public void gained(String key) {
                localOwners.put(key, ownership.owner());
                wake(UUID.fromString(key));
              }

              @Override
              public Future<Void> lost(String key) {
                localOwners.remove(key, ownership.owner());
                Future<EndpointPump> pump = pumps.remove(UUID.fromString(key));
                return pump == null
                    ? Future.succeededFuture()
                    : pump.transform(
                        ar ->
                            ar.succeeded() && ar.result() != null
                                ? ar.result().stop()
                                : Future.succeededFuture());
              }
            });
    vertx
        .eventBus()
        .<JsonArray>consumer(
            Addresses.WEBHOOKS_DUE,
            message -> message.body().forEach(id -> wake(UUID.fromString((String) id))));
    vertx
        .eventBus()
        .<String>consumer(
            Addresses.WEBHOOKS_CHANGED,
            message -> {
              ownership.refresh(); // an endpoint created, enabled, disabled or deleted
              changed(UUID.fromString(message.body()));
            });
    vertx
        .eventBus()
        .<Handoff>localConsumer(
            Addresses.webhookHandoff(ownership.owner()),
            message -> accept(message.body().endpointId(), message.body().deliveries()));
    vertx
        .eventBus()
        .localConsumer(
            Addresses.EVENTS_APPENDED,
            message -> {
              if (Outbox.queuedAny(message.body())) {
                fanOut();
              }
            });
    long sweep = config.fanOutSweep().toMillis();
    vertx.setPeriodic(sweep / 2 + index * 37L, sweep, t -> fanOut());
    vertx.setPeriodic(SWEEP_MS / 2 + index * 37L, SWEEP_MS, t -> sweep());
    fanOut();
    return Future.succeededFuture();
  }

  /**
   * Hands every endpoint back (each pump stops, its requests on the wire end and their attempts are
   * recorded, within {@code cluster.renew_interval_ms}), so other owners take them at once.
   * Requests still on the wire after that are abandoned; their deliveries' leases run out and they
   * are made again by the next owner.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    return ownership
        .close()
        .eventually(
            () -> {
              courier.close();
              return Future.succeededFuture();
            });
  }

  private boolean owns(UUID endpointId) {
    return ownership.owns(endpointId.toString());
  }

  /**
   * The endpoints owned by the instances of this process, with the room their pumps have (0 for one
   * not loaded yet: its deliveries are made due, and it claims them once it runs).
   */
  private Map<UUID, Integer> roomHere() {
    Map<UUID, Integer> room = new HashMap<>();
    localOwners
        .keySet()
        .forEach(id -> room.put(UUID.fromString(id), localRoom.getOrDefault(id, 0)));
    return room;
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
        .fanOut(config.batchSize(), EndpointPump.LEASE_MARGIN_SECONDS, roomHere())
        .onComplete(
            ar -> {
              fanningOut = false;
              boolean again = wokenWhileFanningOut;
              if (ar.succeeded()) {
                // Taken from the room until the pump says again what it has, so another instance's
                // fan-out meanwhile does not lease the same room twice.
                ar.result()
                    .leased()
                    .forEach(
                        (id, claimed) ->
                            localRoom.computeIfPresent(
                                id.toString(), (k, room) -> Math.max(0, room - claimed.size())));
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

  /**
   * Gives deliveries made already leased to the instance of this process that owns their endpoint.
   * If none does any more (it was handed over meanwhile), they are made due again for the new
   * owner.
   */
  private void handOff(UUID endpointId, List<DeliveryStore.Claimed> claimed) {
    String owner = localOwners.get(endpointId.toString());
    if (owner == null) {
      giveBack(endpointId, claimed);
    } else if (owner.equals(ownership.owner())) {
      accept(endpointId, claimed);
    } else {
      vertx.eventBus().send(Addresses.webhookHandoff(owner), new Handoff(endpointId, claimed));
    }
  }

  private void accept(UUID endpointId, List<DeliveryStore.Claimed> claimed) {
    if (stopping || !owns(endpointId)) {
      giveBack(endpointId, claimed);
      return;
    }
    pump(endpointId)
        .onSuccess(
            pump -> {
              if (pump != null) {
                pump.accept(claimed);
              }
            });
  }

  /** Makes deliveries due again at once and wakes this process's owner of the endpoint, if any. */
  private void giveBack(UUID endpointId, List<DeliveryStore.Claimed> claimed) {
    deliveries
        .release(claimed.stream().map(DeliveryStore.Claimed::id).toList(), Instant.now())
        .onSuccess(
            v ->
                vertx
                    .eventBus()
                    .publish(Addresses.WEBHOOKS_DUE, new JsonArray().add(endpointId.toString())))
        .onFailure(
            err ->
                LOG.warn(
                    "Giving back {} deliveries of {} failed (their lease runs out): {}",
                    claimed.size(),
                    endpointId,
                    err.getMessage()));
  }

  /** Wakes the pumps of endpoints with retries now due. */
  private void sweep() {
    if (stopping) {
      return;
    }
    reportCircuits();
    deliveries
        .dueEndpoints(ownership.owned().stream().map(UUID::fromString).toList())
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

  /**
   * The endpoint's pump, loading the endpoint on first use; null when it does not exist or this
   * instance no longer owns it.
   */
  private Future<EndpointPump> pump(UUID endpointId) {
    Future<EndpointPump> known = pumps.get(endpointId);
    if (known != null && !known.failed()) {
      return known;
    }
    Promise<EndpointPump> loading = Promise.promise();
    pumps.put(endpointId, loading.future());
    endpoints
        .byId(endpointId)
        .map(
            endpoint -> {
              if (endpoint == null || !owns(endpointId)) {
                pumps.remove(endpointId, loading.future());
                return (EndpointPump) null;
              }
              return new EndpointPump(
                  vertx,
                  config,
                  endpoint,
                  deliveries,
                  endpoints,
                  courier,
                  targets,
                  writer,
                  localRoom);
            })
        .onComplete(loading);
    return loading.future();
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
                        pumps.remove(endpointId, known);
                      } else if (pump != null) {
                        pump.update(endpoint);
                      } else {
                        pumps.remove(endpointId, known);
                        wake(endpointId);
                      }
                    }));
  }
}
