package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestPostgres;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Composition helpers of the voice tests: a sender on the ARI simulator, calls, CDRs, events. */
final class VoiceTesting {
  static final String USER = "herald";
  static final String PASSWORD = "ari-secret";

  private final TestClient client;
  private final String token;

  VoiceTesting(TestClient client, String token) {
    this.client = client;
    this.token = token;
  }

  /** An ARI sender on {@code ariBaseUrl} (the simulator's, without /ari) with its own app. */
  String sender(String ariBaseUrl, String app, int cap, int callsPerSecond) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/senders",
            token,
            new JsonObject()
                .put("name", "asterisk " + app)
                .put("provider", "ari")
                .put("rate_per_second", 1000)
                .put(
                    "settings",
                    new JsonObject()
                        .put("base_url", ariBaseUrl + "/ari")
                        .put("username", USER)
                        .put("password", PASSWORD)
                        .put("app", app)
                        .put("endpoint", "PJSIP/{number}@trunk")
                        .put("caller_id", "\"Herald\" <+15550100>")
                        .put("max_concurrent_calls", cap)
                        .put("calls_per_second", callsPerSecond)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsString()).doesNotContain(PASSWORD);
    assertThat(created.bodyAsJsonObject().getString("channel")).isEqualTo("voice");
    return created.bodyAsJsonObject().getString("id");
  }

  /** Places a call; answers its id. */
  String call(String sender, String to, JsonObject extra) {
    HttpResponse<Buffer> placed =
        client.post(
            "/api/v1/calls",
            token,
            new JsonObject().put("to", to).put("sender_id", sender).mergeIn(extra));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(202);
    assertThat(placed.bodyAsJsonObject().getString("status")).isEqualTo("queued");
    return placed.bodyAsJsonObject().getString("id");
  }

  JsonObject get(String callId) {
    HttpResponse<Buffer> got = client.get("/api/v1/calls/" + callId, token);
    assertThat(got.statusCode()).as(got.bodyAsString()).isEqualTo(200);
    return got.bodyAsJsonObject();
  }

  JsonObject await(String callId, String status, Duration limit) {
    return Await.until(
        "call " + callId + " to become " + status,
        limit,
        () -> get(callId),
        call -> status.equals(call.getString("status")));
  }

  /** The CDR of a call, found through the CDR list. */
  JsonObject cdrOf(String callId) {
    String cursor = null;
    do {
      HttpResponse<Buffer> page =
          client.get("/api/v1/cdrs?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), token);
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      JsonArray data = page.bodyAsJsonObject().getJsonArray("data");
      for (int i = 0; i < data.size(); i++) {
        if (callId.equals(data.getJsonObject(i).getString("call_id"))) {
          return data.getJsonObject(i);
        }
      }
      cursor = page.bodyAsJsonObject().getString("next_cursor");
    } while (cursor != null);
    return null;
  }

  /** The types of the events written about {@code subject}, in order. */
  static List<String> events(String database, String subject) throws SQLException {
    var pg = TestPostgres.get();
    try (Connection c =
            DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
        PreparedStatement q =
            c.prepareStatement("SELECT type FROM events WHERE subject_id = ? ORDER BY id")) {
      q.setObject(1, UUID.fromString(subject));
      List<String> types = new ArrayList<>();
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          types.add(rows.getString(1));
        }
      }
      return types;
    }
  }

  /** The data of the first event of {@code type} about {@code subject}, or null. */
  static JsonObject eventData(String database, String subject, String type) throws SQLException {
    var pg = TestPostgres.get();
    try (Connection c =
            DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
        PreparedStatement q =
            c.prepareStatement(
                "SELECT data::text FROM events WHERE subject_id = ? AND type = ? ORDER BY id"
                    + " LIMIT 1")) {
      q.setObject(1, UUID.fromString(subject));
      q.setString(2, type);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next() ? new JsonObject(rows.getString(1)) : null;
      }
    }
  }
}
