package herald.platform.http;

import static herald.platform.http.BadInputTest.assertProblem;
import static herald.platform.http.BadInputTest.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests below the JSON level, as a client trying to break Herald would send them: NUL in
 * form fields, passwords bcrypt cannot take, forged tokens, requests Netty refuses before the
 * router, and uploads cut short. Each answers 4xx problem+json, never 500 or nothing.
 */
class HostileRequestTest {
  private static final String JWT_SECRET = "hostile-request-test-secret-0123456789ab";
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String userId;
  private static String senderId;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put("jwt", new JsonObject().put("secret", JWT_SECRET))
                .put("http", new JsonObject().put("upload_idle_timeout_seconds", 1)));
    client = herald.client();
    admin = client.loginAdmin();
    userId =
        created(
            "/api/v1/users",
            new JsonObject()
                .put("username", "target-user")
                .put("password", "password-1")
                .put("role", "viewer"));
    senderId = created("/api/v1/senders", WriteRoutes.sender());
  }

  private static String created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void aNulCharacterInAFormFieldIs422() {
    MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin);
    String boundary = "b0undary";
    for (String path :
        List.of(
            "/api/v1/campaigns/upload",
            "/api/v1/campaigns/preview-csv",
            "/api/v1/contacts/import",
            "/api/csv/upload")) {
      String field =
          path.contains("campaigns") ? "message" : path.contains("csv/upload") ? "name" : "group";
      Buffer body =
          Buffer.buffer()
              .appendString("--" + boundary + "\r\n")
              .appendString("Content-Disposition: form-data; name=\"" + field + "\"\r\n\r\n")
              .appendString("a\u0000b\r\n")
              .appendString("--" + boundary + "\r\n")
              .appendString(
                  "Content-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n")
              .appendString("Content-Type: text/csv\r\n\r\n")
              .appendString("phone_number,name\r\n+14155550101,Ann\r\n")
              .appendString("\r\n--" + boundary + "--\r\n");
      HttpResponse<Buffer> response =
          client.send(
              HttpMethod.POST, path, auth, body, "multipart/form-data; boundary=" + boundary);
      assertProblem(response, 422);
      assertThat(errorFields(response)).as(path).contains(field);
    }
    HttpResponse<Buffer> twilio =
        client.send(
            HttpMethod.POST,
            "/api/v1/inbound/twilio/sms",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer("From=%2B14155550101&To=%2B14155550000&Body=hi%00there"),
            "application/x-www-form-urlencoded");
    assertProblem(twilio, 422);
  }

  // ---------------------------------------------------------------------------------------------
  // Passwords, tokens, and requests that never reach the router.

  @Test
  void aPasswordOver72BytesIsRefusedOnCreationAndChangeAndFailsLogin() {
    for (String longPassword : List.of("p".repeat(73), "\u20ac".repeat(25))) {
      HttpResponse<Buffer> login =
          client.post(
              "/api/v1/auth/login",
              null,
              new JsonObject().put("username", "admin").put("password", longPassword));
      assertProblem(login, 401);
      HttpResponse<Buffer> create =
          client.post(
              "/api/v1/users",
              admin,
              new JsonObject()
                  .put("username", WriteRoutes.name("long"))
                  .put("password", longPassword)
                  .put("role", "viewer"));
      assertProblem(create, 422);
      assertThat(errorFields(create)).containsExactly("password");
      HttpResponse<Buffer> change =
          client.patch(
              "/api/v1/users/" + userId, admin, new JsonObject().put("password", longPassword));
      assertProblem(change, 422);
      assertThat(errorFields(change)).containsExactly("password");
      HttpResponse<Buffer> account =
          client.post(
              "/api/v1/accounts",
              admin,
              new JsonObject()
                  .put("name", WriteRoutes.name("long"))
                  .put("admin_username", WriteRoutes.name("long"))
                  .put("admin_password", longPassword));
      assertProblem(account, 422);
      assertThat(errorFields(account)).containsExactly("admin_password");
    }
    // 72 bytes exactly is a valid password
    String exact = "q".repeat(72);
    String username = WriteRoutes.name("exact");
    assertThat(
            client
                .post(
                    "/api/v1/users",
                    admin,
                    new JsonObject()
                        .put("username", username)
                        .put("password", exact)
                        .put("role", "viewer"))
                .statusCode())
        .isEqualTo(201);
    assertThat(client.login(username, exact)).isNotBlank();
  }

  private static String b64(String json) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String sign(JsonObject header, JsonObject claims) throws Exception {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            JWT_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    return input
        + "."
        + java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void aSignedTokenWithoutExpiryOrWithACriticalHeaderIs401() throws Exception {
    String token = client.loginAdmin();
    JsonObject claims =
        new JsonObject(
            new String(
                java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8));
    JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT");
    // Control: the same claims signed here are accepted, so the refusals below are about exp/crit.
    assertThat(client.get("/api/v1/auth/me", sign(header, claims)).statusCode()).isEqualTo(200);
    JsonObject noExp = claims.copy();
    noExp.remove("exp");
    assertProblem(client.get("/api/v1/auth/me", sign(header, noExp)), 401);
    assertProblem(
        client.get(
            "/api/v1/auth/me",
            sign(
                header.copy().put("crit", new JsonArray().add("x-unknown")).put("x-unknown", 1),
                claims)),
        401);
    assertProblem(
        client.get(
            "/api/v1/auth/me", sign(header.copy().put("crit", new JsonArray().add("exp")), claims)),
        401);
  }

  /** One raw HTTP/1.1 exchange: writes {@code request}, reads until the server closes. */
  private static String rawExchange(byte[] request, int timeoutMillis) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", herald.herald().port())) {
      socket.setSoTimeout(timeoutMillis);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try {
        for (int n; (n = socket.getInputStream().read(chunk)) >= 0; ) {
          read.write(chunk, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError(
            "no answer and no close within "
                + timeoutMillis
                + " ms; read so far: "
                + read.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      return read.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private static void assertRawProblem(String response, int status) {
    // A request whose line could not be read is answered as HTTP/1.0.
    assertThat(response).as(response).matches("(?s)HTTP/1\\.[01] " + status + " .*");
    int split = response.indexOf("\r\n\r\n");
    String head = response.substring(0, split).toLowerCase(java.util.Locale.ROOT);
    assertThat(head).contains("content-type: application/problem+json");
    JsonObject problem = new JsonObject(response.substring(split + 4));
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("urn:herald:problem:");
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getString("request_id")).isNotBlank();
  }

  @Test
  void requestsRefusedBeforeTheRouterStillAnswerProblemJson() throws Exception {
    String longUri = "GET /api/v1/contacts?q=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    assertRawProblem(rawExchange(longUri.getBytes(), 10_000), 414);
    String bigHeader =
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n";
    assertRawProblem(rawExchange(bigHeader.getBytes(), 10_000), 431);
    String control = "GET /health HTTP/1.1\r\nHost: x\r\nX-Ctl\u0001: yes\r\n\r\n";
    assertRawProblem(rawExchange(control.getBytes(), 10_000), 400);
    String controlValue = "GET /health HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u0000b\r\n\r\n";
    assertRawProblem(rawExchange(controlValue.getBytes(), 10_000), 400);
  }

  // ---------------------------------------------------------------------------------------------
  // Streamed uploads: trailing slashes and truncated bodies.

  @Test
  void anUploadWithATrailingSlashIsServedLikeTheCanonicalPath() {
    MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin);
    Buffer csv = Buffer.buffer("phone_number,name\r\n+14155550199,Ann\r\n");
    HttpResponse<Buffer> imported =
        client.send(HttpMethod.POST, "/api/v1/contacts/import/", auth, csv, "text/csv");
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(202);
    HttpResponse<Buffer> preview =
        client.send(HttpMethod.POST, "/api/v1/campaigns/preview-csv/", auth, csv, "text/csv");
    assertThat(preview.statusCode()).as(preview.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> upload =
        client.send(
            HttpMethod.POST,
            "/api/v1/campaigns/upload/?name=slash&message=Hi&sender_id=" + senderId,
            auth,
            csv,
            "text/csv");
    assertThat(upload.statusCode()).as(upload.bodyAsString()).isBetween(200, 201);
  }

  static Stream<String> uploadPaths() {
    return Stream.of(
        "/api/v1/contacts/import",
        "/api/csv/upload",
        "/api/v1/campaigns/upload",
        "/api/v1/campaigns/preview-csv");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uploadPaths")
  void aTruncatedUploadIsAnswered408AndClosedWithinTheIdleTimeout(String path) throws Exception {
    String boundary = "trunc";
    String start =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\nphone_number,name\r\n+14155550101,Ann\r\n";
    for (String[] kind :
        new String[][] {
          {"multipart/form-data; boundary=" + boundary, start},
          // the file part is whole, the form is not
          {
            "multipart/form-data; boundary=" + boundary,
            start + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"x\"\r\n"
          },
          {"text/csv", "phone_number\r\n+1"}
        }) {
      String request =
          "POST "
              + path
              + "?name=t&message=Hi HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + admin
              + "\r\nContent-Type: "
              + kind[0]
              + "\r\nContent-Length: 100000\r\n\r\n"
              + kind[1];
      long started = System.nanoTime();
      // Reads until the server closes: a server that never answers fails on the socket timeout.
      String response = rawExchange(request.getBytes(), 15_000);
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertRawProblem(response, 408);
      assertThat(seconds).as("answered and closed well before the socket timeout").isLessThan(15);
    }
  }
}
