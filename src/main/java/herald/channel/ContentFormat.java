package herald.channel;

import herald.platform.http.FieldError;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * What a message of one channel may hold, checked when a send is accepted: SMS takes a text body
 * (and picks its encoding), WhatsApp a typed content object. Registered per channel in {@link
 * herald.channel.registry.Channels}; the message API asks it, so it knows no channel itself.
 * Implementations are stateless.
 */
public interface ContentFormat {
  /** The channel it describes ({@code sms}, {@code whatsapp}). */
  String channel();

  /**
   * A send's content, validated and ready to store.
   *
   * @param body the text stored in {@code messages.body} (for WhatsApp: the text, a caption, or
   *     empty)
   * @param content the typed content stored beside it, or null
   * @param encoding the wire encoding ({@code GSM-7}, {@code UCS-2}), or null for channels without
   * @param segments how many parts it costs (SMS segments; 1 otherwise)
   * @param freeForm whether it may be sent only inside the channel's {@link #serviceWindow()}
   */
  record Prepared(
      String body, JsonObject content, String encoding, int segments, boolean freeForm) {}

  /**
   * Validates one item's {@code body} and {@code content} (either may be null). Each problem is
   * added to {@code errors} with a field name relative to the item ({@code body}, {@code
   * content.image.link}); answers null when there were any.
   */
  Prepared prepare(String body, JsonObject content, List<FieldError> errors);

  /**
   * How long after a contact's last inbound message free-form messages to them are allowed, or null
   * when the channel has no such window (SMS).
   */
  default Duration serviceWindow() {
    return null;
  }

  /**
   * A Herald media id the content sends (an uploaded file), with the message type it is sent as.
   */
  record MediaRef(java.util.UUID mediaId, String messageType) {}

  /** The uploaded file a prepared content refers to, or null. */
  default MediaRef mediaRef(JsonObject content) {
    return null;
  }

  /**
   * The content with the provider's id of its {@link #mediaRef} file added (providers send that id
   * and ignore Herald's).
   */
  default JsonObject withProviderMedia(JsonObject content, String providerMediaId) {
    return content;
  }

  /**
   * The content with each text a recipient's data may fill in (WhatsApp template parameters) passed
   * through {@code render}; answers the content unchanged when it has none.
   */
  default JsonObject renderTexts(
      JsonObject content, java.util.function.UnaryOperator<String> render) {
    return content;
  }

  /**
   * One campaign recipient's copy of accepted content: every text the recipient's data may fill
   * passed through {@code render} (for WhatsApp the template parameters, and the text body or the
   * caption of free-form content), and checked again, since a rendered text may be empty or too
   * long. Answers null, with the problem in {@code errors} (code {@code empty_message} or {@code
   * message_too_long}), when the copy cannot be sent. The default renders {@link #renderTexts}.
   */
  default Prepared personalize(
      JsonObject content,
      java.util.function.UnaryOperator<String> render,
      List<FieldError> errors) {
    return new Prepared("", renderTexts(content, render), null, 1, false);
  }

  /** The parts a prepared message is sent in, for the dry run (SMS segments; else the body). */
  default List<String> parts(Prepared prepared) {
    return List.of(prepared.body());
  }
}
