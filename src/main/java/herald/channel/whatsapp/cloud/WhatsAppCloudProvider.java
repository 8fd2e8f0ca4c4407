package herald.channel.whatsapp.cloud;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.SendOutcome;
import herald.channel.SendOutcome.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WhatsApp Cloud API for one sender: each message is one {@code POST
 * /{version}/{phone_number_id}/messages} of {@code {"messaging_product": "whatsapp",
 * "recipient_type": "individual", "to": <digits>, "type": T, T: {...}}}, the typed content stored
 * with the message (a plain text body when it has none). The answer's {@code messages[0].id} (the
 * {@code wamid}) is the provider id that status webhooks name.
 *
 * <p>Outcomes (see {@link CloudErrors}): 2xx with a message id is SENT; a bad token or missing
 * permission (190, 10, HTTP 401/403) is PAUSED {@code whatsapp_auth}, counted against the sender's
 * circuit; rate limits (130429, 131056), 131000, 5xx, timeouts and connection errors are RETRY;
 * 131047 is FAILED {@code outside_customer_service_window}, 131026 FAILED {@code undeliverable},
 * other errors FAILED {@code whatsapp_<code>} with Meta's message.
 *
 * <p>Threading: {@link #send}, {@link #start} and {@link #close} run on the owning lane's event
 * loop; {@link #status()} may be called from any thread.
 */
final class WhatsAppCloudProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(WhatsAppCloudProvider.class);

  private final ChannelSender sender;
  private final String messagesPath;
  private final GraphClient graph;
  private volatile Integer lastStatus;
  private volatile String lastError;

  WhatsAppCloudProvider(
      ChannelSender sender, WhatsAppCloudType.Settings settings, Context context) {
    this.sender = sender;
    this.messagesPath = settings.phoneNumberId() + "/messages";
    this.graph = new GraphClient(context.owner(), settings);
  }

  /** Stateless HTTP: nothing to connect. */
  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  /** The pair rate limit (131056) is about one recipient, not the sender. */
  @Override
  public boolean isProviderFailure(SendOutcome outcome) {
    return Provider.super.isProviderFailure(outcome)
        && !"whatsapp_131056".equals(outcome.errorCode());
  }

  @Override
  public Future<SendOutcome> send(OutboundItem item) {
    return graph
        .postJson(messagesPath, request(item))
        .map(response -> outcome(item, response))
        .otherwise(e -> transportFailure(item, e));
  }

  /** The Cloud API request for an item: its content inside the envelope. */
  static JsonObject request(OutboundItem item) {
    JsonObject content =
        item.content() != null
            ? item.content().copy()
            : new JsonObject()
                .put("type", "text")
                .put("text", new JsonObject().put("body", item.body()));
    String type = content.getString("type");
    Object payload = content.getValue(type);
    if (payload instanceof JsonObject media && media.containsKey("media_id")) {
      // Herald's own reference to an uploaded file: the Cloud API knows it by "id".
      media.remove("media_id");
    }
    if (payload instanceof JsonObject template
        && type.equals("template")
        && template.getValue("language") instanceof JsonObject language
        && !language.containsKey("policy")) {
      language.put("policy", "deterministic");
    }
    return new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put("to", item.to().startsWith("+") ? item.to().substring(1) : item.to())
        .put("type", type)
        .put(type, payload);
  }

  private SendOutcome outcome(OutboundItem item, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    lastStatus = status;
    if (status >= 200 && status < 300) {
      String id = messageId(response);
      if (id != null) {
        lastError = null;
        return SendOutcome.sent(item.id(), List.of(id));
      }
      return record(item, Kind.RETRY, "whatsapp_bad_response", "2xx answer without a message id");
    }
    JsonObject error = GraphClient.error(response);
    Integer code = error == null ? null : error.getInteger("code");
    String message =
        error == null
            ? "HTTP " + status + " from the Cloud API"
            : details(error) + " (Cloud API error " + code + ")";
    Kind kind = CloudErrors.kind(status, code);
    String herald =
        kind == Kind.PAUSED
            ? CloudErrors.AUTH
            : code == null ? "whatsapp_http_" + status : CloudErrors.code(code);
    return record(item, kind, herald, message);
  }

  private static String messageId(HttpResponse<Buffer> response) {
    try {
      JsonArray messages = response.bodyAsJsonObject().getJsonArray("messages");
      String id =
          messages == null || messages.isEmpty() ? null : messages.getJsonObject(0).getString("id");
      return id == null || id.isBlank() ? null : id;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Meta's most specific explanation: {@code error_data.details}, else the message. */
  static String details(JsonObject error) {
    JsonObject data = error.getJsonObject("error_data");
    String details = data == null ? null : data.getString("details");
    return details != null ? details : error.getString("message", "Cloud API error");
  }

  private SendOutcome transportFailure(OutboundItem item, Throwable e) {
    lastStatus = null;
    boolean timeout = e instanceof TimeoutException || e.getClass().getName().contains("Timeout");
    return record(
        item,
        Kind.RETRY,
        timeout ? "whatsapp_timeout" : "whatsapp_unreachable",
        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private SendOutcome record(OutboundItem item, Kind kind, String code, String message) {
    lastError = code + ": " + message;
    if (kind != Kind.FAILED) {
      LOG.debug("WhatsApp sender {}: {} ({})", sender.name(), lastError, kind);
    }
    return SendOutcome.of(item.id(), kind, code, message);
  }

  /**
   * {@code {"connection":"http","last_status":<HTTP status of the last answer>,"last_error":...}};
   * {@code last_error} is cleared by the next success.
   */
  @Override
  public JsonObject status() {
    return new JsonObject()
        .put("connection", "http")
        .put("last_status", lastStatus)
        .put("last_error", lastError);
  }

  @Override
  public Future<Void> close() {
    graph.close();
    return Future.succeededFuture();
  }
}
