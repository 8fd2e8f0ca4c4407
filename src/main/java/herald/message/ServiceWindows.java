package herald.message;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The customer-service windows of channels that have one (WhatsApp): when each contact last wrote
 * to each sender. All SQL of {@code service_windows}.
 */
public final class ServiceWindows {
  private final Pool pool;

  public ServiceWindows(Pool pool) {
    this.pool = pool;
  }

  /** Records an inbound message from {@code contact} now; part of the storing transaction. */
  public static Future<Void> open(SqlClient tx, UUID senderId, String contact) {
    return tx.preparedQuery(
            "INSERT INTO service_windows (sender_id, contact, last_inbound_at) VALUES ($1, $2, now())"
                + " ON CONFLICT (sender_id, contact) DO UPDATE SET last_inbound_at = now()")
        .execute(Tuple.of(senderId, contact))
        .mapEmpty();
  }

  /**
   * For each of {@code contacts} who wrote to any of {@code senderIds} within {@code window}: those
   * senders (a free-form campaign message goes on one of them).
   */
  public static Future<java.util.Map<String, Set<UUID>>> openAmong(
      SqlClient client, List<UUID> senderIds, List<String> contacts, Duration window) {
    if (contacts.isEmpty() || senderIds.isEmpty()) {
      return Future.succeededFuture(java.util.Map.of());
    }
    return client
        .preparedQuery(
            "SELECT sender_id, contact FROM service_windows WHERE sender_id = ANY($1)"
                + " AND contact = ANY($2) AND last_inbound_at > now() - $3 * interval '1 second'")
        .execute(
            Tuple.of(
                senderIds.toArray(UUID[]::new),
                contacts.toArray(String[]::new),
                window.toSeconds()))
        .map(
            rows -> {
              java.util.Map<String, Set<UUID>> open = new java.util.HashMap<>();
              rows.forEach(
                  row ->
                      open.computeIfAbsent(row.getString("contact"), k -> new HashSet<>())
                          .add(row.getUUID("sender_id")));
              return open;
            });
  }

  /** The contacts among {@code contacts} who wrote to {@code senderId} within {@code window}. */
  public Future<Set<String>> openFor(UUID senderId, List<String> contacts, Duration window) {
    if (contacts.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(
            "SELECT contact FROM service_windows WHERE sender_id = $1 AND contact = ANY($2)"
                + " AND last_inbound_at > now() - $3 * interval '1 second'")
        .execute(Tuple.of(senderId, contacts.toArray(String[]::new), window.toSeconds()))
        .map(
            rows -> {
              Set<String> open = new HashSet<>();
              rows.forEach(row -> open.add(row.getString("contact")));
              return open;
            });
  }
}
