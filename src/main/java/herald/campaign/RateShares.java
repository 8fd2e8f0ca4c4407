package herald.campaign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Divides each sender's rate among the campaigns running on it, by weight, max-min fair: a campaign
 * that wants less than its weighted share (its own rate cap) gets what it wants and the rest is
 * shared among the others. A campaign spread over several senders sends to them in turn, so it runs
 * at its number of senders times its smallest share.
 */
final class RateShares {
  private RateShares() {}

  /**
   * One running campaign's demand.
   *
   * @param cap its own rate cap, or null for as fast as its senders allow
   */
  record Demand(UUID campaignId, List<UUID> senderIds, Double cap, int weight) {}

  /** The rate each campaign may run at, in messages per second. */
  static Map<UUID, Double> allocate(List<Demand> demands, Map<UUID, Integer> senderRates) {
    Map<UUID, List<Demand>> bySender = new HashMap<>();
    for (Demand d : demands) {
      for (UUID s : d.senderIds()) {
        bySender.computeIfAbsent(s, k -> new ArrayList<>()).add(d);
      }
    }
    Map<UUID, Double> smallest = new HashMap<>();
    bySender.forEach(
        (sender, onSender) -> {
          double capacity = senderRates.getOrDefault(sender, 0);
          Map<UUID, Double> shares = waterFill(onSender, capacity);
          shares.forEach((id, share) -> smallest.merge(id, share, Math::min));
        });
    Map<UUID, Double> rates = new HashMap<>();
    for (Demand d : demands) {
      double perSender = smallest.getOrDefault(d.campaignId(), 0.0);
      double rate = perSender * d.senderIds().size();
      rates.put(d.campaignId(), d.cap() == null ? rate : Math.min(rate, d.cap()));
    }
    return rates;
  }

  /** Weighted max-min shares of one sender's {@code capacity}. */
  private static Map<UUID, Double> waterFill(List<Demand> demands, double capacity) {
    Map<UUID, Double> shares = new HashMap<>();
    List<Demand> open = new ArrayList<>(demands);
    double left = capacity;
    while (!open.isEmpty()) {
      double weights = open.stream().mapToDouble(Demand::weight).sum();
      Demand satisfied = null;
      for (Demand d : open) {
        double wants = d.cap() == null ? Double.MAX_VALUE : d.cap() / d.senderIds().size();
        if (wants <= left * d.weight() / weights) {
          satisfied = d;
          shares.put(d.campaignId(), wants);
          left -= wants;
          break;
        }
      }
      if (satisfied == null) {
        for (Demand d : open) {
          shares.put(d.campaignId(), left * d.weight() / weights);
        }
        break;
      }
      open.remove(satisfied);
    }
    return shares;
  }
}
