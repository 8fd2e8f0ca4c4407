package herald.sim.ari;

import io.vertx.core.buffer.Buffer;

/** What an ARI handler answers: a status, a JSON body or bytes, and a {@code Location}. */
record Reply(int status, Object body, String contentType, String location) {
  static Reply ok(Object json) {
    return new Reply(200, json, "application/json", null);
  }

  static Reply created(Object json, String location) {
    return new Reply(201, json, "application/json", location);
  }

  static Reply noContent() {
    return new Reply(204, null, null, null);
  }

  static Reply bytes(Buffer data, String contentType) {
    return new Reply(200, data, contentType, null);
  }
}
