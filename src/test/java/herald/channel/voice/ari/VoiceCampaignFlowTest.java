package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Voice campaigns whose calls run an IVR or bridge an agent, through the API against the ARI
 * simulator: each attempt's call takes the same path as a single call with {@code ivr_id} or {@code
 * agent} (the scripted key presses walk the menus and are recorded on the call and its CDR; an
 * answered callee is bridged to the agent leg), and the campaign's {@code voice} is validated like
 * a single call's.
 */
class VoiceCampaignFlowTest {
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
    AriSimConfig config =
        AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
            .withStasisStartWhileRinging(true)
            .withTiming(Duration.ofMillis(1500), Duration.ofMillis(100))
            // IVR callees press 1 then 3
            .withNumber("+1415593", CallScript.answer(Duration.ofMillis(300), null).withDtmf("13"))
            // agent callees stay 4 s on the line
            .withNumber(
                "+1415594", CallScript.answer(Duration.ofMillis(200), Duration.ofMillis(4000)))
            // answering machines that would press 1 then 3 if the IVR ran
            .withNumber(
                "+1415597",
                CallScript.answer(Duration.ofMillis(300), null)
                    .withAmd("MACHINE", "INITIALSILENCE-2500-2500")
                    .withDtmf("13"))
            // the agent answers and stays until the callee leaves
            .withNumber("7001", CallScript.answer(Duration.ofMillis(300), null));
    ari = AriSimulator.start(simVertx, config).await();
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    voice = new VoiceTesting(client, admin);
    sender = voice.sender(ari.baseUrl(), "herald-campaign-flow", 10, 50);
  }

  @AfterAll
  static void stop() {
    herald.close();
    ari.close().await();
    simVertx.close().await();
  }

  private static String createIvr(String token) {
    HttpResponse<Buffer> created = client.post("/api/v1/ivr", token, AriIvrTest.supportLine());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  private static JsonObject campaign(String name, JsonArray numbers, JsonObject voiceSpec) {
    return new JsonObject()
        .put("name", name)
        .put("channel", "voice")
        .put("sender_id", sender)
        .put("recipients", numbers)
        .put("voice", voiceSpec);
  }

  private static String runToCompletion(JsonObject body) {
    HttpResponse<Buffer> created = client.post("/api/v1/campaigns", admin, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> started =
        client.post("/api/v1/campaigns/" + id + "/start", admin, new JsonObject());
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(200);
    Await.until(
        "campaign completed",
        Duration.ofSeconds(90),
        () ->
            "completed"
                .equals(
                    client
                        .get("/api/v1/campaigns/" + id, admin)
                        .bodyAsJsonObject()
                        .getString("status")));
    return id;
  }

  /** Every attempt's call of the campaign, one per recipient here. */
  private static List<JsonObject> callsOf(String campaignId) {
    JsonArray recipients =
        client
            .get("/api/v1/campaigns/" + campaignId + "/recipients?limit=200", admin)
            .bodyAsJsonObject()
            .getJsonArray("data");
    return recipients.stream()
        .map(r -> ((JsonObject) r).getLong("seq"))
        .map(
            seq ->
                client
                    .get("/api/v1/campaigns/" + campaignId + "/recipients/" + seq + "/calls", admin)
                    .bodyAsJsonObject()
                    .getJsonArray("calls"))
        .peek(calls -> assertThat(calls).hasSize(1))
        .map(calls -> calls.getJsonObject(0))
        .toList();
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
  void aCampaignWithAnIvrWalksTheScriptedDtmfPathOnEveryCallAndRecordsItOnTheCdr() {
    String ivr = createIvr(admin);
    JsonObject body =
        campaign(
            "ivr campaign",
            new JsonArray().add("+14155930001").add("+14155930002"),
            new JsonObject().put("ivr_id", ivr).put("max_concurrent_calls", 2));
    String id = runToCompletion(body);
    JsonObject shown = client.get("/api/v1/campaigns/" + id, admin).bodyAsJsonObject();
    assertThat(shown.getJsonObject("voice").getString("ivr_id")).isEqualTo(ivr);
    assertThat(shown.getJsonObject("voice").containsKey("ivr")).isFalse();

    List<JsonObject> calls = callsOf(id);
    assertThat(calls).hasSize(2);
    for (JsonObject call : calls) {
      assertThat(call.getString("status")).isEqualTo("completed");
      assertThat(call.getString("ivr_id")).isEqualTo(ivr);
      assertThat(call.getString("dtmf")).isEqualTo("13");
      assertThat(steps(call.getJsonArray("ivr_path")))
          .containsExactly("main:enter", "main:key:1", "billing:enter", "billing:key:3");
      JsonObject cdr = voice.cdrOf(call.getString("id"));
      assertThat(cdr.getString("campaign_id")).isEqualTo(id);
      assertThat(cdr.getString("ivr_id")).isEqualTo(ivr);
      assertThat(cdr.getString("dtmf")).isEqualTo("13");
      assertThat(steps(cdr.getJsonArray("ivr_path")))
          .containsExactly("main:enter", "main:key:1", "billing:enter", "billing:key:3");
    }
  }

  @Test
  void aCampaignWithAnAgentBridgesEveryAnsweredCallToTheAgentLeg() throws Exception {
    JsonObject body =
        campaign(
            "agent campaign",
            new JsonArray().add("+14155940001").add("+14155940002"),
            new JsonObject()
                .put(
                    "agent",
                    new JsonObject()
                        .put("type", "extension")
                        .put("value", "7001")
                        .put("timeout_seconds", 5)));
    String id = runToCompletion(body);
    JsonObject shown = client.get("/api/v1/campaigns/" + id, admin).bodyAsJsonObject();
    assertThat(shown.getJsonObject("voice").getJsonObject("agent").getString("type"))
        .isEqualTo("extension");

    List<JsonObject> calls = callsOf(id);
    assertThat(calls).hasSize(2);
    for (JsonObject call : calls) {
      assertThat(call.getString("status")).isEqualTo("completed");
      assertThat(call.getJsonObject("agent").getString("value")).isEqualTo("7001");
      assertThat(call.getString("agent_status")).isEqualTo("answered");
      assertThat(call.getString("agent_answered_at")).isNotNull();
      assertThat(call.getString("agent_ended_at")).isNotNull();
      JsonObject cdr = voice.cdrOf(call.getString("id"));
      assertThat(cdr.getString("agent_status")).isEqualTo("answered");
      assertThat(cdr.getDouble("agent_talk_seconds")).isGreaterThan(0.5);
    }
  }

  @Test
  void aMachineRunsTheIvrOnlyWhenTheMachineActionIsContinue() {
    String ivr = createIvr(admin);
    String continued =
        runToCompletion(
            campaign(
                "machine continue",
                new JsonArray().add("+14155970001"),
                new JsonObject()
                    .put("ivr_id", ivr)
                    .put("amd", true)
                    .put("machine_action", "continue")));
    JsonObject call = callsOf(continued).get(0);
    assertThat(call.getString("status")).isEqualTo("machine");
    assertThat(call.getString("amd_status")).isEqualTo("MACHINE");
    assertThat(steps(call.getJsonArray("ivr_path")))
        .containsExactly("main:enter", "main:key:1", "billing:enter", "billing:key:3");

    String hungUp =
        runToCompletion(
            campaign(
                "machine hangup",
                new JsonArray().add("+14155970002"),
                new JsonObject().put("ivr_id", ivr).put("amd", true)));
    JsonObject other = callsOf(hungUp).get(0);
    assertThat(other.getString("status")).isEqualTo("machine");
    assertThat(other.getJsonArray("ivr_path")).isEmpty();
  }

  @Test
  void aCampaignsVoiceIsValidatedLikeASingleCall() {
    String ivr = createIvr(admin);
    JsonArray one = new JsonArray().add("+14155930009");
    // two actions at once
    HttpResponse<Buffer> two =
        client.post(
            "/api/v1/campaigns",
            admin,
            campaign(
                "two actions",
                one,
                new JsonObject().put("ivr_id", ivr).put("play", "sound:hello-world")));
    assertThat(two.statusCode()).isEqualTo(422);
    assertThat(two.bodyAsString()).contains("voice.ivr_id");
    // none
    HttpResponse<Buffer> none =
        client.post(
            "/api/v1/campaigns",
            admin,
            campaign("no action", one, new JsonObject().put("amd", true)));
    assertThat(none.statusCode()).isEqualTo(422);
    assertThat(none.bodyAsString()).contains("voice.play");
    // an agent shaped wrong: the single call's field errors under voice.
    HttpResponse<Buffer> agent =
        client.post(
            "/api/v1/campaigns",
            admin,
            campaign(
                "bad agent",
                one,
                new JsonObject()
                    .put("agent", new JsonObject().put("type", "fax").put("value", "7001"))));
    assertThat(agent.statusCode()).isEqualTo(422);
    assertThat(agent.bodyAsString()).contains("voice.agent.type");
    // an unknown IVR
    HttpResponse<Buffer> unknown =
        client.post(
            "/api/v1/campaigns",
            admin,
            campaign(
                "unknown ivr",
                one,
                new JsonObject().put("ivr_id", "00000000-0000-0000-0000-000000000001")));
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(unknown.bodyAsString()).contains("voice.ivr_id");

    // another account's IVR is refused like an unknown one, on create and on replace
    client.post(
        "/api/v1/accounts",
        admin,
        new JsonObject()
            .put("name", "flow other tenant")
            .put("admin_username", "flow-other")
            .put("admin_password", "password-flow-other"));
    String other = client.login("flow-other", "password-flow-other");
    String foreignIvr = createIvr(other);
    HttpResponse<Buffer> foreign =
        client.post(
            "/api/v1/campaigns",
            admin,
            campaign("foreign ivr", one, new JsonObject().put("ivr_id", foreignIvr)));
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(foreign.bodyAsString()).contains("voice.ivr_id");
    HttpResponse<Buffer> draft =
        client.post(
            "/api/v1/campaigns",
            admin,
            campaign("replaced", one, new JsonObject().put("play", "sound:hello-world")));
    assertThat(draft.statusCode()).isEqualTo(201);
    String draftId = draft.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> replaced =
        client.send(
            HttpMethod.PUT,
            "/api/v1/campaigns/" + draftId,
            admin,
            campaign("replaced", one, new JsonObject().put("ivr_id", foreignIvr)));
    assertThat(replaced.statusCode()).isEqualTo(422);
    assertThat(replaced.bodyAsString()).contains("voice.ivr_id");
    HttpResponse<Buffer> mine =
        client.send(
            HttpMethod.PUT,
            "/api/v1/campaigns/" + draftId,
            admin,
            campaign("replaced", one, new JsonObject().put("ivr_id", ivr)));
    assertThat(mine.statusCode()).as(mine.bodyAsString()).isEqualTo(200);
    assertThat(mine.bodyAsJsonObject().getJsonObject("voice").getString("ivr_id")).isEqualTo(ivr);
  }
}
