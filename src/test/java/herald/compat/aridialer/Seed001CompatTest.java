package herald.compat.aridialer;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Replays every request example of seed 001's API document (the ARI Dialer) against {@code
 * /compat/ari-dialer/api}, in the document's order, with two ARI senders on the simulator standing
 * for the seed's trunks, then every other endpoint the document lists, and checks the seed's
 * envelope, pagination, status codes, per-token permissions and expiry, CORS, and that another
 * account's ids answer 404.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Seed001CompatTest {
  private static final String API = "/compat/ari-dialer/api";
  private static final String USER = "herald";
  private static final String PASSWORD = "ari-secret";

  private static Vertx simVertx;
  private static AriSimulator ari;
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String token;
  private static String salesCampaign;
  private static String pythonCampaign;
  private static String otherTenant;

  @BeforeAll
  static void start() {
    simVertx = Vertx.vertx();
    ari =
        AriSimulator.start(
                simVertx,
                AriSimConfig.loopback(USER, PASSWORD)
                    .withTiming(Duration.ofMillis(300), Duration.ofMillis(100))
                    // callees answer and talk briefly; +1415556... stay on the line
                    .withNumber(
                        "+1415555",
                        CallScript.answer(Duration.ofMillis(100), Duration.ofMillis(1500)))
                    .withNumber(
                        "+1415556",
                        CallScript.answer(Duration.ofMillis(100), Duration.ofSeconds(60)))
                    // the agent at extension 100 answers
                    .withNumber("100", CallScript.answer(Duration.ofMillis(100), null)))
            .await();
    herald =
        TestHerald.start(
            new JsonObject().put("simulators", new JsonObject().put("enabled", false)));
    client = herald.client();
    admin = client.loginAdmin();
    sender("my_trunk");
    sender("trunk1");
    // the seed's quick start makes a token; here through the seed's own endpoint
    HttpResponse<Buffer> created =
        client.post(API + "/tokens", admin, new JsonObject().put("name", "My API Token"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    token = created.bodyAsJsonObject().getJsonObject("data").getString("token");
    assertThat(token).isNotBlank();

    client.post(
        "/api/v1/accounts",
        admin,
        new JsonObject()
            .put("name", "dialer other tenant")
            .put("admin_username", "dialer-other")
            .put("admin_password", "password-dialer-other"));
    otherTenant = client.login("dialer-other", "password-dialer-other");
  }

  @AfterAll
  static void stop() {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  /** An ARI sender dialling PJSIP/{number}@{trunk}: the seed's trunk. */
  private static void sender(String trunk) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/senders",
            admin,
            new JsonObject()
                .put("name", "asterisk " + trunk)
                .put("provider", "ari")
                .put("rate_per_second", 1000)
                .put(
                    "settings",
                    new JsonObject()
                        .put("base_url", ari.baseUrl() + "/ari")
                        .put("username", USER)
                        .put("password", PASSWORD)
                        .put("app", "dialer-" + trunk)
                        .put("endpoint", "PJSIP/{number}@" + trunk)
                        .put("caller_id", "+15550100")
                        .put("max_concurrent_calls", 10)
                        .put("calls_per_second", 20)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  private static JsonObject ok(HttpResponse<Buffer> res, int status) {
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(status);
    JsonObject body = res.bodyAsJsonObject();
    assertThat(body.getBoolean("success")).isTrue();
    assertThat(body.getInteger("code")).isEqualTo(status);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.containsKey("data")).isTrue();
    return body;
  }

  private static JsonObject error(HttpResponse<Buffer> res, int status) {
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(status);
    JsonObject body = res.bodyAsJsonObject();
    assertThat(body.getBoolean("success")).isFalse();
    assertThat(body.getInteger("code")).isEqualTo(status);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getJsonObject("errors")).isNotNull();
    return body;
  }

  private static void paginated(JsonObject body, long total, int perPage, int page) {
    JsonObject p = body.getJsonObject("pagination");
    assertThat(p.getLong("total")).isEqualTo(total);
    assertThat(p.getInteger("per_page")).isEqualTo(perPage);
    assertThat(p.getInteger("current_page")).isEqualTo(page);
    assertThat(p.getLong("total_pages")).isEqualTo((total + perPage - 1) / perPage);
    assertThat(p.containsKey("from")).isTrue();
    assertThat(p.containsKey("to")).isTrue();
  }

  private static HttpResponse<Buffer> put(String path, String bearer, JsonObject body) {
    return client.send(HttpMethod.PUT, path, bearer, body);
  }

  private static String status(String campaignId) {
    return client
        .get(API + "/campaigns/" + campaignId, token)
        .bodyAsJsonObject()
        .getJsonObject("data")
        .getString("status");
  }

  // ---- "Test API" and "List campaigns" ------------------------------------------------------

  @Test
  @Order(1)
  void theTestConnectionRequestAnswersTheEnvelopeWithTheCaller() {
    JsonObject body = ok(client.get(API, token), 200);
    assertThat(body.getJsonObject("data").getString("version")).isEqualTo("1.0");
    assertThat(body.getJsonObject("data").getJsonObject("user").getString("username"))
        .isEqualTo("admin");
    JsonObject list = ok(client.get(API + "/campaigns", token), 200);
    assertThat(list.getJsonArray("data")).isEmpty();
    paginated(list, 0, 20, 1);
  }

  // ---- "Start a Campaign with Numbers" ------------------------------------------------------

  @Test
  @Order(2)
  void theShellExampleCreatesACampaignAddsNumbersInBulkAndStartsIt() {
    JsonObject created =
        ok(
            client.post(
                API + "/campaigns",
                token,
                new JsonObject()
                    .put("name", "Sales Campaign")
                    .put("trunk_type", "pjsip")
                    .put("trunk_value", "my_trunk")
                    .put("callerid", "1234567890")
                    .put("agent_dest_type", "exten")
                    .put("agent_dest_value", "100")
                    .put("concurrent_calls", 5)
                    .put("record_calls", 1)),
            201);
    JsonObject c = created.getJsonObject("data");
    salesCampaign = c.getString("id");
    assertThat(salesCampaign).isNotBlank();
    assertThat(c.getString("name")).isEqualTo("Sales Campaign");
    assertThat(c.getString("trunk_type")).isEqualTo("pjsip");
    assertThat(c.getString("trunk_value")).isEqualTo("my_trunk");
    assertThat(c.getString("callerid")).isEqualTo("1234567890");
    assertThat(c.getString("agent_dest_type")).isEqualTo("exten");
    assertThat(c.getString("agent_dest_value")).isEqualTo("100");
    assertThat(c.getInteger("concurrent_calls")).isEqualTo(5);
    assertThat(c.getInteger("record_calls")).isEqualTo(1);
    // in Herald: a voice campaign on the my_trunk sender, bridging each call to extension 100
    JsonObject inHerald =
        client.get("/api/v1/campaigns/" + salesCampaign, admin).bodyAsJsonObject();
    assertThat(inHerald.getString("channel")).isEqualTo("voice");
    JsonObject voice = inHerald.getJsonObject("voice");
    assertThat(voice.getJsonObject("agent").getString("type")).isEqualTo("extension");
    assertThat(voice.getString("caller_id")).isEqualTo("1234567890");
    assertThat(voice.getBoolean("record")).isTrue();

    JsonObject bulk =
        ok(
            client.post(
                API + "/campaigns/" + salesCampaign + "/numbers/bulk",
                token,
                new JsonObject()
                    .put(
                        "numbers",
                        new JsonArray()
                            .add(number("5551111111", "John"))
                            .add(number("5552222222", "Jane"))
                            .add(number("5553333333", "Bob")))),
            201);
    assertThat(bulk.getJsonObject("data").getInteger("received")).isEqualTo(3);
    assertThat(bulk.getJsonObject("data").getInteger("added")).isEqualTo(3);
    assertThat(bulk.getJsonObject("data").getJsonArray("ids")).hasSize(3);
    // one callable number too (the document's 555 numbers are not valid North American numbers)
    JsonObject single =
        ok(
            client.post(
                API + "/campaigns/" + salesCampaign + "/numbers",
                token,
                number("+14155550123", "Ann")),
            201);
    assertThat(single.getJsonObject("data").getString("phone_number")).isEqualTo("+14155550123");
    assertThat(single.getJsonObject("data").getJsonObject("data").getString("name"))
        .isEqualTo("Ann");

    JsonObject started =
        ok(client.post(API + "/campaigns/" + salesCampaign + "/start", token, null), 200);
    assertThat(started.getJsonObject("data").getString("status")).isEqualTo("running");
  }

  private static JsonObject number(String phone, String name) {
    return new JsonObject()
        .put("phone_number", phone)
        .put("data", new JsonObject().put("name", name));
  }

  // ---- "Monitor Campaign Progress" ----------------------------------------------------------

  @Test
  @Order(3)
  void theStatsExampleAnswersTheFieldsTheScriptReads() {
    Await.until(
        "the sales campaign completed",
        Duration.ofSeconds(60),
        () -> "completed".equals(status(salesCampaign)));
    JsonObject stats =
        ok(client.get(API + "/campaigns/" + salesCampaign + "/stats", token), 200)
            .getJsonObject("data");
    for (String field :
        new String[] {"total", "pending", "calling", "answered", "completed", "failed"}) {
      assertThat(stats.containsKey(field)).as(field).isTrue();
    }
    assertThat(stats.getLong("total")).isEqualTo(4);
    assertThat(stats.getLong("answered")).isEqualTo(1);
    assertThat(stats.getLong("calling")).isZero();
    assertThat(stats.getLong("skipped")).isEqualTo(3); // the invalid 555 numbers
    assertThat(stats.getLong("pending")).isZero();
  }

  // ---- "Python Integration" -----------------------------------------------------------------

  @Test
  @Order(4)
  void thePythonClientCreatesAddsNumbersAndStarts() {
    JsonObject created =
        ok(
            client.post(
                API + "/campaigns",
                token,
                new JsonObject()
                    .put("name", "Python Campaign")
                    .put("trunk_type", "pjsip")
                    .put("trunk_value", "trunk1")
                    .put("agent_dest_type", "exten")
                    .put("agent_dest_value", "100")
                    .put("concurrent_calls", 3)),
            201);
    pythonCampaign = created.getJsonObject("data").getString("id");
    assertThat(created.getJsonObject("data").getString("trunk_value")).isEqualTo("trunk1");
    assertThat(created.getJsonObject("data").getInteger("record_calls")).isZero();
    JsonObject added =
        ok(
            client.post(
                API + "/campaigns/" + pythonCampaign + "/numbers/bulk",
                token,
                new JsonObject()
                    .put(
                        "numbers",
                        new JsonArray()
                            .add(new JsonObject().put("phone_number", "5551234567"))
                            .add(new JsonObject().put("phone_number", "5559876543")))),
            201);
    assertThat(added.getJsonObject("data").getInteger("added")).isEqualTo(2);

    // before it starts: PUT changes it, a number can be deleted
    JsonObject updated =
        ok(
            put(
                API + "/campaigns/" + pythonCampaign,
                token,
                new JsonObject().put("concurrent_calls", 8).put("callerid", "5550001")),
            200);
    assertThat(updated.getJsonObject("data").getInteger("concurrent_calls")).isEqualTo(8);
    assertThat(updated.getJsonObject("data").getString("callerid")).isEqualTo("5550001");
    assertThat(updated.getJsonObject("data").getString("agent_dest_value")).isEqualTo("100");
    String numberId = added.getJsonObject("data").getJsonArray("ids").getString(1);
    ok(client.get(API + "/numbers/" + numberId, token), 200);
    ok(client.delete(API + "/numbers/" + numberId, token), 200);
    error(client.get(API + "/numbers/" + numberId, token), 404);

    JsonObject started =
        ok(client.post(API + "/campaigns/" + pythonCampaign + "/start", token, null), 200);
    assertThat(started.getJsonObject("data").getString("status")).isIn("running", "completed");
    // started: numbers can no longer be removed
    String first = added.getJsonObject("data").getJsonArray("ids").getString(0);
    assertThat(client.delete(API + "/numbers/" + first, token).statusCode()).isEqualTo(409);
  }

  // ---- "Testing with curl" ------------------------------------------------------------------

  @Test
  @Order(5)
  void theCurlExamplesAnswerAsDocumented() {
    ok(client.get(API, token), 200);
    JsonObject list = ok(client.get(API + "/campaigns", token), 200);
    assertThat(list.getJsonArray("data")).hasSize(2);
    paginated(list, 2, 20, 1);
    JsonObject status =
        Await.until(
            "both trunks connected",
            Duration.ofSeconds(30),
            () -> ok(client.get(API + "/monitoring/status", token), 200).getJsonObject("data"),
            s -> "connected".equals(s.getJsonObject("asterisk").getString("status")));
    assertThat(status.getJsonObject("asterisk").getJsonArray("senders")).hasSize(2);
    assertThat(status.getJsonObject("database").getString("status")).isEqualTo("up");
    JsonObject created =
        ok(
            client.post(
                API + "/campaigns",
                token,
                new JsonObject()
                    .put("name", "Test Campaign")
                    .put("trunk_type", "pjsip")
                    .put("trunk_value", "trunk1")
                    .put("agent_dest_type", "exten")
                    .put("agent_dest_value", "100")),
            201);
    assertThat(created.getJsonObject("data").getString("status")).isEqualTo("draft");
  }

  // ---- "Token Permissions" and "Token Expiration" -------------------------------------------

  @Test
  @Order(6)
  void aTokenWithTheDocumentsPermissionsReachesOnlyThoseEndpoints() {
    JsonObject created =
        ok(
            client.post(
                API + "/tokens",
                token,
                new JsonObject()
                    .put("name", "Limited")
                    .put(
                        "permissions",
                        new JsonArray()
                            .add("campaigns/*")
                            .add("campaigns/list")
                            .add("campaigns/view")
                            .add("cdr/*")
                            .add("monitoring/*"))),
            201);
    JsonObject data = created.getJsonObject("data");
    assertThat(data.getJsonArray("permissions").getList())
        .contains("campaigns/*", "cdr/*", "monitoring/*")
        .doesNotContain("users/*", "ivr/*", "tokens/*");
    String limited = data.getString("token");
    ok(client.get(API + "/campaigns", limited), 200);
    ok(client.get(API + "/cdr", limited), 200);
    ok(client.get(API + "/monitoring/realtime", limited), 200);
    // Herald's calls:read also reads IVR menus (no scope of their own), but not deleting one
    ok(client.get(API + "/ivr", limited), 200);
    error(client.delete(API + "/ivr/" + java.util.UUID.randomUUID(), limited), 403);
    error(client.get(API + "/users", limited), 403);
    error(client.get(API + "/tokens", limited), 403);

    JsonObject listOnly =
        ok(
            client.post(
                API + "/tokens",
                token,
                new JsonObject()
                    .put("name", "List only")
                    .put("permissions", new JsonArray().add("campaigns/list"))),
            201);
    String reader = listOnly.getJsonObject("data").getString("token");
    ok(client.get(API + "/campaigns", reader), 200);
    error(
        client.post(
            API + "/campaigns",
            reader,
            new JsonObject().put("name", "nope").put("trunk_value", "trunk1")),
        403);
    error(client.get(API + "/cdr", reader), 403);

    JsonObject unknown =
        error(
            client.post(
                API + "/tokens",
                token,
                new JsonObject()
                    .put("name", "bad")
                    .put("permissions", new JsonArray().add("fax/*"))),
            400);
    assertThat(unknown.getJsonObject("errors").containsKey("permissions")).isTrue();
  }

  @Test
  @Order(7)
  void aTokensExpiryIsTheSeedsTimeFormatAndThePastIsRefused() {
    // the document's own example date has passed: Herald will not mint an already expired token
    JsonObject past =
        error(
            client.post(
                API + "/tokens",
                token,
                new JsonObject()
                    .put("name", "Temporary Token")
                    .put("expires_at", "2025-12-31 23:59:59")),
            400);
    assertThat(past.getJsonObject("errors").containsKey("expires_at")).isTrue();
    JsonObject future =
        ok(
            client.post(
                API + "/tokens",
                token,
                new JsonObject()
                    .put("name", "Temporary Token")
                    .put("expires_at", "2099-12-31 23:59:59")),
            201);
    assertThat(future.getJsonObject("data").getString("expires_at"))
        .isEqualTo("2099-12-31 23:59:59");
    ok(client.get(API + "/campaigns", future.getJsonObject("data").getString("token")), 200);
  }

  // ---- every other endpoint of "Available Endpoints" ----------------------------------------

  @Test
  @Order(8)
  void campaignsAreReadControlledAndDeleted() throws Exception {
    JsonObject got = ok(client.get(API + "/campaigns/" + salesCampaign, token), 200);
    assertThat(got.getJsonObject("data").getString("status")).isEqualTo("completed");
    // paging: one per page
    JsonObject second = ok(client.get(API + "/campaigns?page=2&per_page=1", token), 200);
    assertThat(second.getJsonArray("data")).hasSize(1);
    paginated(second, 3, 1, 2);
    assertThat(second.getJsonObject("pagination").getLong("from")).isEqualTo(2);
    assertThat(second.getJsonObject("pagination").getLong("to")).isEqualTo(2);

    // pause, resume and stop a campaign whose callee stays on the line
    String id =
        ok(
                client.post(
                    API + "/campaigns",
                    token,
                    new JsonObject()
                        .put("name", "Long calls")
                        .put("trunk_type", "pjsip")
                        .put("trunk_value", "trunk1")
                        .put("agent_dest_type", "queue")
                        .put("agent_dest_value", "100")
                        .put("concurrent_calls", 1)),
                201)
            .getJsonObject("data")
            .getString("id");
    ok(
        client.post(
            API + "/campaigns/" + id + "/numbers/bulk",
            token,
            new JsonObject()
                .put("numbers", new JsonArray().add("+14155560001").add("+14155560002"))),
        201);
    ok(client.post(API + "/campaigns/" + id + "/start", token, null), 200);
    Await.until(
        "a call up",
        Duration.ofSeconds(30),
        () ->
            client
                    .get(API + "/campaigns/" + id + "/stats", token)
                    .bodyAsJsonObject()
                    .getJsonObject("data")
                    .getLong("calling")
                == 1);
    JsonObject channels = ok(client.get(API + "/monitoring/channels", token), 200);
    assertThat(channels.getJsonObject("data").getInteger("count")).isGreaterThanOrEqualTo(1);
    JsonObject realtime = ok(client.get(API + "/monitoring/realtime", token), 200);
    assertThat(realtime.getJsonObject("data").getJsonArray("campaigns").stream())
        .anyMatch(c -> id.equals(((JsonObject) c).getString("campaign_id")));
    assertThat(
            ok(client.post(API + "/campaigns/" + id + "/pause", token, null), 200)
                .getJsonObject("data")
                .getString("status"))
        .isEqualTo("paused");
    assertThat(
            ok(client.post(API + "/campaigns/" + id + "/resume", token, null), 200)
                .getJsonObject("data")
                .getString("status"))
        .isEqualTo("running");
    assertThat(
            ok(client.post(API + "/campaigns/" + id + "/stop", token, null), 200)
                .getJsonObject("data")
                .getString("status"))
        .isEqualTo("stopped");
    // a running campaign cannot be deleted; the stopped one and a draft can
    String draft =
        ok(
                client.post(
                    API + "/campaigns",
                    token,
                    new JsonObject()
                        .put("name", "To delete")
                        .put("trunk_value", "trunk1")
                        .put("agent_dest_type", "sip")
                        .put("agent_dest_value", "agent-7")),
                201)
            .getJsonObject("data")
            .getString("id");
    ok(client.delete(API + "/campaigns/" + draft, token), 200);
    error(client.get(API + "/campaigns/" + draft, token), 404);
  }

  @Test
  @Order(9)
  void numbersAreListedPagedAndReadWithTheirAttempts() {
    JsonObject page = ok(client.get(API + "/campaigns/" + salesCampaign + "/numbers", token), 200);
    assertThat(page.getJsonArray("data")).hasSize(4);
    paginated(page, 4, 20, 1);
    JsonObject second =
        ok(
            client.get(API + "/campaigns/" + salesCampaign + "/numbers?page=2&per_page=3", token),
            200);
    assertThat(second.getJsonArray("data")).hasSize(1);
    paginated(second, 4, 3, 2);
    JsonObject ann = second.getJsonArray("data").getJsonObject(0);
    assertThat(ann.getString("phone_number")).isEqualTo("+14155550123");
    assertThat(ann.getString("disposition")).isEqualTo("completed");
    assertThat(ann.getInteger("attempts")).isEqualTo(1);
    JsonObject john = page.getJsonArray("data").getJsonObject(0);
    assertThat(john.getString("status")).isEqualTo("skipped");
    assertThat(john.getString("reason")).isEqualTo("invalid_number");
    assertThat(john.getJsonObject("data").getString("name")).isEqualTo("John");

    JsonObject one = ok(client.get(API + "/numbers/" + ann.getString("id"), token), 200);
    JsonArray history = one.getJsonObject("data").getJsonArray("attempt_history");
    assertThat(history).hasSize(1);
    assertThat(history.getJsonObject(0).getString("status")).isEqualTo("completed");
    assertThat(history.getJsonObject(0).getString("cdr_id")).isNotNull();
    error(client.get(API + "/numbers/not-a-number", token), 404);
  }

  @Test
  @Order(10)
  void cdrsAreListedFilteredReadAndCounted() {
    JsonObject list =
        ok(
            client.get(API + "/cdr?campaign_id=" + salesCampaign + "&disposition=ANSWERED", token),
            200);
    assertThat(list.getJsonArray("data")).hasSize(1);
    paginated(list, 1, 20, 1);
    JsonObject cdr = list.getJsonArray("data").getJsonObject(0);
    assertThat(cdr.getString("disposition")).isEqualTo("ANSWERED");
    assertThat(cdr.getString("phone_number")).isEqualTo("+14155550123");
    assertThat(cdr.getString("callerid")).isEqualTo("1234567890");
    assertThat(cdr.getString("agent_status")).isEqualTo("answered");
    assertThat(cdr.getString("start_time")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    assertThat(cdr.getLong("billsec")).isGreaterThanOrEqualTo(1);
    JsonObject one = ok(client.get(API + "/cdr/" + cdr.getString("id"), token), 200);
    assertThat(one.getJsonObject("data").getString("id")).isEqualTo(cdr.getString("id"));
    JsonObject none =
        ok(client.get(API + "/cdr?campaign_id=" + salesCampaign + "&disposition=BUSY", token), 200);
    assertThat(none.getJsonArray("data")).isEmpty();
    JsonObject today =
        ok(
            client.get(
                API
                    + "/cdr?date_from=2020-01-01&date_to=2999-12-31%2000:00:00&campaign_id="
                    + salesCampaign,
                token),
            200);
    assertThat(today.getJsonArray("data")).hasSize(1);
    error(client.get(API + "/cdr?date_from=yesterday", token), 400);
    JsonObject stats =
        ok(client.get(API + "/cdr/stats?campaign_id=" + salesCampaign, token), 200)
            .getJsonObject("data");
    assertThat(stats.getLong("total_calls")).isEqualTo(1);
    assertThat(stats.getLong("answered")).isEqualTo(1);
    assertThat(stats.getJsonObject("by_disposition").getLong("ANSWERED")).isEqualTo(1);
  }

  @Test
  @Order(11)
  void ivrMenusAreListedReadWithTheirActionsAndDeleted() {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/ivr",
            admin,
            new JsonObject()
                .put("name", "Main")
                .put("start", "main")
                .put(
                    "menus",
                    new JsonObject()
                        .put(
                            "main",
                            new JsonObject()
                                .put("prompt", "sound:main-menu")
                                .put(
                                    "options",
                                    new JsonObject()
                                        .put(
                                            "1",
                                            new JsonObject()
                                                .put("action", "agent")
                                                .put(
                                                    "agent",
                                                    new JsonObject()
                                                        .put("type", "extension")
                                                        .put("value", "100")))
                                        .put("0", new JsonObject().put("action", "hangup"))))));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String ivr = created.bodyAsJsonObject().getString("id");
    JsonObject list = ok(client.get(API + "/ivr", token), 200);
    assertThat(list.getJsonArray("data")).hasSize(1);
    paginated(list, 1, 20, 1);
    JsonObject one = ok(client.get(API + "/ivr/" + ivr, token), 200).getJsonObject("data");
    assertThat(one.getString("name")).isEqualTo("Main");
    assertThat(one.getJsonArray("actions").stream().map(a -> (JsonObject) a))
        .anyMatch(
            a ->
                "1".equals(a.getString("dtmf_digit"))
                    && "agent".equals(a.getString("action_type"))
                    && "100".equals(a.getValue("action_value")));
    // a campaign may route its calls to the IVR
    JsonObject campaign =
        ok(
            client.post(
                API + "/campaigns",
                token,
                new JsonObject()
                    .put("name", "IVR campaign")
                    .put("trunk_value", "trunk1")
                    .put("agent_dest_type", "ivr")
                    .put("agent_dest_value", ivr)),
            201);
    assertThat(campaign.getJsonObject("data").getString("agent_dest_type")).isEqualTo("ivr");
    error(client.get(API + "/ivr/" + ivr, otherTenant), 404);
    error(client.delete(API + "/ivr/" + ivr, otherTenant), 404);
    ok(client.delete(API + "/ivr/" + ivr, token), 200);
    error(client.get(API + "/ivr/" + ivr, token), 404);
  }

  @Test
  @Order(12)
  void usersAreManagedByAdminsOnly() {
    JsonObject created =
        ok(
            client.post(
                API + "/users",
                token,
                new JsonObject()
                    .put("username", "operator1")
                    .put("password", "operator-password-1")
                    .put("email", "op@example.com")
                    .put("full_name", "Operator One")
                    .put("role", "user")),
            201);
    String id = created.getJsonObject("data").getString("id");
    assertThat(created.getJsonObject("data").getString("role")).isEqualTo("user");
    JsonObject list = ok(client.get(API + "/users", token), 200);
    assertThat(list.getJsonArray("data").stream())
        .anyMatch(u -> "operator1".equals(((JsonObject) u).getString("username")));
    JsonObject updated =
        ok(put(API + "/users/" + id, token, new JsonObject().put("full_name", "Op 1")), 200);
    assertThat(updated.getJsonObject("data").getString("full_name")).isEqualTo("Op 1");
    JsonObject bad =
        error(client.post(API + "/users", token, new JsonObject().put("username", "x")), 400);
    assertThat(bad.getJsonObject("errors").containsKey("password")).isTrue();

    // a user (not an admin) runs campaigns but may not manage users
    String operator = client.login("operator1", "operator-password-1");
    ok(client.get(API + "/campaigns", operator), 200);
    error(client.get(API + "/users", operator), 403);
    error(client.post(API + "/users", operator, new JsonObject().put("username", "y")), 403);

    ok(client.delete(API + "/users/" + id, token), 200);
    assertThat(client.get(API + "/campaigns", operator).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(13)
  void tokensAreListedAndRevoked() {
    JsonObject created =
        ok(client.post(API + "/tokens", token, new JsonObject().put("name", "To revoke")), 201);
    String id = created.getJsonObject("data").getString("id");
    String revoked = created.getJsonObject("data").getString("token");
    JsonObject list = ok(client.get(API + "/tokens", token), 200);
    assertThat(list.getJsonArray("data").stream())
        .anyMatch(t -> id.equals(((JsonObject) t).getString("id")));
    assertThat(list.getJsonArray("data").stream())
        .noneMatch(t -> ((JsonObject) t).containsKey("token"));
    error(client.delete(API + "/tokens/" + id, otherTenant), 404);
    ok(client.delete(API + "/tokens/" + id, token), 200);
    error(client.get(API + "/campaigns", revoked), 401);
  }

  @Test
  @Order(14)
  void anotherAccountsIdsAnswer404AndMissingOrBadTokens401() {
    String number =
        client
            .get(API + "/campaigns/" + salesCampaign + "/numbers", token)
            .bodyAsJsonObject()
            .getJsonArray("data")
            .getJsonObject(0)
            .getString("id");
    String cdr =
        client
            .get(API + "/cdr?campaign_id=" + salesCampaign, token)
            .bodyAsJsonObject()
            .getJsonArray("data")
            .getJsonObject(0)
            .getString("id");
    error(client.get(API + "/campaigns/" + salesCampaign, otherTenant), 404);
    error(client.get(API + "/campaigns/" + salesCampaign + "/stats", otherTenant), 404);
    error(client.get(API + "/campaigns/" + salesCampaign + "/numbers", otherTenant), 404);
    error(client.post(API + "/campaigns/" + salesCampaign + "/stop", otherTenant, null), 404);
    error(client.delete(API + "/campaigns/" + salesCampaign, otherTenant), 404);
    error(client.get(API + "/numbers/" + number, otherTenant), 404);
    error(client.delete(API + "/numbers/" + number, otherTenant), 404);
    error(client.get(API + "/cdr/" + cdr, otherTenant), 404);
    JsonObject otherCampaigns = ok(client.get(API + "/campaigns", otherTenant), 200);
    assertThat(otherCampaigns.getJsonArray("data")).isEmpty();
    // and a trunk is the caller's own sender: another account's trunk name matches nothing
    JsonObject trunk =
        error(
            client.post(
                API + "/campaigns",
                otherTenant,
                new JsonObject().put("name", "x").put("trunk_value", "my_trunk")),
            400);
    assertThat(trunk.getJsonObject("errors").containsKey("trunk_value")).isTrue();

    error(client.get(API + "/campaigns", null), 401);
    error(client.get(API + "/campaigns", "not-a-token"), 401);
    error(client.get(API + "/no-such-endpoint", token), 404);
  }

  @Test
  @Order(15)
  void badInputIsA400WithTheSeedsFieldNames() {
    JsonObject bad =
        error(
            client.post(
                API + "/campaigns",
                token,
                new JsonObject()
                    .put("name", "bad")
                    .put("trunk_value", "trunk1")
                    .put("agent_dest_type", "exten")
                    .put("agent_dest_value", "not an extension!")
                    .put("concurrent_calls", 0)),
            400);
    assertThat(bad.getJsonObject("errors").fieldNames())
        .contains("agent_dest_value", "concurrent_calls");
    JsonObject unknown =
        error(client.post(API + "/campaigns", token, new JsonObject().put("colour", "red")), 400);
    assertThat(unknown.getJsonObject("errors").containsKey("colour")).isTrue();
    error(client.get(API + "/campaigns?page=0", token), 400);
  }

  @Test
  @Order(16)
  void corsPreflightsAndResponsesCarryTheHeaders() {
    MultiMap preflight =
        MultiMap.caseInsensitiveMultiMap()
            .add("Origin", "https://dashboard.example")
            .add("Access-Control-Request-Method", "POST")
            .add("Access-Control-Request-Headers", "authorization, content-type");
    HttpResponse<Buffer> options =
        client.send(HttpMethod.OPTIONS, API + "/campaigns", preflight, null, null);
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.getHeader("Access-Control-Allow-Origin"))
        .isEqualTo("https://dashboard.example");
    assertThat(options.getHeader("Access-Control-Allow-Methods")).contains("POST", "PUT", "DELETE");
    assertThat(options.getHeader("Access-Control-Allow-Headers")).contains("Authorization");
    HttpResponse<Buffer> get =
        client.send(
            HttpMethod.GET,
            API + "/campaigns",
            MultiMap.caseInsensitiveMultiMap()
                .add("Origin", "https://dashboard.example")
                .add("Authorization", "Bearer " + token),
            null,
            null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://dashboard.example");
  }
}
