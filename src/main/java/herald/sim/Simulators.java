package herald.sim;

import herald.platform.config.SimulatorConfig;
import herald.sim.smpp.SmscConfig;
import herald.sim.smpp.SmscSimulator;
import herald.sim.whatsapp.WhatsAppSimConfig;
import herald.sim.whatsapp.WhatsAppSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol simulators of the default run: an SMPP SMSC and the WhatsApp Cloud API on loopback,
 * so a fresh install sends real SMPP and real Cloud API requests with no provider set up (Herald
 * wires a sender to each: see {@code herald.SimulatorSender} and {@code
 * herald.WhatsAppSimulatorSender}).
 */
public final class Simulators {
  private static final Logger LOG = LoggerFactory.getLogger(Simulators.class);

  private final Vertx vertx;
  private final SmscSimulator smsc;
  private volatile WhatsAppSimulator whatsapp;

  private Simulators(Vertx vertx, SmscSimulator smsc) {
    this.vertx = vertx;
    this.smsc = smsc;
  }

  /**
   * Starts the SMSC (blocking socket set-up, on a worker thread), then the WhatsApp Cloud API
   * simulator (its webhooks go nowhere until {@link WhatsAppSimulator#webhookUrl(String)} is set).
   */
  public static Future<Simulators> start(Vertx vertx, SimulatorConfig config) {
    return startSmsc(vertx, config)
        .compose(
            sims ->
                WhatsAppSimulator.start(
                        vertx,
                        WhatsAppSimConfig.defaults().toBuilder()
                            .port(config.whatsappPort())
                            .build())
                    .map(
                        wa -> {
                          sims.whatsapp = wa;
                          return sims;
                        })
                    .recover(err -> sims.close().transform(v -> Future.failedFuture(err))));
  }

  private static Future<Simulators> startSmsc(Vertx vertx, SimulatorConfig config) {
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

  /** The WhatsApp Cloud API simulator. */
  public WhatsAppSimulator whatsapp() {
    return whatsapp;
  }

  public Future<Void> close() {
    Future<Void> wa = whatsapp == null ? Future.succeededFuture() : whatsapp.close();
    return wa.eventually(
        () ->
            vertx.executeBlocking(
                () -> {
                  smsc.close();
                  return null;
                }));
  }
}
