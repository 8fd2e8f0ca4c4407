package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IVR menus through the API against the ARI simulator: scripted key presses walk the menus, each
 * option's action happens, and every menu and key is recorded on the call and its CDR.
 */
class AriIvrTest {
  private static Vertx simVertx;
  private static AriSimulator ari;
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static VoiceTesting voice;
  private static String sender;

  @BeforeAll
  static void start() {
    simVertx = Vertx.vertx();
    // StasisStart arrives while ringing: the IVR must wait for the answer. Digits come 1.5 s
    // apart from the answer (room for a loaded machine), prompts play 100 ms per media URI.
    AriSimConfig config =
        AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
            .withStasisStartWhileRinging(true)
            .withTiming(Duration.ofMillis(1500), Duration.ofMillis(100))
            .withNumber("+1555901", CallScript.answer(Duration.ofMillis(300), null).withDtmf("13"))
            .withNumber("+1555902", CallScript.answer(Duration.ofMillis(300), null).withDtmf("14#"))
            .withNumber("+1555903", CallScript.answer(Duration.ofMillis(300), null).withDtmf("9"))
            .withNumber("+1555904", CallScript.answer(Duration.ofMillis(300), null).withDtmf("10"));
    ari = AriSimulator.start(simVertx, config).await();
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    voice = new VoiceTesting(client, admin);
    sender = voice.sender(ari.baseUrl(), "herald-ivr", 10, 50);
  }

  @AfterAll
  static void stop() {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  /** Two menus: main (1 → billing, 0 → hang up) and billing (3 → callback, 4 → message). */
  static JsonObject supportLine() {
    return new JsonObject()
        .put("name", "Support line")
        .put("start", "main")
        .put(
            "menus",
            new JsonObject()
                .put(
                    "main",
                    new JsonObject()
                        .put("prompt", new JsonArray().add("sound:welcome").add("sound:main-menu"))
                        .put("timeout_seconds", 3)
                        .put("max_retries", 1)
                        .put("retry_prompt", "sound:please-try-again")
                        .put("invalid_prompt", "sound:option-is-invalid")
                        .put(
                            "options",
                            new JsonObject()
                                .put(
                                    "1",
                                    new JsonObject().put("action", "menu").put("menu", "billing"))
                                .put(
                                    "0",
                                    new JsonObject()
                                        .put("action", "hangup")
                                        .put("prompt", "sound:goodbye"))))
                .put(
                    "billing",
                    new JsonObject()
                        .put("prompt", "sound:billing-menu")
                        .put("timeout_seconds", 5)
                        .put(
                            "options",
                            new JsonObject()
                                .put(
                                    "3",
                                    new JsonObject()
                                        .put("action", "webhook")
                                        .put("data", new JsonObject().put("topic", "billing"))
                                        .put("prompt", "sound:we-will-call-back"))
                                .put(
                                    "4",
                                    new JsonObject()
                                        .put("action", "record")
                                        .put("prompt", "sound:leave-a-message")
                                        .put("max_seconds", 30)))));
  }

  private static String createIvr(JsonObject body) {
    HttpResponse<Buffer> created = client.post("/api/v1/ivr", admin, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  private static List<String> steps(JsonArray path) {
    return path.stream()
        .map(o -> (JsonObject) o)
        .map(
            s ->
                s.getString("menu")
                    + ":"
                    + s.getString("event")
                    + (s.getString("key") == null ? "" : ":" + s.getString("key")))
        .toList();
  }

  @Test
  void aDtmfPathThroughTwoMenusEndsInTheCallbackAndIsRecordedOnTheCall() throws Exception {
    String ivr = createIvr(supportLine());
    String id = voice.call(sender, "+15559010001", new JsonObject().put("ivr_id", ivr));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("ivr_id")).isEqualTo(ivr);
    assertThat(call.getString("dtmf")).isEqualTo("13");
    assertThat(steps(call.getJsonArray("ivr_path")))
        .containsExactly("main:enter", "main:key:1", "billing:enter", "billing:key:3");
    assertThat(call.getJsonArray("ivr_path").getJsonObject(3).getString("action"))
        .isEqualTo("webhook");
    JsonObject callback = VoiceTesting.eventData(herald.database(), id, "call.ivr_callback");
    assertThat(callback).isNotNull();
    assertThat(callback.getJsonObject("ivr").getString("menu")).isEqualTo("billing");
    assertThat(callback.getJsonObject("ivr").getString("key")).isEqualTo("3");
    assertThat(callback.getJsonObject("ivr").getJsonObject("data").getString("topic"))
        .isEqualTo("billing");
    assertThat(VoiceTesting.events(herald.database(), id))
        .containsExactly(
            "call.queued", "call.ringing", "call.answered", "call.ivr_callback", "call.completed");
    JsonObject cdr = voice.cdrOf(id);
    assertThat(cdr.getString("dtmf")).isEqualTo("13");
    assertThat(steps(cdr.getJsonArray("ivr_path")))
        .containsExactly("main:enter", "main:key:1", "billing:enter", "billing:key:3");
    assertThat(cdr.getString("ivr_id")).isEqualTo(ivr);
  }

  @Test
  void theMessageOptionRecordsTheCallerUntilHashAndHangsUp() {
    String ivr = createIvr(supportLine());
    String id = voice.call(sender, "+15559020001", new JsonObject().put("ivr_id", ivr));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("dtmf")).isEqualTo("14#");
    assertThat(steps(call.getJsonArray("ivr_path")))
        .containsExactly(
            "main:enter",
            "main:key:1",
            "billing:enter",
            "billing:key:4",
            "billing:message_recorded");
    String name = call.getJsonArray("ivr_path").getJsonObject(4).getString("recording");
    assertThat(name)
        .isEqualTo("herald-" + id + "-msg-" + name.substring(name.lastIndexOf('-') + 1));
    HttpResponse<Buffer> recordings = client.get("/api/v1/recordings?call_id=" + id, admin);
    assertThat(recordings.statusCode()).as(recordings.bodyAsString()).isEqualTo(200);
    JsonArray data = recordings.bodyAsJsonObject().getJsonArray("data");
    assertThat(data).hasSize(1);
    assertThat(data.getJsonObject(0).getString("name")).isEqualTo(name);
    assertThat(data.getJsonObject(0).getString("kind")).isEqualTo("message");
    assertThat(data.getJsonObject(0).getString("state")).isEqualTo("done");
  }

  @Test
  void anInvalidKeyAndSilenceReplayThePromptThenTheTimeoutActionHangsUp() {
    String ivr = createIvr(supportLine());
    String id = voice.call(sender, "+15559030001", new JsonObject().put("ivr_id", ivr));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("dtmf")).isEqualTo("9");
    // 9 is no option (retry 1 of 1, after the invalid prompt), then silence spends the retries
    assertThat(steps(call.getJsonArray("ivr_path")))
        .containsExactly("main:enter", "main:invalid:9", "main:timeout", "main:retries_exhausted");
  }

  @Test
  void theHangupOptionEndsTheCallAndLaterKeysAreNotActedOn() {
    JsonObject body = supportLine();
    body.getJsonObject("menus")
        .getJsonObject("main")
        .getJsonObject("options")
        .put("1", new JsonObject().put("action", "hangup"));
    String ivr = createIvr(body);
    String id = voice.call(sender, "+15559040001", new JsonObject().put("ivr_id", ivr));
    JsonObject call = voice.await(id, "completed", Duration.ofSeconds(30));
    assertThat(steps(call.getJsonArray("ivr_path"))).containsExactly("main:enter", "main:key:1");
    assertThat(call.getString("dtmf")).isEqualTo("1");
  }

  @Test
  void ivrsAreCreatedReadReplacedAndDeletedPerAccount() {
    String id = createIvr(supportLine());
    JsonObject got = client.get("/api/v1/ivr/" + id, admin).bodyAsJsonObject();
    assertThat(got.getString("start")).isEqualTo("main");
    assertThat(got.getJsonObject("menus").getJsonObject("billing").getJsonArray("prompt"))
        .containsExactly("sound:billing-menu");
    assertThat(got.getJsonObject("menus").getJsonObject("billing").getInteger("max_retries"))
        .isEqualTo(2);
    JsonObject replaced = supportLine().put("name", "Renamed");
    HttpResponse<Buffer> put =
        client.send(io.vertx.core.http.HttpMethod.PUT, "/api/v1/ivr/" + id, admin, replaced);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(put.bodyAsJsonObject().getString("name")).isEqualTo("Renamed");
    assertThat(client.get("/api/v1/ivr", admin).bodyAsJsonObject().getJsonArray("data").stream())
        .anyMatch(o -> ((JsonObject) o).getString("id").equals(id));

    client.post(
        "/api/v1/accounts",
        admin,
        new JsonObject()
            .put("name", "ivr other tenant")
            .put("admin_username", "ivr-other")
            .put("admin_password", "password-ivr-other"));
    String other = client.login("ivr-other", "password-ivr-other");
    assertThat(client.get("/api/v1/ivr/" + id, other).statusCode()).isEqualTo(404);
    assertThat(
            client
                .send(io.vertx.core.http.HttpMethod.PUT, "/api/v1/ivr/" + id, other, replaced)
                .statusCode())
        .isEqualTo(404);
    assertThat(client.delete("/api/v1/ivr/" + id, other).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/ivr", other).bodyAsJsonObject().getJsonArray("data")).isEmpty();
    HttpResponse<Buffer> foreign =
        client.post(
            "/api/v1/calls",
            other,
            new JsonObject().put("to", "+15559010009").put("sender_id", sender).put("ivr_id", id));
    assertThat(foreign.statusCode()).isEqualTo(422);

    assertThat(client.delete("/api/v1/ivr/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/v1/ivr/" + id, admin).statusCode()).isEqualTo(404);
  }

  @Test
  void badMenusAnswerProblemsNamingTheField() {
    JsonObject body = supportLine();
    JsonObject main = body.getJsonObject("menus").getJsonObject("main");
    main.getJsonObject("options")
        .put("1", new JsonObject().put("action", "menu").put("menu", "nowhere"))
        .put("x", new JsonObject().put("action", "hangup"))
        .put(
            "5",
            new JsonObject()
                .put("action", "agent")
                .put("agent", new JsonObject().put("type", "pbx")));
    main.put("prompt", "http://example.com/a.wav");
    main.put("timeout_seconds", 0);
    body.put("start", "missing");
    HttpResponse<Buffer> bad = client.post("/api/v1/ivr", admin, body);
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.getHeader("Content-Type")).contains("problem+json");
    assertThat(bad.bodyAsString())
        .contains("menus.main.options.1.menu")
        .contains("menus.main.options.x")
        .contains("menus.main.options.5.agent.type")
        .contains("menus.main.prompt")
        .contains("menus.main.timeout_seconds")
        .contains("\"start\"");
    HttpResponse<Buffer> both =
        client.post(
            "/api/v1/calls",
            admin,
            new JsonObject()
                .put("to", "+15559010009")
                .put("sender_id", sender)
                .put("play", "sound:hello")
                .put("ivr_id", java.util.UUID.randomUUID().toString()));
    assertThat(both.statusCode()).isEqualTo(422);
    HttpResponse<Buffer> unknownIvr =
        client.post(
            "/api/v1/calls",
            admin,
            new JsonObject()
                .put("to", "+15559010009")
                .put("sender_id", sender)
                .put("ivr_id", java.util.UUID.randomUUID().toString()));
    assertThat(unknownIvr.statusCode()).isEqualTo(422);
    assertThat(unknownIvr.bodyAsString()).contains("ivr_id");
  }
}
