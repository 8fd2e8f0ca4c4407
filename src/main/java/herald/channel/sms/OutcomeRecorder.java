package herald.channel.sms;

import herald.message.MessageQueueStore;
import herald.message.OutboundSms;
import herald.message.SendOutcome;
import herald.platform.config.EngineConfig;
import herald.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records each send's outcome as soon as the provider answers it, in batches: outcomes arriving
 * while a record is under way wait and go into the next one (at most {@value #MAX_IN_FLIGHT} under
 * way, one transaction per sender each). Recording as the answers come, rather than once a whole
 * engine batch is done, keeps the messages a crash could send twice (submitted, not yet recorded)
 * to about the provider's window, and lets most receipts find their message already sent.
 *
 * <p>Used on the channel verticle's event loop only.
 */
final class OutcomeRecorder {
  private static final int MAX_IN_FLIGHT = 2;
  private static final int MAX_BATCH = 2000;

  private record Pending(
      UUID senderId, OutboundSms message, SendOutcome outcome, Promise<Void> recorded) {}

  private final MessageQueueStore queue;
  private final EngineConfig config;
  private final Metrics metrics;
  private final List<Pending> waiting = new ArrayList<>();
  private int inFlight;

  OutcomeRecorder(MessageQueueStore queue, EngineConfig config, Metrics metrics) {
    this.queue = queue;
    this.config = config;
    this.metrics = metrics;
  }

  /** Completes once the outcome (sent, requeued or failed, with its event) is committed. */
  Future<Void> record(UUID senderId, OutboundSms message, SendOutcome outcome) {
    Pending pending = new Pending(senderId, message, outcome, Promise.promise());
    waiting.add(pending);
    flush();
    return pending.recorded().future();
  }

  private void flush() {
    if (inFlight >= MAX_IN_FLIGHT || waiting.isEmpty()) {
      return;
    }
    List<Pending> taken = new ArrayList<>(waiting.subList(0, Math.min(MAX_BATCH, waiting.size())));
    waiting.subList(0, taken.size()).clear();
    Map<UUID, List<Pending>> bySender = new LinkedHashMap<>();
    taken.forEach(p -> bySender.computeIfAbsent(p.senderId(), k -> new ArrayList<>()).add(p));
    inFlight++;
    List<Future<Void>> records = new ArrayList<>();
    bySender.forEach(
        (senderId, batch) ->
            records.add(
                queue
                    .record(
                        senderId,
                        batch.stream().map(Pending::outcome).toList(),
                        batch.stream().map(Pending::message).toList(),
                        config.maxAttempts(),
                        config::backoff)
                    .onSuccess(settled -> count(senderId, batch, settled))
                    .<Void>mapEmpty()
                    .onComplete(
                        done ->
                            batch.forEach(
                                p -> {
                                  if (done.succeeded()) {
                                    p.recorded().complete();
                                  } else {
                                    p.recorded().fail(done.cause());
                                  }
                                }))));
    Future.join(records)
        .onComplete(
            done -> {
              inFlight--;
              flush();
            });
  }

  /** Counts the committed transitions of one sender's batch. */
  private void count(UUID senderId, List<Pending> batch, List<MessageQueueStore.Settled> settled) {
    int sent = 0;
    int requeued = 0;
    int failed = 0;
    for (Pending p : batch) {
      if (p.outcome().kind() == SendOutcome.Kind.SENT) {
        sent++;
      } else if (MessageQueueStore.givesUp(
          p.outcome(), p.message().attempts(), config.maxAttempts())) {
        failed++;
      } else {
        requeued++;
      }
    }
    metrics.messages("sms", senderId, "sent", sent);
    metrics.messages("sms", senderId, "requeued", requeued);
    metrics.messages("sms", senderId, "failed", failed);
    SmsMetrics.settled(metrics, settled);
  }
}
