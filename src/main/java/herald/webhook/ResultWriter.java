package herald.webhook;

import herald.platform.database.GroupCommit;
import herald.platform.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records attempts through a {@link GroupCommit}: one {@code unnest} statement per flush, at most
 * two flushes under way and at most {@code webhooks.batch_size} results in one, so results arriving
 * meanwhile wait and make the next batch larger (the busier the dispatcher, the fewer transactions
 * per attempt; an idle one writes at once). The pumps whose results were written are woken
 * afterwards (an ordered endpoint claims its next delivery only once the previous one is recorded).
 * If a write fails, the deliveries' leases run out and they are attempted again: at least once,
 * never lost. Used from its dispatcher's event loop.
 */
final class ResultWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ResultWriter.class);

  /** One result and the pump that made it. */
  private record Pending(DeliveryStore.Result result, EndpointPump pump) {}

  private final DeliveryStore store;
  private final Metrics metrics;
  private final GroupCommit<Boolean, Pending, Void> group;

  ResultWriter(Context context, DeliveryStore store, int batchSize, Metrics metrics) {
    this.store = store;
    this.metrics = metrics;
    this.group =
        new GroupCommit<>(
            context,
            new GroupCommit.Options(Duration.ZERO, 2, batchSize, false),
            (all, batch) -> write(batch));
  }

  /**
   * Queues one attempt's result; the future completes once it is recorded, or once its write failed
   * (then its lease runs out and it is attempted again). Never fails.
   */
  Future<Void> add(DeliveryStore.Result result, EndpointPump pump) {
    return group.submit(Boolean.TRUE, new Pending(result, pump)).otherwiseEmpty();
  }

  private Future<Void> write(List<Pending> batch) {
    return store
        .record(batch.stream().map(Pending::result).toList())
        .onSuccess(
            v -> {
              Set<EndpointPump> woken = new LinkedHashSet<>();
              batch.forEach(
                  p -> {
                    metrics.webhookAttempt(outcome(p.result().status()), p.result().latencyMs());
                    woken.add(p.pump());
                  });
              woken.forEach(EndpointPump::recorded);
            })
        .onFailure(
            err ->
                LOG.warn(
                    "Recording {} webhook attempts failed; they will be retried after their lease:"
                        + " {}",
                    batch.size(),
                    err.getMessage()));
  }

  /** A delivery's state after an attempt, as the metric's outcome. */
  private static String outcome(String status) {
    return switch (status) {
      case "succeeded" -> "succeeded";
      case "pending" -> "retrying";
      default -> "failed";
    };
  }
}
