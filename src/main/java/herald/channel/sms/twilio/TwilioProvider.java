package herald.channel.sms.twilio;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.SendOutcome;
import herald.channel.SendOutcome.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio Programmable Messaging (REST API 2010-04-01) for one sender: each message is one {@code
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json} with HTTP Basic auth ({@code account_sid}
 * and the {@code auth_token} secret). Twilio splits long texts itself and answers with one message
 * SID, so a sent message has exactly one provider id. Delivery is reported later to the {@code
 * StatusCallback} URL, parsed by {@link TwilioCallbacks}.
 *
 * <p>Outcomes: 201 is SENT; 401/403 is PAUSED ({@code twilio_auth}: the sender's credentials are
 * wrong, not the message); 404 is PAUSED ({@code twilio_not_found}: a wrong {@code base_url} or
 * account); 429, 5xx, the transient Twilio codes of {@link #TRANSIENT_CODES}, timeouts and
 * connection errors are RETRY; any other 4xx is FAILED with {@code twilio_<code>} and Twilio's
 * message.
 *
 * <p>Threading: {@link #send} and {@link #start}/{@link #close} must be called on the owning lane's
 * event loop ({@code context}); the returned futures then complete on it. {@link #status()} may be
 * called from any thread.
 */
final class TwilioProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioProvider.class);

  /** Bound on connecting and on waiting for an answer, per request. */
  static final long TIMEOUT_MS = 10_000;

  static final String DEFAULT_BASE_URL = "https://api.twilio.com";

  /**
   * 400-class Twilio codes that may succeed later: 14107 (send rate limit exceeded), 20429 (too
   * many requests), 21611 (the From number's queue is full), 21612 (the To number is not reachable
   * now, e.g. a carrier route problem). Every other 4xx code is a bad request or number.
   */
  static final Set<Integer> TRANSIENT_CODES = Set.of(14107, 20429, 21611, 21612);

  /** Transient error codes about one recipient, not about Twilio. */
  static final Set<String> RECIPIENT_LEVEL = Set.of("twilio_21611", "twilio_21612");

  private final ChannelSender sender;
  private final String statusCallbackUrl;
  private final String messagesUrl;
  private final String accountSid;
  private final String authToken;
  private final WebClient client;
  private volatile Integer lastStatus;
  private volatile String lastError;

  /**
   * Creates the provider; no request is made until the first {@link #send}.
   *
   * @param sender a {@code twilio} sender: settings {@code account_sid}, {@code from}, optional
   *     {@code base_url} (default {@value #DEFAULT_BASE_URL}); secret {@code auth_token}
   * @param context the owning lane's context; its Vert.x instance owns the HTTP client
   * @param statusCallbackUrl the public URL Twilio posts status callbacks to for this sender, or
   *     null to ask for none (messages then stay {@code sent})
   */
  TwilioProvider(ChannelSender sender, Context context, String statusCallbackUrl) {
    this.sender = sender;
    this.statusCallbackUrl = statusCallbackUrl;
    JsonObject settings = sender.settings();
    String baseUrl = settings.getString("base_url", DEFAULT_BASE_URL);
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    this.accountSid = settings.getString("account_sid");
    this.authToken = sender.secrets().getString("auth_token");
    this.messagesUrl = baseUrl + "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    this.client =
        WebClient.create(
            context.owner(),
            new WebClientOptions()
                .setConnectTimeout((int) TIMEOUT_MS)
                .setUserAgent("Herald")
                .setKeepAlive(true));
  }

  /**
   * Transient errors about one recipient (the From number's queue, an unreachable handset) do not
   * count against Twilio itself.
   */
  @Override
  public boolean isProviderFailure(SendOutcome outcome) {
    return Provider.super.isProviderFailure(outcome)
        && !RECIPIENT_LEVEL.contains(outcome.errorCode());
  }

  /** Nothing to connect: Twilio is stateless HTTP. Never fails. */
  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * Creates the message at Twilio. Never fails: every error becomes a RETRY, PAUSED or FAILED
   * outcome (see the class comment).
   */
  @Override
  public Future<SendOutcome> send(OutboundItem m) {
    String from =
        m.from() == null || m.from().isBlank() ? sender.settings().getString("from") : m.from();
    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("To", m.to())
            .add("From", from)
            .add("Body", m.body());
    if (statusCallbackUrl != null) {
      form.add("StatusCallback", statusCallbackUrl);
    }
    return client
        .postAbs(messagesUrl)
        .timeout(TIMEOUT_MS)
        .connectTimeout(TIMEOUT_MS)
        .basicAuthentication(accountSid, authToken)
        .putHeader("Accept", "application/json")
        .sendForm(form)
        .map(response -> outcome(m, response))
        .otherwise(e -> transportFailure(m, e));
  }

  private SendOutcome outcome(OutboundItem m, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    lastStatus = status;
    JsonObject body = json(response);
    if (status >= 200 && status < 300) {
      String sid = body == null ? null : body.getString("sid");
      if (sid != null && !sid.isBlank()) {
        lastError = null;
        return SendOutcome.sent(m.id(), List.of(sid));
      }
      return record(m, Kind.RETRY, "twilio_bad_response", "2xx answer without a message sid");
    }
    Integer code = body == null ? null : asCode(body.getValue("code"));
    String message = body == null ? null : body.getString("message");
    String text = message != null ? message : "HTTP " + status + " from Twilio";
    String errorCode = code != null ? "twilio_" + code : "twilio_http_" + status;
    if (status == 401 || status == 403) {
      return record(m, Kind.PAUSED, "twilio_auth", text);
    }
    if (status == 404) {
      return record(m, Kind.PAUSED, "twilio_not_found", text);
    }
    if (status == 429 || status >= 500 || (code != null && TRANSIENT_CODES.contains(code))) {
      return record(m, Kind.RETRY, errorCode, text);
    }
    if (status >= 400 && status < 500) {
      return record(m, Kind.FAILED, errorCode, text);
    }
    // 1xx/3xx: not an answer Twilio gives; try again rather than lose the message.
    return record(m, Kind.RETRY, errorCode, text);
  }

  private SendOutcome transportFailure(OutboundItem m, Throwable e) {
    lastStatus = null;
    boolean timeout = e instanceof TimeoutException || e.getClass().getName().contains("Timeout");
    return record(
        m,
        Kind.RETRY,
        timeout ? "twilio_timeout" : "twilio_unreachable",
        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private SendOutcome record(OutboundItem m, Kind kind, String code, String message) {
    lastError = code + ": " + message;
    if (kind != Kind.FAILED) {
      LOG.debug("Twilio sender {}: {} ({})", sender.name(), lastError, kind);
    }
    return SendOutcome.of(m.id(), kind, code, message);
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.body() == null ? null : response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Integer asCode(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * {@code {"connection":"http","last_status":<HTTP status of the last answer, or null>,
   * "last_error":"<code>: <message>" or null}}; {@code last_error} is cleared by the next success.
   */
  @Override
  public JsonObject status() {
    return new JsonObject()
        .put("connection", "http")
        .put("last_status", lastStatus)
        .put("last_error", lastError);
  }

  /** Closes the HTTP client; requests in flight fail and their messages are retried. */
  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
