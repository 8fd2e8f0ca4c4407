package herald.channel.sms;

import herald.message.MessageQueueStore;
import herald.platform.metrics.Metrics;
import java.util.List;

/** What the SMS channel reports about receipts, in one place. */
final class SmsMetrics {
  private SmsMetrics() {}

  /** Counts messages settled by receipts (delivered, undelivered) and records their lag. */
  static void settled(Metrics metrics, List<MessageQueueStore.Settled> settled) {
    for (MessageQueueStore.Settled s : settled) {
      metrics.messages("sms", s.senderId(), s.status(), 1);
      metrics.receiptLag("sms", s.senderId(), s.lagSeconds());
    }
  }
}
