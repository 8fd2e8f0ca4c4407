package herald.campaign;

import static herald.campaign.CampaignFlowTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Campaigns from CSV files: the sample template, the preview with its errors and rendered messages,
 * the upload that creates (and starts) a campaign whose rows are its recipients, and the refusal of
 * files that are not CSV text, too large or without a phone column.
 */
class CampaignUploadTest {
  private static final int LIMIT = 262_144;
  private static final String BOUNDARY = "herald-test-boundary";
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject().put("http", new JsonObject().put("upload_body_limit_bytes", LIMIT)));
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.herald().simulators().smsc();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  /** A multipart form with {@code fields} and, when not null, {@code file} as its "file" part. */
  private static HttpResponse<Buffer> form(String path, Map<String, String> fields, byte[] file) {
    Buffer body = Buffer.buffer();
    fields.forEach(
        (name, value) ->
            body.appendString("--" + BOUNDARY + "\r\n")
                .appendString("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
                .appendString(value + "\r\n"));
    if (file != null) {
      body.appendString("--" + BOUNDARY + "\r\n")
          .appendString("Content-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n")
          .appendString("Content-Type: text/csv\r\n\r\n")
          .appendBytes(file)
          .appendString("\r\n");
    }
    body.appendString("--" + BOUNDARY + "--\r\n");
    return client.send(
        HttpMethod.POST, path, headers(), body, "multipart/form-data; boundary=" + BOUNDARY);
  }

  private static HttpResponse<Buffer> raw(String path, byte[] body, String type) {
    return client.send(HttpMethod.POST, path, headers(), Buffer.buffer(body), type);
  }

  private static MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> fields(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  private static JsonObject status(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response.bodyAsJsonObject();
  }

  private static JsonObject problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    return response.bodyAsJsonObject();
  }

  @Test
  void csvTemplateIsASampleFileThatPreviewsClean() {
    HttpResponse<Buffer> template = client.get("/api/v1/campaigns/csv-template", admin);
    assertThat(template.statusCode()).isEqualTo(200);
    assertThat(template.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(template.getHeader("Content-Disposition")).contains("attachment");
    String[] lines = template.bodyAsString().split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("phone_number,name,first_name,").contains("company");

    JsonObject preview =
        status(raw("/api/v1/campaigns/preview-csv", template.body().getBytes(), "text/csv"), 200);
    assertThat(preview.getLong("total_rows")).isEqualTo(2);
    assertThat(preview.getLong("invalid_rows")).isZero();
    assertThat(preview.getString("timezone_column")).isEqualTo("timezone");
  }

  @Test
  void previewListsFirstRowsErrorsAndRenderedMessages() {
    String csv =
        "Mobile;First_Name;City\n"
            + "+14155550301;Ann;Paris\n"
            + "12;Bob;Rome\n"
            + ";Cy;Oslo\n"
            + "+14155550302;Dee;\n";
    JsonObject preview =
        status(
            form(
                "/api/v1/campaigns/preview-csv?limit=3",
                fields("message", "Hi {first_name}, see you in {city|town}"),
                utf8(csv)),
            200);
    assertThat(preview.getJsonArray("columns").getList())
        .containsExactly("Mobile", "First_Name", "City");
    assertThat(preview.getString("phone_column")).isEqualTo("Mobile");
    assertThat(preview.getJsonArray("variables").getList()).containsExactly("First_Name", "City");
    assertThat(preview.getLong("total_rows")).isEqualTo(4);
    assertThat(preview.getLong("valid_rows")).isEqualTo(2);
    assertThat(preview.getLong("invalid_rows")).isEqualTo(2);
    JsonArray errors = preview.getJsonArray("errors");
    assertThat(errors).hasSize(2);
    assertThat(errors.getJsonObject(0).getLong("row")).isEqualTo(2);
    assertThat(errors.getJsonObject(0).getLong("line")).isEqualTo(3);
    assertThat(errors.getJsonObject(0).getString("code")).isEqualTo("invalid_number");
    assertThat(errors.getJsonObject(1).getLong("row")).isEqualTo(3);
    assertThat(errors.getJsonObject(1).getString("code")).isEqualTo("missing_phone");
    JsonArray shown = preview.getJsonArray("recipients");
    assertThat(shown).hasSize(3);
    JsonObject ann = shown.getJsonObject(0);
    assertThat(ann.getString("phone_number")).isEqualTo("+14155550301");
    assertThat(ann.getBoolean("valid")).isTrue();
    assertThat(ann.getString("message")).isEqualTo("Hi Ann, see you in Paris");
    assertThat(ann.getJsonObject("data").getString("City")).isEqualTo("Paris");
    assertThat(shown.getJsonObject(1).getString("error")).isEqualTo("invalid_number");

    JsonObject rawPreview =
        status(
            raw(
                "/api/v1/campaigns/preview-csv?message=To+%7Bphone%7D+in+%7Bcity%7D",
                utf8("phone,city\n+14155550303,\n"), "text/csv"),
            200);
    JsonObject only = rawPreview.getJsonArray("recipients").getJsonObject(0);
    assertThat(only.getString("message")).isEqualTo("To +14155550303 in ");
    assertThat(only.getJsonArray("missing_variables").getList()).containsExactly("city");
    problem(raw("/api/v1/campaigns/preview-csv?limit=101", utf8(csv), "text/csv"), 400);
  }

  @Test
  void uploadCreatesAndStartsACampaignThatSendsEachRowItsVariables() throws Exception {
    String csv =
        "\uFEFFphone_number,first_name,city,timezone\r\n"
            + "+14155550401,Ann,Paris,Europe/Paris\r\n"
            + "+14155550402,\"Bob \"\"B\"\"\",\"Rome, IT\",\r\n"
            + "not-a-number,Cy,Oslo,\r\n"
            + "+14155550401,Ann again,Paris,\r\n"
            + ",Nobody,Nowhere,\r\n";
    JsonObject created =
        status(
            form(
                "/api/v1/campaigns/upload",
                fields(
                    "name",
                    "From CSV",
                    "message",
                    "Hello {first_name} from {city}",
                    "rate_per_second",
                    "50",
                    "start",
                    "true"),
                utf8(csv)),
            201);
    assertThat(created.getString("status")).isEqualTo("running");
    assertThat(created.getDouble("rate_per_second")).isEqualTo(50.0);
    JsonObject upload = created.getJsonObject("upload");
    assertThat(upload.getLong("rows")).isEqualTo(5);
    assertThat(upload.getLong("recipients_added")).isEqualTo(3);
    assertThat(upload.getLong("invalid_numbers")).isEqualTo(1);
    assertThat(upload.getLong("duplicates")).isEqualTo(1);
    assertThat(upload.getLong("missing_phone")).isEqualTo(1);
    assertThat(upload.getJsonArray("errors")).hasSize(2);

    String id = created.getString("id");
    JsonObject done =
        awaitStatus(client, admin, id, s -> "completed".equals(s.getString("status")));
    assertThat(done.getLong("total")).isEqualTo(3);
    assertThat(done.getLong("sent")).isEqualTo(2);
    assertThat(done.getJsonObject("skipped_by_reason").fieldNames())
        .containsExactlyInAnyOrder("invalid_number", "duplicate", "missing_phone");
    assertThat(
            smsc.submitted().stream()
                .filter(s -> s.destination().startsWith("1415555040"))
                .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
                .sorted())
        .containsExactly("Hello Ann from Paris", "Hello Bob \"B\" from Rome, IT");
    JsonObject ann =
        status(client.get("/api/v1/campaigns/" + id + "/recipients?limit=1", admin), 200)
            .getJsonArray("data")
            .getJsonObject(0);
    assertThat(ann.getString("timezone")).isEqualTo("Europe/Paris");
    assertThat(ann.getJsonObject("data").getString("first_name")).isEqualTo("Ann");
  }

  @Test
  void rawCsvBodyMakesADraftAndScheduledAtASchedule() {
    JsonObject draft =
        status(
            raw(
                "/api/v1/campaigns/upload?campaign_name=Raw&message_template=Hi",
                utf8("msisdn\n+14155550501\n+14155550502\n"),
                "text/csv"),
            201);
    assertThat(draft.getString("status")).isEqualTo("draft");
    assertThat(draft.getString("name")).isEqualTo("Raw");
    assertThat(draft.getJsonObject("upload").getLong("recipients_added")).isEqualTo(2);

    String at = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonObject scheduled =
        status(
            form(
                "/api/v1/campaigns/upload",
                fields("name", "Later", "message", "Hi", "scheduled_at", at),
                utf8("tel\n+14155550503\n")),
            201);
    assertThat(scheduled.getString("status")).isEqualTo("scheduled");
    assertThat(scheduled.getString("scheduled_at")).isEqualTo(at);
  }

  @Test
  void filesThatAreNotCsvTextAreRefusedWithProblems() {
    String path = "/api/v1/campaigns/upload";
    Map<String, String> named = fields("name", "Bad file", "message", "Hi");
    byte[] nul = utf8("phone\n+14155550601\n\0\0\0\n");
    problem(form(path, named, nul), 400);
    problem(form(path, named, new byte[] {'p', 'h', 'o', 'n', 'e', '\n', (byte) 0xC3, '('}), 400);
    problem(form(path, named, new byte[0]), 400);
    problem(form(path, named, utf8("phone\n\"+14155550602\n")), 400);
    JsonObject noPhone = problem(form(path, named, utf8("name,city\nAnn,Paris\n")), 422);
    assertThat(noPhone.getJsonArray("errors").getJsonObject(0).getString("code"))
        .isEqualTo("no_phone_column");
    problem(form(path, named, utf8("phone,name\n")), 422);
    problem(form(path, named, null), 422);
    problem(form(path, fields("message", "Hi"), utf8("phone\n+14155550603\n")), 422);
    problem(form(path, fields("name", "x", "start", "maybe"), utf8("phone\n+14155550604\n")), 422);
    problem(form(path, fields("name", "x", "colour", "red"), utf8("phone\n+14155550605\n")), 422);
    problem(raw(path + "?name=x", utf8("{\"phone\": 1}"), "application/json"), 415);
    problem(raw(path + "?name=x", new byte[LIMIT + 1], "text/csv"), 413);
    problem(form(path, named, new byte[LIMIT + 1]), 413);
    problem(raw("/api/v1/campaigns/preview-csv", nul, "text/csv"), 400);
  }

  @Test
  void aFileBadPastTheFirstChunkCreatesNothing() {
    StringBuilder csv = new StringBuilder("phone,n\n");
    for (int i = 0; i < 6000; i++) {
      csv.append("+1415556").append(String.format("%04d", i)).append(',').append(i).append('\n');
    }
    csv.append("+14155550700,\0\n");
    problem(
        form(
            "/api/v1/campaigns/upload",
            fields("name", "Half", "message", "Hi"),
            utf8(csv.toString())),
        400);
    JsonArray campaigns =
        status(client.get("/api/v1/campaigns?limit=200", admin), 200).getJsonArray("data");
    assertThat(campaigns.stream().map(c -> ((JsonObject) c).getString("name")))
        .doesNotContain("Half");
  }
}
