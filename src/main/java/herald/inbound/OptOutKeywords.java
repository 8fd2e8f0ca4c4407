package herald.inbound;

import herald.blacklist.BlacklistEntry;
import herald.blacklist.BlacklistStore;
import herald.event.EventType;
import herald.message.MessageStore;
import herald.platform.config.SmsConfig;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The first step of the inbound chain, acting on opt-out keywords in the transaction that stores
 * the message: STOP and its synonyms blacklist the number ({@code blacklist.added}) and queue one
 * confirmation; START takes it off ({@code blacklist.removed}); HELP queues the help text. A
 * repeated STOP confirms nothing: the number is already off the list of people Herald writes to. A
 * keyword ends the chain; any other text goes on to the next step.
 */
public final class OptOutKeywords implements InboundHandler {
  static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
  static final Set<String> START = Set.of("START", "UNSTOP", "YES");
  static final Set<String> HELP = Set.of("HELP", "INFO");

  private final SmsConfig config;

  public OptOutKeywords(SmsConfig config) {
    this.config = config;
  }

  @Override
  public Future<Handled> handle(SqlClient tx, Received m) {
    String keyword = m.text().trim().toUpperCase(Locale.ROOT);
    if (STOP.contains(keyword)) {
      return optOut(tx, m).map(queued -> new Handled(true, queued));
    }
    if (START.contains(keyword)) {
      return optIn(tx, m).map(queued -> new Handled(true, queued));
    }
    if (HELP.contains(keyword)) {
      return reply(tx, m, config.helpText()).map(new Handled(true, true));
    }
    return Future.succeededFuture(Handled.CONTINUE);
  }

  private Future<Boolean> optOut(SqlClient tx, Received m) {
    UUID accountId = m.accountId();
    String from = m.from();
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
                      EventType.BLACKLIST_ADDED,
                      entry,
                      new JsonObject()
                          .put("id", entry.toString())
                          .put("phone_number", from)
                          .put("reason", "replied STOP")
                          .put("source", "inbound_stop")
                          .put("message_id", m.messageId().toString()))
                  .compose(v -> reply(tx, m, config.stopReply()))
                  .map(true);
            });
  }

  private Future<Boolean> optIn(SqlClient tx, Received m) {
    UUID accountId = m.accountId();
    String from = m.from();
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
                      EventType.BLACKLIST_REMOVED,
                      entry,
                      new JsonObject()
                          .put("id", entry.toString())
                          .put("phone_number", from)
                          .put("message_id", m.messageId().toString()))
                  .compose(v -> reply(tx, m, config.startReply()))
                  .map(true);
            });
  }

  /**
   * Queues a reply through the same sender; it bypasses the blacklist on purpose (confirmations).
   */
  private static Future<Void> reply(SqlClient tx, Received m, String text) {
    return MessageStore.insert(
        tx,
        m.accountId(),
        "outbound",
        "queued",
        List.of(
            MessageStore.textReply(
                Ids.newId(),
                m.senderId(),
                m.channel(),
                m.from(),
                m.ourNumber(),
                text,
                new JsonObject().put("auto_reply", true))),
        EventType.MESSAGE_QUEUED);
  }
}
