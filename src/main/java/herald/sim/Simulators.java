package herald.sim;

import herald.platform.config.SimulatorConfig;
import herald.sim.llm.LlmSimConfig;
import herald.sim.llm.LlmSimulator;
import herald.sim.smpp.SmscConfig;
import herald.sim.smpp.SmscSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol simulators of the default run: an SMPP SMSC on loopback, so a fresh install sends
 * real SMPP with no provider set up (Herald wires a sender to it: see {@code
 * herald.SimulatorSender}), and an OpenAI-compatible model server (Herald wires a default AI agent
 * to it: see {@code herald.SimulatorAgent}).
 */
public final class Simulators {
  private static final Logger LOG = LoggerFactory.getLogger(Simulators.class);

  private final Vertx vertx;

  /** The Bearer token the model simulator of the default run accepts (loopback only). */
  public static final String LLM_API_KEY = "sk-herald-simulator";

  private final SmscSimulator smsc;
  private volatile LlmSimulator llm;

  private Simulators(Vertx vertx, SmscSimulator smsc) {
    this.vertx = vertx;
    this.smsc = smsc;
  }

  /**
   * Starts the SMSC (blocking socket set-up, on a worker thread), then the model simulator; fails
   * if either cannot listen.
   */
  public static Future<Simulators> start(Vertx vertx, SimulatorConfig config) {
    return startSmsc(vertx, config)
        .compose(
            sims ->
                LlmSimulator.start(
                        vertx,
                        LlmSimConfig.loopback(LLM_API_KEY)
                            .withPort(config.llmPort())
                            .withLatency(config.llmLatency()))
                    .map(
                        llm -> {
                          sims.llm = llm;
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

  /** The OpenAI-compatible model simulator. */
  public LlmSimulator llm() {
    return llm;
  }

  public Future<Void> close() {
    Future<Void> model = llm == null ? Future.succeededFuture() : llm.close();
    return model.eventually(
        () ->
            vertx.executeBlocking(
                () -> {
                  smsc.close();
                  return null;
                }));
  }
}
