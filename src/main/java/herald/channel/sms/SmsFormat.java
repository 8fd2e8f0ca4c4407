package herald.channel.sms;

import herald.channel.ContentFormat;
import herald.platform.http.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** SMS content: a non-empty text body of at most {@value #MAX_BODY} characters, GSM-7 or UCS-2. */
public final class SmsFormat implements ContentFormat {
  public static final int MAX_BODY = 1600;

  @Override
  public String channel() {
    return Sms.CHANNEL;
  }

  @Override
  public Prepared prepare(String body, JsonObject content, List<FieldError> errors) {
    if (content != null) {
      errors.add(
          new FieldError(
              "content", "not_supported", "SMS messages have no 'content'; send a 'body'"));
      return null;
    }
    if (body == null || body.isEmpty()) {
      errors.add(
          new FieldError(
              "body",
              body == null ? "required" : "invalid_value",
              "'body' must be a non-empty string"));
      return null;
    }
    if (body.length() > MAX_BODY) {
      errors.add(
          new FieldError("body", "too_long", "'body' may be at most " + MAX_BODY + " characters"));
      return null;
    }
    Encoding encoding = Encoding.detect(body);
    return new Prepared(body, null, encoding.wireName(), encoding.segments(body), false);
  }

  @Override
  public List<String> parts(Prepared prepared) {
    return Encoding.fromWire(prepared.encoding()).split(prepared.body());
  }
}
