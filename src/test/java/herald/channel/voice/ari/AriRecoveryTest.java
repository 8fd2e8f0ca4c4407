package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import herald.sim.ari.CallScript;
import herald.testing.Await;
import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Herald's node stops with calls up (its lanes leave the channels as they are, as a crash does); a
 * new node on the same database takes the sender's lane over and settles every call: live channels
 * are hung up and ended, channels that ended meanwhile end at once, each with its CDR, and no slot
 * is left taken.
 */
class AriRecoveryTest {
  private Vertx simVertx;
  private AriSimulator ari;
  private final List<TestHerald> nodes = new ArrayList<>();
  private TestHerald firstNode;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    ari =
        AriSimulator.start(
                simVertx,
                AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD)
                    .withNumber("+1555500", CallScript.answer(Duration.ofMillis(50), null))
                    .withNumber("7001", CallScript.answer(Duration.ofMillis(50), null))
                    .withNumber("+1555800", CallScript.answer(Duration.ofSeconds(60), null))
                    .withNumber(
                        "+1555600",
                        CallScript.answer(Duration.ofMillis(50), Duration.ofMillis(250))))
            .await();
  }

  @AfterEach
  void stop() {
    if (firstNode != null) {
      firstNode.close();
    }
    nodes.forEach(TestHerald::close);
    ari.close().await();
    simVertx.close().await();
  }

  @Test
  void everyCallUpWhenTheNodeStoppedEndsWithACdrOnTheNextNode() throws Exception {
    TestHerald first = TestHerald.start();
    firstNode = first;
    VoiceTesting voice = new VoiceTesting(first.client(), first.client().loginAdmin());
    String sender = voice.sender(ari.baseUrl(), "herald-recovery", 10, 50);
    List<String> up = new ArrayList<>();
    List<String> ringing = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      up.add(voice.call(sender, "+155550010" + i, new JsonObject()));
    }
    for (int i = 0; i < 2; i++) {
      ringing.add(voice.call(sender, "+155580010" + i, new JsonObject()));
    }
    List<String> answered = new ArrayList<>();
    for (String id : up) {
      answered.add(voice.await(id, "answered", Duration.ofSeconds(20)).getString("channel_id"));
    }
    for (String id : ringing) {
      voice.await(id, "ringing", Duration.ofSeconds(20));
    }
    String database = first.database();
    firstNode = null;
    first.close();
    assertThat(ari.liveChannels()).isEqualTo(7);

    // while no node follows them, the far end hangs up two of the answered calls
    WebClient web = WebClient.create(simVertx);
    try {
      for (String channel : answered.subList(0, 2)) {
        HttpResponse<Buffer> gone =
            web.deleteAbs(ari.baseUrl() + "/ari/channels/" + channel)
                .basicAuthentication(VoiceTesting.USER, VoiceTesting.PASSWORD)
                .send()
                .await();
        assertThat(gone.statusCode()).isEqualTo(204);
      }
    } finally {
      web.close();
    }

    TestHerald second = first.restartOnSameDatabase(new JsonObject());
    nodes.add(second);
    VoiceTesting after = new VoiceTesting(second.client(), second.client().loginAdmin());
    for (String id : up) {
      JsonObject call = after.await(id, "completed", Duration.ofSeconds(30));
      assertThat(after.cdrOf(id)).as("CDR of " + id).isNotNull();
      assertThat(call.getString("ended_at")).isNotNull();
    }
    for (String id : ringing) {
      after.await(id, "canceled", Duration.ofSeconds(30));
      assertThat(after.cdrOf(id).getString("disposition")).isEqualTo("canceled");
    }
    assertThat(after.get(up.get(0)).getString("error")).contains("no lane followed it");
    assertThat(after.get(up.get(4)).getInteger("hangup_cause")).isEqualTo(16);
    Await.until("every channel gone", Duration.ofSeconds(10), () -> ari.liveChannels() == 0);
    assertThat(VoiceTesting.events(database, up.get(4))).endsWith("call.completed");
    // no slot leaked: the sender still dials
    after.await(
        after.call(sender, "+15556000001", new JsonObject()), "completed", Duration.ofSeconds(20));
  }

  @Test
  void callsInAnIvrOrBridgedToAnAgentWhenTheNodeStoppedEndWithTheirCdrsAndNoLegIsLeft()
      throws Exception {
    TestHerald first = TestHerald.start();
    firstNode = first;
    String token = first.client().loginAdmin();
    VoiceTesting voice = new VoiceTesting(first.client(), token);
    String sender = voice.sender(ari.baseUrl(), "herald-recovery-ivr", 10, 50);
    HttpResponse<Buffer> ivr =
        first
            .client()
            .post(
                "/api/v1/ivr",
                token,
                new JsonObject()
                    .put("name", "long menu")
                    .put("start", "main")
                    .put(
                        "menus",
                        new JsonObject()
                            .put(
                                "main",
                                new JsonObject()
                                    .put("prompt", "sound:main-menu")
                                    .put("timeout_seconds", 60)
                                    .put(
                                        "options",
                                        new JsonObject()
                                            .put("1", new JsonObject().put("action", "hangup"))))));
    assertThat(ivr.statusCode()).as(ivr.bodyAsString()).isEqualTo(201);
    String inIvr =
        voice.call(
            sender,
            "+15555000201",
            new JsonObject().put("ivr_id", ivr.bodyAsJsonObject().getString("id")));
    String bridged =
        voice.call(
            sender,
            "+15555000202",
            new JsonObject()
                .put("agent", new JsonObject().put("type", "extension").put("value", "7001")));
    Await.until(
        "the IVR call to enter its menu",
        Duration.ofSeconds(20),
        () -> voice.get(inIvr),
        call -> !call.getJsonArray("ivr_path").isEmpty());
    Await.until(
        "the agent to answer",
        Duration.ofSeconds(20),
        () -> voice.get(bridged),
        call -> "answered".equals(call.getString("agent_status")));
    firstNode = null;
    first.close();
    assertThat(ari.liveChannels()).isEqualTo(3); // the IVR call, the callee and its agent

    TestHerald second = first.restartOnSameDatabase(new JsonObject());
    nodes.add(second);
    VoiceTesting after = new VoiceTesting(second.client(), second.client().loginAdmin());
    after.await(inIvr, "completed", Duration.ofSeconds(30));
    assertThat(after.cdrOf(inIvr).getJsonArray("ivr_path")).isNotEmpty();
    JsonObject call = after.await(bridged, "completed", Duration.ofSeconds(30));
    assertThat(call.getString("agent_status")).isEqualTo("answered");
    assertThat(after.cdrOf(bridged).getString("agent_status")).isEqualTo("answered");
    Await.until("every channel gone", Duration.ofSeconds(10), () -> ari.liveChannels() == 0);
    WebClient web = WebClient.create(simVertx);
    try {
      HttpResponse<Buffer> bridges =
          web.getAbs(ari.baseUrl() + "/ari/bridges")
              .basicAuthentication(VoiceTesting.USER, VoiceTesting.PASSWORD)
              .send()
              .await();
      assertThat(bridges.bodyAsJsonArray()).isEmpty();
    } finally {
      web.close();
    }
  }

  @Test
  void aCallIsHungUpThroughANodeThatDoesNotRunItsLane() {
    TestHerald owner = TestHerald.start();
    firstNode = owner;
    VoiceTesting voice = new VoiceTesting(owner.client(), owner.client().loginAdmin());
    String sender = voice.sender(ari.baseUrl(), "herald-two-nodes", 5, 50);
    String id = voice.call(sender, "+15555000201", new JsonObject());
    voice.await(id, "answered", Duration.ofSeconds(20));
    TestHerald other = owner.restartOnSameDatabase(new JsonObject());
    nodes.add(other);
    String token = other.client().loginAdmin();
    HttpResponse<Buffer> hung = other.client().delete("/api/v1/calls/" + id, token);
    assertThat(hung.statusCode()).as(hung.bodyAsString()).isEqualTo(202);
    JsonObject ended = voice.await(id, "completed", Duration.ofSeconds(20));
    assertThat(ended.getInteger("hangup_cause")).isEqualTo(16);
    assertThat(voice.cdrOf(id)).isNotNull();
  }
}
