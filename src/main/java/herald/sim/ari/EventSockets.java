package herald.sim.ari;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ari/events} WebSockets by application. An application is registered while it has a
 * socket; a second socket for the same application replaces the first ({@code ApplicationReplaced},
 * then close), as in Asterisk. Events for an application without a socket are lost, as they are
 * when a real application is disconnected.
 *
 * <p>Used on the simulator's event loop only; {@link #count()} may be read from any thread.
 */
final class EventSockets {
  private static final Logger LOG = LoggerFactory.getLogger(EventSockets.class);

  private record Socket(ServerWebSocket ws, HttpConnection connection, Set<String> apps) {}

  private final String asteriskId;
  private final Map<String, Socket> byApp = new ConcurrentHashMap<>();

  EventSockets(String asteriskId) {
    this.asteriskId = asteriskId;
  }

  /** Registers {@code apps} on a freshly upgraded socket. */
  void register(ServerWebSocket ws, HttpConnection connection, Set<String> apps) {
    Socket socket = new Socket(ws, connection, apps);
    for (String app : apps) {
      Socket old = byApp.put(app, socket);
      if (old != null && old != socket) {
        send(old, event("ApplicationReplaced", app));
        old.apps().remove(app);
        if (old.apps().isEmpty()) {
          old.ws().close();
        }
      }
    }
    ws.closeHandler(v -> apps.forEach(app -> byApp.remove(app, socket)));
    ws.exceptionHandler(e -> LOG.debug("ARI events socket failed: {}", e.toString()));
    // Asterisk ignores what a client writes on the events socket.
    ws.handler(buffer -> {});
    LOG.debug("ARI events socket registered for {}", apps);
  }

  boolean registered(String app) {
    return app != null && byApp.containsKey(app);
  }

  Set<String> apps() {
    return Set.copyOf(byApp.keySet());
  }

  int count() {
    return (int) byApp.values().stream().distinct().count();
  }

  /** The envelope of an event: type, application, timestamp, and the system's id. */
  JsonObject event(String type, String app) {
    return new JsonObject()
        .put("type", type)
        .put("timestamp", AriTime.now())
        .put("application", app)
        .put("asterisk_id", asteriskId);
  }

  /** Sends an event made by {@link #event} (and completed by the caller) to its application. */
  void emit(JsonObject event) {
    Socket socket = byApp.get(event.getString("application"));
    if (socket != null) {
      send(socket, event);
    }
  }

  /**
   * Drops the TCP connection of every socket (of {@code app} only, when not null) without a close
   * frame, as a network failure would.
   *
   * @return how many sockets were dropped
   */
  int drop(String app) {
    List<Socket> victims = new ArrayList<>();
    for (Map.Entry<String, Socket> entry : byApp.entrySet()) {
      if ((app == null || entry.getKey().equals(app)) && !victims.contains(entry.getValue())) {
        victims.add(entry.getValue());
      }
    }
    for (Socket socket : victims) {
      socket.apps().forEach(a -> byApp.remove(a, socket));
      socket.connection().close();
    }
    return victims.size();
  }

  /** Closes every socket normally (simulator shutdown). */
  void closeAll() {
    byApp.values().stream().distinct().forEach(s -> s.ws().close());
    byApp.clear();
  }

  private static void send(Socket socket, JsonObject event) {
    if (!socket.ws().isClosed()) {
      socket.ws().writeTextMessage(event.encode());
    }
  }
}
