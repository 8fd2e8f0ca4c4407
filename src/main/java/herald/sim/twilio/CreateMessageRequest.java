package herald.sim.twilio;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The form of {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, checked the way Twilio
 * checks it. Only form-encoded parameters count: a JSON body reads as "no parameters" and fails
 * with 21604, as it does at Twilio. Channel addresses ({@code whatsapp:+...}) are not simulated and
 * fail as invalid numbers.
 */
record CreateMessageRequest(
    String to,
    String from,
    String messagingServiceSid,
    String body,
    List<String> mediaUrls,
    String statusCallback) {

  static final int MAX_BODY = 1600;
  static final int MAX_MEDIA = 10;

  private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
  private static final Pattern SHORT_CODE = Pattern.compile("^\\d{3,8}$");
  private static final Pattern ALPHANUMERIC = Pattern.compile("^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$");
  private static final Pattern SERVICE_SID = Pattern.compile("^MG[0-9a-fA-F]{32}$");

  /**
   * Parses and validates the form.
   *
   * @throws TwilioError 400 with the code Twilio uses for the first problem found
   */
  static CreateMessageRequest parse(MultiMap form) {
    String to = blankToNull(form.get("To"));
    String from = blankToNull(form.get("From"));
    String service = blankToNull(form.get("MessagingServiceSid"));
    String body = form.get("Body") == null ? "" : form.get("Body");
    List<String> media = form.getAll("MediaUrl").stream().filter(u -> !u.isBlank()).toList();
    String callback = blankToNull(form.get("StatusCallback"));

    if (to == null) {
      throw TwilioError.badRequest(21604, "A 'To' phone number is required.");
    }
    if (!E164.matcher(to).matches()) {
      throw TwilioError.badRequest(
          21211, "The 'To' number " + to + " is not a valid phone number.");
    }
    if (from == null && service == null) {
      throw TwilioError.badRequest(21603, "A 'From' phone number is required.");
    }
    if (from != null && !isSender(from)) {
      throw TwilioError.badRequest(
          21212,
          "The 'From' number "
              + from
              + " is not a valid phone number, shortcode, or alphanumeric sender ID.");
    }
    if (service != null && !SERVICE_SID.matcher(service).matches()) {
      throw TwilioError.badRequest(21701, "The Messaging Service Sid " + service + " is invalid.");
    }
    if (body.isEmpty() && media.isEmpty()) {
      throw TwilioError.badRequest(21602, "Message body is required.");
    }
    if (body.codePointCount(0, body.length()) > MAX_BODY) {
      throw TwilioError.badRequest(
          21617, "The concatenated message body exceeds the 1600 character limit.");
    }
    if (media.size() > MAX_MEDIA) {
      throw TwilioError.badRequest(21623, "Number of media files exceeds allowed limit of 10.");
    }
    for (String url : media) {
      if (!isHttpUrl(url)) {
        throw TwilioError.badRequest(21620, "Invalid media URL(s): " + url);
      }
    }
    if (callback != null && !isHttpUrl(callback)) {
      throw TwilioError.badRequest(21609, "Invalid StatusCallback url: " + callback);
    }
    return new CreateMessageRequest(to, from, service, body, media, callback);
  }

  /** The message resource as Twilio returns it on creation: status {@code queued}. */
  JsonObject toResource(String accountSid, String sid, String now) {
    String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid;
    return new JsonObject()
        .put("account_sid", accountSid)
        .put("api_version", "2010-04-01")
        .put("body", body)
        .put("date_created", now)
        .put("date_sent", null)
        .put("date_updated", now)
        .put("direction", "outbound-api")
        .put("error_code", null)
        .put("error_message", null)
        .put("from", from)
        .put("messaging_service_sid", messagingServiceSid)
        // Twilio sends both counters as strings.
        .put("num_media", Integer.toString(mediaUrls.size()))
        .put("num_segments", Integer.toString(Segments.count(body)))
        .put("price", null)
        .put("price_unit", "USD")
        .put("sid", sid)
        .put("status", "queued")
        .put("subresource_uris", new JsonObject().put("media", uri + "/Media.json"))
        .put("to", to)
        .put("uri", uri + ".json");
  }

  private static boolean isSender(String from) {
    return E164.matcher(from).matches()
        || SHORT_CODE.matcher(from).matches()
        || ALPHANUMERIC.matcher(from).matches();
  }

  /** Absolute http(s) URL with a host; Twilio also refuses underscores in the host name. */
  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null
          && !uri.getHost().contains("_");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
