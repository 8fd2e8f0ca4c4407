package herald.sim.twilio;

import io.vertx.core.json.JsonObject;

/**
 * A Twilio REST error: the HTTP status and the body {@code {"code", "message", "more_info",
 * "status"}} Twilio answers with. Thrown by request parsing and turned into the response by the
 * simulator's failure handler.
 */
final class TwilioError extends RuntimeException {
  private final int status;
  private final int code;

  TwilioError(int status, int code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  int code() {
    return code;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("code", code)
        .put("message", getMessage())
        .put("more_info", "https://www.twilio.com/docs/errors/" + code)
        .put("status", status);
  }

  static TwilioError authenticate() {
    return new TwilioError(401, 20003, "Authenticate");
  }

  static TwilioError notFound(String path) {
    return new TwilioError(404, 20404, "The requested resource " + path + " was not found");
  }

  static TwilioError internal() {
    return new TwilioError(500, 20500, "An internal server error has occurred");
  }

  static TwilioError badRequest(int code, String message) {
    return new TwilioError(400, code, message);
  }
}
