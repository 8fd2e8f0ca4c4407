package herald.webhook;

import herald.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records attempts in batches: one statement per {@code batchSize} results or per few milliseconds,
 * whichever comes first. The pumps whose results were written are woken afterwards (an ordered
 * endpoint claims its next delivery only once the previous one is recorded). If a write fails, the
 * deliveries' leases run out and they are attempted again: at least once, never lost. Used from one
 * event loop only.
 */
final class ResultWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ResultWriter.class);
  private static final long LINGER_MS = 5;

  private final Vertx vertx;
  private final DeliveryStore store;
  private final int batchSize;
  private final Metrics metrics;
  private List<DeliveryStore.Result> results = new ArrayList<>();
  private Set<EndpointPump> pumps = new LinkedHashSet<>();
  private boolean scheduled;

  ResultWriter(Vertx vertx, DeliveryStore store, int batchSize, Metrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.store = store;
    this.batchSize = batchSize;
  }

  void add(DeliveryStore.Result result, EndpointPump pump) {
    results.add(result);
    pumps.add(pump);
    if (results.size() >= batchSize) {
      flush();
    } else if (!scheduled) {
      scheduled = true;
      vertx.setTimer(LINGER_MS, t -> flush());
    }
  }

  /** Writes what is pending now; completes when it is recorded (or the write failed). */
  Future<Void> flush() {
    scheduled = false;
    if (results.isEmpty()) {
      return Future.succeededFuture();
    }
    List<DeliveryStore.Result> batch = results;
    Set<EndpointPump> woken = pumps;
    results = new ArrayList<>();
    pumps = new LinkedHashSet<>();
    return store
        .record(batch)
        .onSuccess(
            v -> {
              batch.forEach(r -> metrics.webhookAttempt(outcome(r.status()), r.latencyMs()));
              woken.forEach(EndpointPump::recorded);
            })
        .onFailure(
            err ->
                LOG.warn(
                    "Recording {} webhook attempts failed; they will be retried after their lease:"
                        + " {}",
                    batch.size(),
                    err.getMessage()))
        .otherwiseEmpty();
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
