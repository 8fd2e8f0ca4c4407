package herald.sender;

import herald.platform.ReadCache;
import herald.platform.database.Rows;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL about senders. */
public final class SenderStore {
  private static final String COLUMNS =
      "id, account_id, name, channel, provider, settings, secrets, rate_per_second, is_default,"
          + " is_active, created_at, updated_at";

  /** Send-path reads (see {@link #getCached}); cleared by every write below. */
  private static final ReadCache<String, Sender> CACHE = new ReadCache<>(2000);

  private final Pool pool;

  public SenderStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a sender; making it the default first clears the account's previous default. */
  public static Future<Sender> insert(SqlClient tx, Sender s) {
    CACHE.clear();
    Future<Void> cleared =
        s.isDefault() ? clearDefault(tx, s.accountId(), s.channel()) : Future.succeededFuture();
    return cleared.compose(
        v ->
            tx.preparedQuery(
                    "INSERT INTO senders (id, account_id, name, channel, provider, settings, secrets,"
                        + " rate_per_second, is_default) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                        + " RETURNING "
                        + COLUMNS)
                .execute(
                    Tuple.from(
                        new Object[] {
                          s.id(),
                          s.accountId(),
                          s.name(),
                          s.channel(),
                          s.provider(),
                          s.settings(),
                          s.secrets(),
                          s.ratePerSecond(),
                          s.isDefault()
                        }))
                .map(rows -> Rows.first(rows, Sender::from)));
  }

  public static Future<Sender> update(SqlClient tx, Sender s) {
    CACHE.clear();
    Future<Void> cleared =
        s.isDefault() ? clearDefault(tx, s.accountId(), s.channel()) : Future.succeededFuture();
    return cleared.compose(
        v ->
            tx.preparedQuery(
                    "UPDATE senders SET name = $3, settings = $4, secrets = $5, rate_per_second = $6,"
                        + " is_default = $7, is_active = $8, updated_at = now()"
                        + " WHERE account_id = $1 AND id = $2 RETURNING "
                        + COLUMNS)
                .execute(
                    Tuple.from(
                        new Object[] {
                          s.accountId(),
                          s.id(),
                          s.name(),
                          s.settings(),
                          s.secrets(),
                          s.ratePerSecond(),
                          s.isDefault() && s.active(),
                          s.active()
                        }))
                .map(rows -> Rows.first(rows, Sender::from)));
  }

  private static Future<Void> clearDefault(SqlClient tx, UUID accountId, String channel) {
    return tx.preparedQuery(
            "UPDATE senders SET is_default = false, updated_at = now()"
                + " WHERE account_id = $1 AND channel = $2 AND is_default")
        .execute(Tuple.of(accountId, channel))
        .mapEmpty();
  }

  public Future<Sender> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM senders WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Sender::from));
  }

  public static Future<Sender> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "SELECT " + COLUMNS + " FROM senders WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Sender::from));
  }

  /** The account's sender named {@code name} (active or not), or null. */
  public Future<Sender> byName(UUID accountId, String name) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM senders WHERE account_id = $1 AND name = $2 LIMIT 1")
        .execute(Tuple.of(accountId, name))
        .map(rows -> Rows.first(rows, Sender::from));
  }

  /** Any account's sender by id, for provider callbacks that name it (verified by signature). */
  public Future<Sender> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM senders WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Sender::from));
  }

  /**
   * The first active sender of {@code provider} whose public settings contain {@code match}, for
   * provider callbacks (a Twilio number by account SID and number).
   */
  public Future<Sender> activeBySettings(String provider, JsonObject match) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM senders WHERE is_active AND provider = $1 AND settings @> $2"
                + " ORDER BY id LIMIT 1")
        .execute(Tuple.of(provider, match))
        .map(rows -> Rows.first(rows, Sender::from));
  }

  /**
   * {@link #get} for the send path, served from a process-wide cache for up to 2 s. Writes through
   * this store clear it at once; {@link #changedElsewhere()} for changes made otherwise.
   */
  public Future<Sender> getCached(UUID accountId, UUID id) {
    return CACHE.get(accountId + "/" + id, () -> get(accountId, id));
  }

  /** {@link #defaultFor} for the send path, cached as {@link #getCached} is. */
  public Future<Sender> defaultForCached(UUID accountId, String channel) {
    return CACHE.get(accountId + "/default/" + channel, () -> defaultFor(accountId, channel));
  }

  /** Drops cached senders after a change made without this store. */
  public static void changedElsewhere() {
    CACHE.clear();
  }

  /** The account's default active sender for a channel, or null. */
  public Future<Sender> defaultFor(UUID accountId, String channel) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM senders"
                + " WHERE account_id = $1 AND channel = $2 AND is_default AND is_active")
        .execute(Tuple.of(accountId, channel))
        .map(rows -> Rows.first(rows, Sender::from));
  }

  public Future<List<Sender>> list(UUID accountId, PageRequest page) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM senders WHERE account_id = $1"
                + " AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(accountId, page.after(), page.limit() + 1))
        .map(rows -> Rows.map(rows, Sender::from));
  }

  /** Every active sender of every account and channel: what the outbound lanes serve. */
  public Future<List<Sender>> allActive() {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM senders WHERE is_active")
        .execute()
        .map(rows -> Rows.map(rows, Sender::from));
  }

  /** Queue depth and in-flight count, for the status route. */
  public Future<io.vertx.core.json.JsonObject> traffic(UUID senderId) {
    return pool.preparedQuery(
            "SELECT"
                + " (SELECT count(*) FROM messages WHERE sender_id = $1 AND status = 'queued') AS queued,"
                + " (SELECT count(*) FROM messages WHERE sender_id = $1 AND status = 'sending') AS in_flight")
        .execute(Tuple.of(senderId))
        .map(
            rows -> {
              var row = rows.iterator().next();
              return new io.vertx.core.json.JsonObject()
                  .put("queue_depth", row.getLong("queued"))
                  .put("in_flight", row.getLong("in_flight"));
            });
  }
}
