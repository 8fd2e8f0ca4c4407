package herald.message;

import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * Changes to single messages through the API: canceling a queued message, in one transaction with
 * its {@code message.canceled} event. (Sending goes through {@link MessageIntake} and {@link
 * IntakeCommitter}.)
 */
final class MessageService {
  private final Pool pool;
  private final MessageStore messages;

  MessageService(Pool pool, MessageStore messages) {
    this.pool = pool;
    this.messages = messages;
  }

  /**
   * Cancels a message that has not left Herald; 404 when the account has no such message, 409 when
   * it is past {@code queued}.
   */
  Future<Message> cancel(UUID accountId, UUID id) {
    return pool.withTransaction(tx -> messages.cancel(tx, accountId, id))
        .map(
            message -> {
              Responses.found(message, "Message");
              if (!message.status().equals("canceled")) {
                throw ApiException.conflict(
                    "Message is " + message.status() + "; only queued messages can be canceled");
              }
              return message;
            });
  }
}
