package herald.platform.config;

/**
 * The campaign engine.
 *
 * @param instances campaign engine verticle instances; each campaign is run by exactly one
 * @param batchSize most recipients turned into messages in one transaction
 * @param lookaheadMs how far ahead of its pace a campaign queues messages (each with its own slot
 *     time, so the stream stays smooth); also bounds what a pause holds back
 * @param snapshotChunk contacts copied into a starting campaign's audience per transaction
 * @param pricePerSegment the cost estimate's price of one SMS segment, in {@code currency}
 * @param currency the cost estimate's currency
 */
public record CampaignConfig(
    int instances,
    int batchSize,
    int lookaheadMs,
    int snapshotChunk,
    double pricePerSegment,
    String currency) {

  static CampaignConfig from(ConfigNode node) {
    String currency = node.string("currency");
    if (!currency.matches("[A-Z]{3}")) {
      throw new ConfigException(
          node.key("currency"), "must be a three-letter ISO 4217 code, got '" + currency + "'");
    }
    return new CampaignConfig(
        node.integer("instances", 1, 64),
        node.integer("batch_size", 1, 5000),
        node.integer("lookahead_ms", 50, 10_000),
        node.integer("snapshot_chunk", 100, 1_000_000),
        node.decimal("price_per_segment", 0, 1_000_000),
        currency);
  }
}
