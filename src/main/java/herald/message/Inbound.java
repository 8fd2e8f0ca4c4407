package herald.message;

import herald.blacklist.BlacklistEntry;
import herald.blacklist.BlacklistStore;
import herald.channel.sms.Encoding;
import herald.platform.config.SmsConfig;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Stores an inbound SMS with its {@code message.received} event and acts on opt-out keywords in the
 * same transaction: STOP and its synonyms blacklist the number ({@code blacklist.added}) and queue
 * one confirmation; START takes it off ({@code blacklist.removed}); HELP queues the help text. A
 * repeated STOP confirms nothing: the number is already off the list of people Herald writes to.
 */
public final class Inbound {
  static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
  static final Set<String> START = Set.of("START", "UNSTOP", "YES");
  static final Set<String> HELP = Set.of("HELP", "INFO");

  /** What happened: whether a reply was queued (the caller wakes the engine). */
  public record Result(UUID messageId, String keyword, boolean replyQueued) {}

  private final Pool pool;
  private final SmsConfig config;

  public Inbound(Pool pool, SmsConfig config) {
    this.pool = pool;
    this.config = config;
  }

  /**
   * Stores one inbound message received by a sender.
   *
   * @param ourNumber the number it was sent to (the sender's address)
   */
  public Future<Result> store(
      UUID accountId, UUID senderId, String from, String ourNumber, String text) {
    String keyword = text.trim().toUpperCase(Locale.ROOT);
    UUID id = Ids.newId();
    Encoding encoding = Encoding.detect(text);
    MessageStore.NewMessage message =
        new MessageStore.NewMessage(
            id,
            senderId,
            ourNumber,
            from,
            text,
            encoding,
            encoding.segments(text),
            null,
            null,
            null);
    return pool.withTransaction(
        tx ->
            MessageStore.insert(
                    tx, accountId, "inbound", "received", List.of(message), "message.received")
                .compose(
                    v -> {
                      if (STOP.contains(keyword)) {
                        return optOut(tx, accountId, senderId, from, ourNumber, id);
                      }
                      if (START.contains(keyword)) {
                        return optIn(tx, accountId, senderId, from, ourNumber, id);
                      }
                      if (HELP.contains(keyword)) {
                        return reply(tx, accountId, senderId, from, ourNumber, config.helpText())
                            .map(true);
                      }
                      return Future.succeededFuture(false);
                    })
                .map(queued -> new Result(id, keyword.length() <= 12 ? keyword : null, queued)));
  }

  private Future<Boolean> optOut(
      SqlClient tx, UUID accountId, UUID senderId, String from, String ourNumber, UUID messageId) {
    return BlacklistStore.insert(
            tx,
            new BlacklistEntry(Ids.newId(), accountId, from, "replied STOP", "inbound_stop", null))
        .map(added -> added == null ? null : added.id())
        .compose(
            entry -> {
              if (entry == null) {
                return Future.succeededFuture(false);
              }
              return Outbox.append(
                      tx,
                      accountId,
                      "blacklist.added",
                      entry,
                      new JsonObject()
                          .put("id", entry.toString())
                          .put("phone_number", from)
                          .put("reason", "replied STOP")
                          .put("source", "inbound_stop")
                          .put("message_id", messageId.toString()))
                  .compose(v -> reply(tx, accountId, senderId, from, ourNumber, config.stopReply()))
                  .map(true);
            });
  }

  private Future<Boolean> optIn(
      SqlClient tx, UUID accountId, UUID senderId, String from, String ourNumber, UUID messageId) {
    return BlacklistStore.deleteNumber(tx, accountId, from)
        .map(removed -> removed == null ? null : removed.id())
        .compose(
            entry -> {
              if (entry == null) {
                return Future.succeededFuture(false);
              }
              return Outbox.append(
                      tx,
                      accountId,
                      "blacklist.removed",
                      entry,
                      new JsonObject()
                          .put("id", entry.toString())
                          .put("phone_number", from)
                          .put("message_id", messageId.toString()))
                  .compose(
                      v -> reply(tx, accountId, senderId, from, ourNumber, config.startReply()))
                  .map(true);
            });
  }

  /**
   * Queues a reply through the same sender; it bypasses the blacklist on purpose (confirmations).
   */
  private static Future<Void> reply(
      SqlClient tx, UUID accountId, UUID senderId, String to, String ourNumber, String text) {
    Encoding encoding = Encoding.detect(text);
    return MessageStore.insert(
        tx,
        accountId,
        "outbound",
        "queued",
        List.of(
            new MessageStore.NewMessage(
                Ids.newId(),
                senderId,
                to,
                ourNumber,
                text,
                encoding,
                encoding.segments(text),
                null,
                new JsonObject().put("auto_reply", true),
                null)),
        "message.queued");
  }
}
