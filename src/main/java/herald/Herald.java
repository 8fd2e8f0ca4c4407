package herald;

import herald.account.Bootstrap;
import herald.agent.AgentWorkerVerticle;
import herald.campaign.CampaignVerticle;
import herald.contact.ImportVerticle;
import herald.outbound.LaneVerticle;
import herald.phone.PhoneNumbers;
import herald.platform.Platform;
import herald.platform.bus.LocalCodec;
import herald.platform.config.HeraldConfig;
import herald.platform.config.SimulatorConfig;
import herald.platform.config.StartFailure;
import herald.platform.database.Database;
import herald.platform.database.SettingsStore;
import herald.platform.metrics.Metrics;
import herald.platform.security.Passwords;
import herald.platform.security.Tokens;
import herald.sim.Simulators;
import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.sim.whatsapp.WhatsAppSimConfig;
import herald.sim.whatsapp.WhatsAppSimulator;
import herald.webhook.DispatcherVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Herald: the database (embedded or external), the shared services, and every verticle
 * group deployed with its configured instance count. {@link Main} runs one per process; tests start
 * one per test class against their own database.
 */
public final class Herald {
  private static final Logger LOG = LoggerFactory.getLogger(Herald.class);

  private final Vertx vertx;
  private final Database database;
  private final Platform platform;
  private final List<String> deployments = Collections.synchronizedList(new ArrayList<>());
  private volatile Simulators simulators;
  private volatile WhatsAppSimulator whatsappSimulator;
  private volatile AriSimulator ariSimulator;

  /** The ARI user and password of the default run's ARI simulator. */
  static final String ARI_SIM_USER = "herald";

  private Future<Void> stopping;

  private Herald(Vertx vertx, Database database, Platform platform) {
    this.vertx = vertx;
    this.database = database;
    this.platform = platform;
  }

  /**
   * Opens the database, bootstraps the first admin, and deploys the verticles. The verticles deploy
   * while PostgreSQL starts; the API answers 503 until the database is ready and bootstrapped.
   */
  public static Future<Herald> start(Vertx vertx, HeraldConfig config) {
    return start(vertx, config, java.time.Clock.systemUTC());
  }

  /** {@link #start(Vertx, HeraldConfig)} with the clock campaign schedules follow. */
  public static Future<Herald> start(Vertx vertx, HeraldConfig config, java.time.Clock clock) {
    return start(vertx, config, clock, Metrics.create());
  }

  /**
   * {@link #start(Vertx, HeraldConfig, java.time.Clock)} reporting to {@code metrics}; Vert.x's own
   * metrics (HTTP routes, the SQL pool) are included when {@code vertx} was built by {@link
   * Metrics#newVertx()}.
   */
  public static Future<Herald> start(
      Vertx vertx, HeraldConfig config, java.time.Clock clock, Metrics metrics) {
    long began = System.nanoTime();
    LocalCodec.install(vertx);
    try {
      StartFailure.requireFreePort("http.port", config.http().host(), config.http().port());
      if (config.simulators().enabled()) {
        StartFailure.requireFreePort(
            "simulators.smpp_port", "127.0.0.1", config.simulators().smppPort());
        StartFailure.requireFreePort(
            "simulators.llm_port", "127.0.0.1", config.simulators().llmPort());
      }
    } catch (StartFailure e) {
      return Future.failedFuture(e);
    }
    Database database =
        Database.open(
            vertx, config.database(), config.dataDir(), System.getenv("HERALD_DATA_DIR") != null);
    Passwords passwords = new Passwords(vertx, config.passwords().bcryptCost());
    Tokens tokens = new Tokens(vertx, config.jwt());
    Platform platform = Platform.create(config, database.pool(), tokens, passwords, clock, metrics);
    Herald herald = new Herald(vertx, database, platform);
    Future<Void> prepared =
        database
            .ready()
            .compose(
                v ->
                    config.jwt().secret() != null
                        ? Future.succeededFuture(config.jwt().secret())
                        : new SettingsStore(database.pool())
                            .getOrCreate("jwt_secret", Herald::randomSecret))
            .compose(
                key -> {
                  tokens.useKey(key);
                  return Bootstrap.ensurePlatformAccount(
                      database.pool(), passwords, config.admin());
                })
            .compose(v -> herald.startSimulators())
            .compose(
                v ->
                    vertx.executeBlocking(
                        () -> {
                          PhoneNumbers.warmUp();
                          return null;
                        }))
            .compose(v -> herald.deployPipeline());
    return Future.all(herald.deploy(), prepared)
        .map(
            v -> {
              if (herald.whatsappSimulator != null) {
                WhatsAppSimulatorSender.route(herald.whatsappSimulator, herald.port());
              }
              platform.started().set(true);
              LOG.debug("started in {} ms", (System.nanoTime() - began) / 1_000_000);
              return herald;
            })
        .recover(err -> herald.stop().transform(x -> Future.failedFuture(err)));
  }

  private Future<Void> deploy() {
    int httpInstances = platform.config().http().instances();
    return deploy(HousekeepingVerticle.GROUP, 1, () -> new HousekeepingVerticle(platform))
        .compose(v -> deploy(MetricsSampler.GROUP, 1, () -> new MetricsSampler(platform)))
        .compose(v -> deploy(HttpVerticle.GROUP, httpInstances, () -> new HttpVerticle(platform)));
  }

  /** Starts the protocol simulators when enabled and wires the default sender to them. */
  private Future<Void> startSimulators() {
    if (!platform.config().simulators().enabled()) {
      return Future.succeededFuture();
    }
    SimulatorConfig config = platform.config().simulators();
    return Simulators.start(vertx, config)
        .recover(
            err ->
                Future.failedFuture(
                    StartFailure.listening(
                        "simulators.smpp_port", "127.0.0.1", config.smppPort(), err)))
        .compose(
            sims -> {
              simulators = sims;
              return SimulatorSender.wire(vertx, platform.pool(), sims.smsc().port())
                  .compose(
                      v ->
                          SimulatorAgent.wire(
                              platform.pool(),
                              sims.llm().baseUrl(),
                              sims.llm().models().get(0),
                              sims.llm().apiKey()));
            })
        .compose(
            v ->
                WhatsAppSimulator.start(
                        vertx,
                        WhatsAppSimConfig.defaults().toBuilder()
                            .port(config.whatsappPort())
                            .build())
                    .recover(
                        err ->
                            Future.failedFuture(
                                StartFailure.listening(
                                    "simulators.whatsapp_port",
                                    "127.0.0.1",
                                    config.whatsappPort(),
                                    err))))
        .compose(
            sim -> {
              whatsappSimulator = sim;
              return WhatsAppSimulatorSender.wire(vertx, platform.pool(), sim);
            })
        .compose(v -> startAriSimulator(config));
  }

  /**
   * The ARI simulator of the default run (user and password {@value #ARI_SIM_USER}): calls ring 2
   * s, one in ten is busy and one in ten rings out; answered callees hang up after 20 s. The
   * platform account's voice sender is wired to it.
   */
  private Future<Void> startAriSimulator(SimulatorConfig config) {
    return AriSimulator.start(
            vertx,
            AriSimConfig.loopback(ARI_SIM_USER, ARI_SIM_USER)
                .withPort(config.ariPort())
                .withCalls(
                    CallScript.answer(Duration.ofSeconds(2), Duration.ofSeconds(20)),
                    0.1,
                    0.1,
                    0.0))
        .recover(
            err ->
                Future.failedFuture(
                    StartFailure.listening(
                        "simulators.ari_port", "127.0.0.1", config.ariPort(), err)))
        .compose(
            ari -> {
              ariSimulator = ari;
              return SimulatorSender.wireVoice(
                  vertx, platform.pool(), ari.baseUrl() + "/ari", ARI_SIM_USER, ARI_SIM_USER);
            });
  }

  /**
   * The verticles that need the database ready: the outbound lanes first, then the campaign engine
   * feeding them, then the webhook dispatchers.
   */
  private Future<Void> deployPipeline() {
    int engines = platform.config().engine().instances();
    AtomicInteger index = new AtomicInteger();
    int campaignEngines = platform.config().campaigns().instances();
    int dispatchers = platform.config().webhooks().dispatcherInstances();
    AtomicInteger dispatcher = new AtomicInteger();
    return deploy(ImportVerticle.GROUP, 1, () -> new ImportVerticle(platform))
        .compose(
            v ->
                deploy(
                    LaneVerticle.GROUP,
                    engines,
                    () -> new LaneVerticle(platform, index.getAndIncrement() % engines)))
        .compose(
            v ->
                deploy(
                    CampaignVerticle.GROUP, campaignEngines, () -> new CampaignVerticle(platform)))
        .compose(
            v ->
                deploy(
                    AgentWorkerVerticle.GROUP,
                    platform.config().agents().workerInstances(),
                    () -> new AgentWorkerVerticle(platform)))
        .compose(
            v ->
                deploy(
                    DispatcherVerticle.GROUP,
                    dispatchers,
                    () ->
                        new DispatcherVerticle(
                            platform, dispatcher.getAndIncrement() % dispatchers)));
  }

  /** The WhatsApp Cloud API simulator, when {@code simulators.enabled}; else null. */
  public WhatsAppSimulator whatsappSimulator() {
    return whatsappSimulator;
  }

  /** The ARI simulator, when {@code simulators.enabled}; else null. */
  public AriSimulator ariSimulator() {
    return ariSimulator;
  }

  /** The protocol simulators, when {@code simulators.enabled}; else null. */
  public Simulators simulators() {
    return simulators;
  }

  private Future<Void> deploy(
      String group, int instances, java.util.function.Supplier<io.vertx.core.Deployable> factory) {
    return vertx
        .deployVerticle(factory, new DeploymentOptions().setInstances(instances))
        .onSuccess(
            id -> {
              deployments.add(id);
              platform.groups().put(group, instances);
              LOG.info("Deployed {} x{}", group, instances);
            })
        .mapEmpty();
  }

  /** The port the HTTP ingress listens on. */
  public int port() {
    return platform.httpPort().get();
  }

  public Platform platform() {
    return platform;
  }

  /**
   * Graceful stop: readiness turns 503, ingress stops accepting and lets in-flight requests finish
   * (bounded by {@code http.shutdown_timeout_seconds}), then the other verticles stop, the pool
   * closes and the embedded PostgreSQL shuts down. Safe to call more than once.
   */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      stopping = doStop();
    }
    return stopping;
  }

  private Future<Void> doStop() {
    platform.draining().set(true);
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain =
          chain.compose(
              v ->
                  vertx
                      .undeploy(id)
                      .recover(
                          err -> {
                            LOG.warn("Undeploying {} failed: {}", id, err.getMessage());
                            return Future.succeededFuture();
                          }));
    }
    return chain
        .eventually(
            () -> whatsappSimulator == null ? Future.succeededFuture() : whatsappSimulator.close())
        .eventually(() -> simulators == null ? Future.succeededFuture() : simulators.close())
        .eventually(() -> ariSimulator == null ? Future.succeededFuture() : ariSimulator.close())
        .eventually(database::close)
        .eventually(
            () -> {
              platform.metrics().close();
              return Future.succeededFuture();
            });
  }

  private static String randomSecret() {
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
