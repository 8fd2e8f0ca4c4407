package herald.monitoring;

import herald.platform.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of {@code GET /monitoring/stream}: the account's committed call and campaign events as
 * server-sent events. It reads the outbox's {@code events} table, so it only ever sees what has
 * committed; it looks again whenever an outbox write on this node commits ({@link
 * Addresses#EVENTS_APPENDED}) and every second (for events written on other nodes). Each read goes
 * back {@value #WINDOW_MS} ms before the newest event seen and skips the ids already sent, so an
 * event whose transaction committed a little after a later one is still sent. A client that does
 * not keep up (its write queue full) is disconnected; it may reconnect with {@code Last-Event-ID}
 * (delivery is then at least once: events of up to the window before that id may come again). A new
 * stream starts with the events that commit after it connected.
 */
final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  static final long WINDOW_MS = 5000;
  private static final long POLL_MS = 1000;
  private static final long HEARTBEAT_MS = 15_000;
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final MonitoringStore store;
  private final HttpServerResponse response;
  private final UUID accountId;
  private final String[] patterns;
  private final Map<UUID, OffsetDateTime> sent = new LinkedHashMap<>();
  private OffsetDateTime since;
  private MessageConsumer<Object> appended;
  private long poller = -1;
  private long heartbeat = -1;
  private boolean reading;
  private boolean again;
  private boolean closed;

  /** A new stream sends the events written from its start on (null when resuming). */
  private OffsetDateTime floor;

  EventStream(
      Vertx vertx,
      MonitoringStore store,
      HttpServerResponse response,
      UUID accountId,
      String[] patterns,
      OffsetDateTime since) {
    this.vertx = vertx;
    this.store = store;
    this.response = response;
    this.accountId = accountId;
    this.patterns = patterns;
    this.since = since;
  }

  /** Sends the headers and starts following the events. */
  void start(UUID lastSent) {
    if (lastSent != null) {
      sent.put(lastSent, since);
    } else {
      floor = since;
    }
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> close());
    response.exceptionHandler(err -> close());
    response.write("retry: 2000\n: herald monitoring stream\n\n");
    appended = vertx.eventBus().localConsumer(Addresses.EVENTS_APPENDED, message -> read());
    poller = vertx.setPeriodic(POLL_MS, id -> read());
    heartbeat =
        vertx.setPeriodic(
            HEARTBEAT_MS,
            id -> {
              if (!closed) {
                response.write(": keep-alive\n\n");
              }
            });
    read();
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (appended != null) {
      appended.unregister();
    }
    vertx.cancelTimer(poller);
    vertx.cancelTimer(heartbeat);
  }

  /** One read at a time; a wake-up during one reads again right after. */
  private void read() {
    if (closed) {
      return;
    }
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    store
        .events(accountId, patterns, since.minusNanos(WINDOW_MS * 1_000_000), BATCH)
        .onComplete(
            done -> {
              reading = false;
              if (done.failed()) {
                LOG.debug("Monitoring stream read failed: {}", done.cause().getMessage());
              } else if (write(done.result())) {
                again = true; // a full batch: more may be waiting
              }
              if (again && !closed) {
                read();
              }
            });
  }

  /** Writes the events not sent yet; answers whether the batch was full. */
  private boolean write(java.util.List<MonitoringStore.StreamEvent> events) {
    int fresh = 0;
    for (MonitoringStore.StreamEvent e : events) {
      if (closed) {
        return false;
      }
      if (e.at().isAfter(since)) {
        since = e.at();
      }
      if (sent.containsKey(e.id())) {
        continue;
      }
      sent.put(e.id(), e.at());
      fresh++;
      if (floor != null && e.at().isBefore(floor)) {
        continue; // written before the stream started
      }
      JsonObject payload =
          new JsonObject()
              .put("id", e.id().toString())
              .put("type", e.type())
              .put("subject_id", e.subjectId() == null ? null : e.subjectId().toString())
              .put("created_at", e.at().toInstant().toString())
              .put("data", e.data());
      response.write(
          "id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + payload.encode() + "\n\n");
      if (response.writeQueueFull()) {
        LOG.info("Monitoring stream client of account {} too slow: disconnected", accountId);
        close();
        response.reset();
        return false;
      }
    }
    OffsetDateTime horizon = since.minusNanos(2 * WINDOW_MS * 1_000_000);
    for (Iterator<OffsetDateTime> it = sent.values().iterator(); it.hasNext(); ) {
      if (it.next().isBefore(horizon)) {
        it.remove();
      } else {
        break;
      }
    }
    return events.size() == BATCH && fresh > 0;
  }
}
