package herald.sim;

import herald.platform.config.SimulatorConfig;
import herald.sim.smpp.SmscConfig;
import herald.sim.smpp.SmscSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol simulators of the default run: an SMPP SMSC on loopback, so a fresh install sends
 * real SMPP with no provider set up (Herald wires a sender to it: see {@code
 * herald.SimulatorSender}).
 */
public final class Simulators {
  private static final Logger LOG = LoggerFactory.getLogger(Simulators.class);

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

  public Future<Void> close() {
    return vertx.executeBlocking(
        () -> {
          smsc.close();
          return null;
        });
  }
}
