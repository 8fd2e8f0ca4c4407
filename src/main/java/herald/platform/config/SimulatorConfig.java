package herald.platform.config;

import java.time.Duration;

/**
 * The protocol simulators Herald starts on loopback so a fresh install sends for real with no
 * provider.
 *
 * @param enabled start them; on the first start with an empty database a default SMS sender is
 *     wired to the SMPP simulator
 * @param smppPort TCP port of the simulated SMSC (127.0.0.1 only); 0 binds a free port, so two
 *     Herald instances run side by side (the default sender follows the port at each start)
 * @param submitLatency delay before the SMSC answers each submit_sm
 * @param receiptDelay delay before it sends the delivery receipt
 * @param undeliveredPercent share of receipts that report UNDELIV
 * @param whatsappPort HTTP port of the simulated WhatsApp Cloud API (127.0.0.1 only); 0 binds a
 *     free port (the default WhatsApp sender follows it at each start)
 * @param llmPort TCP port of the OpenAI-compatible model simulator (127.0.0.1 only); 0 binds a free
 *     port (the default agent follows the port at each start)
 * @param llmLatency delay before the model simulator answers each request
 * @param ariPort TCP port of the simulated Asterisk REST Interface (127.0.0.1 only); 0 binds a free
 *     port (the default voice sender follows it at each start)
 */
public record SimulatorConfig(
    boolean enabled,
    int smppPort,
    @ConfigKey("submit_latency_ms") Duration submitLatency,
    @ConfigKey("receipt_delay_ms") Duration receiptDelay,
    int undeliveredPercent,
    int whatsappPort,
    int llmPort,
    @ConfigKey("llm_latency_ms") Duration llmLatency,
    int ariPort) {

  static SimulatorConfig from(ConfigNode node) {
    return new SimulatorConfig(
        node.bool("enabled"),
        node.integer("smpp_port", 0, 65535),
        Duration.ofMillis(node.integer("submit_latency_ms", 0, 60_000)),
        Duration.ofMillis(node.integer("receipt_delay_ms", 0, 600_000)),
        node.integer("undelivered_percent", 0, 100),
        node.integer("whatsapp_port", 0, 65535),
        node.integer("llm_port", 0, 65535),
        Duration.ofMillis(node.integer("llm_latency_ms", 0, 600_000)),
        node.integer("ari_port", 0, 65535));
  }
}
