package herald.sim.ari;

import io.vertx.core.json.JsonObject;

/** An ARI error answer: the HTTP status and Asterisk's {@code {"message": ...}} body. */
final class AriError extends RuntimeException {
  private final int status;

  AriError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  JsonObject toJson() {
    return new JsonObject().put("message", getMessage());
  }

  static AriError badRequest(String message) {
    return new AriError(400, message);
  }

  static AriError notFound(String message) {
    return new AriError(404, message);
  }

  static AriError conflict(String message) {
    return new AriError(409, message);
  }

  static AriError unprocessable(String message) {
    return new AriError(422, message);
  }

  /** Control operations on a channel that is still Down or Ringing. */
  static AriError invalidState() {
    return new AriError(412, "Channel in invalid state");
  }
}
