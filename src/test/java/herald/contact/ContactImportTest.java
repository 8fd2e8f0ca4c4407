package herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contact CSV imports as jobs, over the real gateway and database: uploads (multipart and raw),
 * columns, duplicates, refused rows and {@code errors.csv}, files refused at once, tenancy, seed
 * 000's upload route and the events.
 */
class ContactImportTest {
  private static final int MAX_BYTES = 2 * 1024 * 1024;
  private static final String BOUNDARY = "herald-test-boundary";

  private static TestHerald herald;
  private static TestClient client;
  private static String alpha;
  private static String beta;
  private static Pool pool;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put(
                    "contacts",
                    new JsonObject()
                        .put("import_max_bytes", MAX_BYTES)
                        .put("import_batch_rows", 100)
                        .put("import_stale_seconds", 3)));
    client = herald.client();
    pool = herald.herald().platform().pool();
    String platformAdmin = client.loginAdmin();
    for (String name : List.of("alpha", "beta")) {
      HttpResponse<Buffer> created =
          client.post(
              "/api/v1/accounts",
              platformAdmin,
              new JsonObject()
                  .put("name", "import-" + name)
                  .put("admin_username", name + "-importer")
                  .put("admin_password", "password-" + name)
                  .put("settings", new JsonObject().put("default_region", "FR")));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    }
    alpha = client.login("alpha-importer", "password-alpha");
    beta = client.login("beta-importer", "password-beta");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  // ---- helpers ----

  private static MultiMap auth(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }

  private static Buffer form(String fileName, byte[] content, Map<String, String> fields) {
    Buffer body = Buffer.buffer();
    fields.forEach(
        (name, value) ->
            body.appendString(
                "--"
                    + BOUNDARY
                    + "\r\nContent-Disposition: form-data; name=\""
                    + name
                    + "\"\r\n\r\n"
                    + value
                    + "\r\n"));
    body.appendString(
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + fileName
            + "\"\r\nContent-Type: text/csv\r\n\r\n");
    body.appendBytes(content);
    body.appendString("\r\n--" + BOUNDARY + "--\r\n");
    return body;
  }

  private static HttpResponse<Buffer> upload(
      String token, String fileName, String csv, Map<String, String> fields) {
    return upload(token, fileName, csv.getBytes(StandardCharsets.UTF_8), fields);
  }

  private static HttpResponse<Buffer> upload(
      String token, String fileName, byte[] content, Map<String, String> fields) {
    return client.send(
        HttpMethod.POST,
        "/api/v1/contacts/import",
        auth(token),
        form(fileName, content, fields),
        "multipart/form-data; boundary=" + BOUNDARY);
  }

  private static HttpResponse<Buffer> raw(String token, String query, String csv) {
    return client.send(
        HttpMethod.POST,
        "/api/v1/contacts/import" + query,
        auth(token),
        Buffer.buffer(csv),
        "text/csv");
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static JsonObject accepted(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    JsonObject job = response.bodyAsJsonObject();
    assertThat(response.getHeader("Location")).isEqualTo("/api/v1/jobs/" + job.getString("id"));
    assertThat(job.getString("type")).isEqualTo("contacts.import");
    return job;
  }

  /** Polls the job until it has ended. */
  private static JsonObject finished(String token, JsonObject job) {
    return Await.until(
        "job " + job.getString("id") + " to end",
        Duration.ofSeconds(30),
        () -> {
          HttpResponse<Buffer> got = client.get("/api/v1/jobs/" + job.getString("id"), token);
          assertThat(got.statusCode()).as(got.bodyAsString()).isEqualTo(200);
          return got.bodyAsJsonObject();
        },
        now ->
            now.getString("state").equals("completed") || now.getString("state").equals("failed"));
  }

  private static JsonObject completed(String token, HttpResponse<Buffer> response)
      throws InterruptedException {
    JsonObject job = finished(token, accepted(response));
    assertThat(job.getString("state")).as(job.encodePrettily()).isEqualTo("completed");
    assertThat(job.getInteger("progress")).isEqualTo(100);
    return job;
  }

  private static List<String> errorsCsv(String token, JsonObject job) {
    HttpResponse<Buffer> csv =
        client.get("/api/v1/jobs/" + job.getString("id") + "/errors.csv", token);
    assertThat(csv.statusCode()).as(csv.bodyAsString()).isEqualTo(200);
    assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
    return List.of(csv.bodyAsString().split("\r\n"));
  }

  private static JsonObject contact(String token, String phone) {
    HttpResponse<Buffer> listed = client.get("/api/v1/contacts?q=" + q(phone), token);
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonArray data = listed.bodyAsJsonObject().getJsonArray("data");
    return data.isEmpty() ? null : data.getJsonObject(0);
  }

  private static JsonObject group(String token, String name) {
    HttpResponse<Buffer> created =
        client.post("/api/v1/contact-groups", token, new JsonObject().put("name", name));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static long memberCount(String token, String groupId) {
    return client
        .get("/api/v1/contact-groups/" + groupId, token)
        .bodyAsJsonObject()
        .getLong("member_count");
  }

  private static List<JsonObject> events(String type, String subjectId) {
    List<JsonObject> out = new ArrayList<>();
    pool.preparedQuery("SELECT data FROM events WHERE type = $1 AND subject_id = $2 ORDER BY id")
        .execute(Tuple.of(type, UUID.fromString(subjectId)))
        .await()
        .forEach(row -> out.add(row.getJsonObject("data")));
    return out;
  }

  private static long jobCount() {
    Row row = pool.query("SELECT count(*) FROM jobs").execute().await().iterator().next();
    return row.getLong(0);
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String text) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(response.bodyAsString()).contains(text);
  }

  // ---- tests ----

  @Test
  void importsAMultipartFileWithMappingAliasesBomSemicolonsQuotedLineBreaksAndCustomFields()
      throws Exception {
    String csv =
        "\uFEFFMobile No;Nom;E-mail;Prénom;Company;Notes\r\n"
            + "06 12 34 10 01;Alice Martin;alice@example.com;Alice;ACME;\"first line\nsecond;"
            + " line\"\r\n"
            + "+33 6 12 34 10 02;Bob Durand;;;Initech;\r\n";
    JsonObject job =
        completed(
            alpha,
            upload(
                alpha,
                "people.csv",
                csv,
                Map.of("mapping", "{\"phone\": \"Mobile No\"}", "on_duplicate", "skip")));
    assertThat(job.getLong("rows_read")).isEqualTo(2);
    assertThat(job.getLong("imported")).isEqualTo(2);
    assertThat(job.getLong("failed")).isZero();
    JsonObject params = job.getJsonObject("params");
    assertThat(params.getString("file_name")).isEqualTo("people.csv");
    JsonObject columns = params.getJsonObject("columns");
    assertThat(columns.getJsonObject("fields").getMap())
        .containsEntry("phone", "Mobile No")
        .containsEntry("name", "Nom")
        .containsEntry("email", "E-mail")
        .containsEntry("first_name", "Prénom");
    assertThat(columns.getJsonObject("custom_fields").fieldNames())
        .containsExactlyInAnyOrder("Company", "Notes");

    JsonObject alice = contact(alpha, "+33612341001");
    assertThat(alice.getString("phone_number")).isEqualTo("+33612341001");
    assertThat(alice.getString("name")).isEqualTo("Alice Martin");
    assertThat(alice.getString("first_name")).isEqualTo("Alice");
    assertThat(alice.getString("email")).isEqualTo("alice@example.com");
    assertThat(alice.getString("status")).isEqualTo("active");
    assertThat(alice.getJsonObject("custom_fields").getMap())
        .containsEntry("Company", "ACME")
        .containsEntry("Notes", "first line\nsecond; line");
    JsonObject bob = contact(alpha, "+33612341002");
    assertThat(bob.getString("email")).isNull();
    assertThat(bob.getJsonObject("custom_fields").getMap()).containsOnlyKeys("Company");
    assertThat(events("contacts.imported", job.getString("id"))).hasSize(1);
  }

  @Test
  void aTabSeparatedBodyJoinsTheTargetGroupAndNamedGroupsWithOneEventPerGroup() throws Exception {
    String target = group(alpha, "Tab import").getString("id");
    String csv =
        "phone\tname\tgroups\n"
            + "+33612342001\tOne\tVIP;Paris\n"
            + "+33612342002\tTwo\tParis\n"
            + "+33612342003\tThree\t\n";
    JsonObject job = completed(alpha, raw(alpha, "?group_id=" + target, csv));
    assertThat(job.getLong("imported")).isEqualTo(3);
    assertThat(memberCount(alpha, target)).isEqualTo(3);
    List<JsonObject> added = events("contact_group.members_added", target);
    assertThat(added).hasSize(1);
    assertThat(added.get(0).getLong("count")).isEqualTo(3);
    assertThat(added.get(0).getString("source")).isEqualTo("import");
    assertThat(added.get(0).getString("job_id")).isEqualTo(job.getString("id"));

    Map<String, Long> named = new LinkedHashMap<>();
    for (Object g :
        client
            .get("/api/v1/contact-groups?limit=200", alpha)
            .bodyAsJsonObject()
            .getJsonArray("data")) {
      JsonObject group = (JsonObject) g;
      named.put(group.getString("name"), group.getLong("member_count"));
    }
    assertThat(named).containsEntry("VIP", 1L).containsEntry("Paris", 2L);
  }

  @Test
  void existingContactsAreSkippedByDefaultAndUpdatedOnRequest() throws Exception {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/contacts",
            alpha,
            new JsonObject()
                .put("phone_number", "+33612343001")
                .put("name", "Before")
                .put("email", "keep@example.com")
                .put("status", "inactive")
                .put("custom_fields", new JsonObject().put("tier", "gold").put("city", "Lyon")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String csv = "phone,name,email,status,city\n+33612343001,After,,,Paris\n+33612343002,New,,,\n";

    JsonObject skipped = completed(alpha, raw(alpha, "", csv));
    assertThat(skipped.getLong("imported")).isEqualTo(1);
    assertThat(skipped.getLong("skipped")).isEqualTo(1);
    assertThat(skipped.getLong("updated")).isZero();
    assertThat(contact(alpha, "+33612343001").getString("name")).isEqualTo("Before");

    JsonObject updated = completed(alpha, raw(alpha, "?on_duplicate=update", csv));
    assertThat(updated.getLong("updated")).isEqualTo(2);
    assertThat(updated.getLong("imported")).isZero();
    JsonObject after = contact(alpha, "+33612343001");
    assertThat(after.getString("name")).isEqualTo("After");
    assertThat(after.getString("email")).isEqualTo("keep@example.com");
    assertThat(after.getString("status")).isEqualTo("inactive");
    assertThat(after.getJsonObject("custom_fields").getMap())
        .containsEntry("tier", "gold")
        .containsEntry("city", "Paris");
  }

  @Test
  void badRowsAreSkippedAndListedInErrorsCsvWithTheirRowNumbers() throws Exception {
    String csv =
        "phone,name,email\n"
            + "+33612344001,Good,\n" // row 2
            + "12,Short,\n" // row 3: not a number
            + ",Nobody,\n" // row 4: no phone
            + "+33612344001,Again,\n" // row 5: duplicate of row 2
            + "+33612344002,\"Multi\nline\",not-an-email\n" // row 6, lines 6-7
            + "+33612344003,Last,\n"; // row 7, line 8
    JsonObject job = completed(alpha, raw(alpha, "", csv));
    assertThat(job.getLong("rows_read")).isEqualTo(6);
    assertThat(job.getLong("imported")).isEqualTo(2);
    assertThat(job.getLong("failed")).isEqualTo(3);
    assertThat(job.getLong("skipped")).isEqualTo(1);
    List<String> lines = errorsCsv(alpha, job);
    assertThat(lines.get(0)).isEqualTo("row,line,column,reason");
    assertThat(lines).hasSize(5);
    assertThat(lines.get(1)).startsWith("3,3,phone,");
    assertThat(lines.get(2)).isEqualTo("4,4,phone,no phone number");
    assertThat(lines.get(3)).startsWith("5,5,phone,duplicate of row 2 (+33612344001)");
    assertThat(lines.get(4)).isEqualTo("6,6,email,not an e-mail address");
    assertThat(contact(alpha, "+33612344003")).isNotNull();
    assertThat(contact(alpha, "+33612344002")).isNull();
  }

  @Test
  void rejectModeImportsNothingWhenAnyRowIsInvalid() throws Exception {
    StringBuilder csv = new StringBuilder("phone,name\n");
    for (int i = 0; i < 250; i++) { // batches of 100: the bad row comes in the third
      csv.append(String.format("+336123%05d,Row %d%n", i, i));
    }
    csv.append("not a number,Bad\n");
    JsonObject job = finished(alpha, accepted(raw(alpha, "?on_error=reject", csv.toString())));
    assertThat(job.getString("state")).isEqualTo("failed");
    assertThat(job.getJsonObject("error").getString("code")).isEqualTo("invalid_rows");
    assertThat(job.getLong("rows_read")).isEqualTo(251);
    assertThat(job.getLong("failed")).isEqualTo(1);
    assertThat(job.getLong("imported")).isZero();
    assertThat(contact(alpha, "+33612300000")).isNull();
    assertThat(contact(alpha, "+33612300249")).isNull();
    List<String> errors = errorsCsv(alpha, job);
    assertThat(errors).hasSize(2);
    assertThat(errors.get(1)).startsWith("252,252,phone,");
    assertThat(events("contacts.import_failed", job.getString("id"))).hasSize(1);
    assertThat(events("contacts.imported", job.getString("id"))).isEmpty();
  }

  @Test
  void filesThatCannotBeImportedAreRefusedAtOnceAndNothingIsQueued() {
    long before = jobCount();
    byte[] zip = {0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x21, 0x00};
    assertProblem(upload(alpha, "contacts.csv", zip, Map.of()), 415, "NUL byte");
    byte[] latin1 = "phone,nom\n+33612346000,Hélène\n".getBytes(StandardCharsets.ISO_8859_1);
    assertProblem(upload(alpha, "latin1.csv", latin1, Map.of()), 415, "UTF-8");
    assertProblem(upload(alpha, "empty.csv", new byte[0], Map.of()), 400, "empty");
    assertProblem(raw(alpha, "", "name,email\nAnn,ann@example.com\n"), 422, "no_phone_column");
    assertProblem(raw(alpha, "", "phone,name\n"), 422, "no_rows");
    assertProblem(
        raw(alpha, "", "phone,name\n+33612346001,\"never closed\n+33612346002,x\n"),
        400,
        "never ends");
    assertProblem(raw(alpha, "?on_error=maybe", "phone\n+33612346003\n"), 422, "on_error");
    assertProblem(
        raw(alpha, "?mapping=" + q("{\"phone\": \"Cell\"}"), "phone\n+33612346003\n"),
        422,
        "mapping.phone");
    assertProblem(
        raw(alpha, "?group_id=" + UUID.randomUUID(), "phone\n+33612346003\n"), 422, "group_id");
    assertProblem(
        client.send(
            HttpMethod.POST,
            "/api/v1/contacts/import",
            auth(alpha),
            Buffer.buffer("{\"phone\": 1}"),
            "application/json"),
        415,
        "multipart/form-data");
    assertThat(jobCount()).isEqualTo(before);
    assertThat(contact(alpha, "+33612346003")).isNull();
  }

  @Test
  void aFileFoundBinaryPastWhatThePostChecksFailsItsJobAndImportsNothing() throws Exception {
    StringBuilder csv = new StringBuilder("phone,name,notes\n");
    int rows = 0;
    while (csv.length() < 1_200_000) { // past the first megabyte, which the POST checks
      csv.append(String.format("+336124%05d,Row %d,%s%n", rows, rows, "n".repeat(60)));
      rows++;
    }
    csv.append("+33612499999,\0\0\0\n");
    JsonObject job = finished(alpha, accepted(raw(alpha, "", csv.toString())));
    assertThat(job.getString("state")).isEqualTo("failed");
    assertThat(job.getJsonObject("error").getString("code")).isEqualTo("not_csv");
    assertThat(job.getJsonObject("error").getString("detail")).contains("NUL byte");
    assertThat(job.getLong("imported")).isZero();
    assertThat(contact(alpha, "+33612400000")).isNull(); // the rows before it were rolled back
    assertThat(events("contacts.import_failed", job.getString("id"))).hasSize(1);
  }

  @Test
  void aFileOverTheLimitAnswers413AndIsNotKept() throws Exception {
    StringBuilder csv = new StringBuilder("phone,name\n");
    while (csv.length() <= MAX_BYTES) {
      csv.append("+33612347000,").append("x".repeat(100)).append('\n');
    }
    List<Path> before = spooled();
    assertProblem(raw(alpha, "", csv.toString()), 413, "limit");
    // Without Content-Length the size is only known while reading: cut off all the same.
    var chunked =
        herald
            .vertx()
            .createHttpClient()
            .request(
                HttpMethod.POST, herald.herald().port(), "127.0.0.1", "/api/v1/contacts/import")
            .compose(
                request ->
                    request
                        .setChunked(true)
                        .putHeader("Authorization", "Bearer " + alpha)
                        .putHeader("Content-Type", "text/csv")
                        .send(Buffer.buffer(csv.toString())))
            .compose(
                response ->
                    response
                        .body()
                        .map(
                            body ->
                                response.statusCode()
                                    + " "
                                    + response.getHeader("Content-Type")
                                    + " "
                                    + body))
            .await();
    assertThat(chunked).startsWith("413 application/problem+json").contains("limit");
    assertThat(spooled()).isEqualTo(before);
  }

  private static List<Path> spooled() throws java.io.IOException {
    Path dir = herald.herald().platform().config().dataDir().resolve("imports");
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void anotherAccountsJobAndItsErrorsAnswer404() throws Exception {
    completed(alpha, raw(alpha, "", "phone\n+33612348000\n"));
    JsonObject job = completed(alpha, raw(alpha, "", "phone\n+33612348001\nbad\n"));
    String id = job.getString("id");
    assertProblem(client.get("/api/v1/jobs/" + id, beta), 404, "Job not found");
    assertProblem(client.get("/api/v1/jobs/" + id + "/errors.csv", beta), 404, "Job not found");
    assertProblem(client.get("/api/v1/jobs/not-an-id/errors.csv", beta), 404, "Job not found");
    assertThat(client.get("/api/v1/jobs", beta).bodyAsString()).doesNotContain(id);
    assertThat(errorsCsv(alpha, job)).hasSize(2);

    HttpResponse<Buffer> first = client.get("/api/v1/jobs?limit=1&state=completed", alpha);
    assertThat(first.statusCode()).isEqualTo(200);
    JsonObject page = first.bodyAsJsonObject();
    assertThat(page.getJsonArray("data")).hasSize(1);
    assertThat(page.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(page.getString("next_cursor")).isNotNull();
    HttpResponse<Buffer> next =
        client.get("/api/v1/jobs?limit=1&cursor=" + page.getString("next_cursor"), alpha);
    assertThat(next.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id"))
        .isNotEqualTo(id);
    assertProblem(client.get("/api/v1/jobs?state=done", alpha), 400, "state");
  }

  @Test
  void seed000UploadFillsAListNamedAfterTheFileAndAnswersInItsShape() {
    HttpResponse<Buffer> keyed =
        client.post(
            "/api/v1/api-keys",
            alpha,
            new JsonObject()
                .put("name", "seed 000 client")
                .put("scopes", new JsonArray().add("contacts:write").add("contacts:read")));
    assertThat(keyed.statusCode()).as(keyed.bodyAsString()).isEqualTo(201);
    String key = keyed.bodyAsJsonObject().getString("key");
    String csv = "phone,name,message\n+33612349001,Ann,Hello {name}\n+33612349002,Ben,Hi\n";
    HttpResponse<Buffer> uploaded =
        client.send(
            HttpMethod.POST,
            "/api/csv/upload",
            MultiMap.caseInsensitiveMultiMap().add("X-API-Key", key),
            form("contacts_20251230.csv", csv.getBytes(StandardCharsets.UTF_8), Map.of()),
            "multipart/form-data; boundary=" + BOUNDARY);
    assertThat(uploaded.statusCode()).as(uploaded.bodyAsString()).isEqualTo(200);
    assertThat(uploaded.getHeader("X-RateLimit-Limit")).isNotNull();
    JsonObject body = uploaded.bodyAsJsonObject();
    assertThat(body.getBoolean("success")).isTrue();
    assertThat(body.getString("filename")).isEqualTo("contacts_20251230.csv");
    assertThat(body.getLong("contacts_imported")).isEqualTo(2);
    String list = body.getString("list_id");
    JsonObject group = client.get("/api/v1/contact-groups/" + list, alpha).bodyAsJsonObject();
    assertThat(group.getString("name")).isEqualTo("contacts_20251230.csv");
    assertThat(group.getLong("member_count")).isEqualTo(2);
    assertThat(contact(alpha, "+33612349001").getJsonObject("custom_fields").getString("message"))
        .isEqualTo("Hello {name}");
    assertProblem(
        client.send(
            HttpMethod.POST,
            "/api/csv/upload",
            MultiMap.caseInsensitiveMultiMap(),
            form("x.csv", csv.getBytes(StandardCharsets.UTF_8), Map.of()),
            "multipart/form-data; boundary=" + BOUNDARY),
        401,
        "Authentication");
  }

  @Test
  void anUnfinishedJobWhoseProcessDiedIsMarkedFailed() throws Exception {
    UUID id = UUID.randomUUID();
    UUID account =
        pool.query("SELECT id FROM accounts WHERE name = 'import-alpha'")
            .execute()
            .await()
            .iterator()
            .next()
            .getUUID("id");
    pool.preparedQuery(
            "INSERT INTO jobs (id, account_id, type, state, started_at, heartbeat_at, rows_read,"
                + " rows_imported) VALUES ($1, $2, 'contacts.import', 'running',"
                + " now() - interval '1 minute', now() - interval '1 minute', 500, 500)")
        .execute(Tuple.of(id, account))
        .await();
    JsonObject job = finished(alpha, new JsonObject().put("id", id.toString()));
    assertThat(job.getString("state")).isEqualTo("failed");
    assertThat(job.getJsonObject("error").getString("code")).isEqualTo("interrupted");
    assertThat(job.getLong("imported")).isZero();
    assertThat(events("contacts.import_failed", id.toString())).hasSize(1);
  }
}
