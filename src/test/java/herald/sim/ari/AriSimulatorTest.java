package herald.sim.ari;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.CallScript.Outcome;
import herald.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives the ARI simulator with a plain HTTP and WebSocket client, checking ARI's strictness. */
@ExtendWith(VertxExtension.class)
class AriSimulatorTest {
  private static final String APP = "herald";

  private AriSimulator sim;
  private AriClient ari;

  private AriClient.Events start(Vertx vertx, AriSimConfig config) {
    sim = AriClient.start(vertx, config);
    ari = new AriClient(vertx, sim);
    return ari.events(APP);
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close().await();
    }
  }

  @Test
  void refusesMissingOrWrongCredentialsWith401(Vertx vertx) {
    start(vertx, AriClient.config());

    for (HttpResponse<Buffer> response :
        java.util.List.of(
            ari.unauthenticated(GET, "/ari/channels", null, null),
            ari.unauthenticated(GET, "/ari/channels", AriClient.USER, "wrong"),
            ari.unauthenticated(GET, "/ari/channels?api_key=herald:wrong", null, null),
            ari.unauthenticated(GET, "/ari/events?app=x&api_key=herald:wrong", null, null),
            ari.unauthenticated(GET, "/ari/api-docs/resources.json", null, null))) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("message"))
          .isEqualTo("Authentication required");
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Basic realm=");
    }
    assertThat(
            ari.unauthenticated(GET, "/ari/channels?api_key=herald:s3cret", null, null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void answersUnknownChannelsAndPathsWith404AndAMessage(Vertx vertx) {
    start(vertx, AriClient.config());

    HttpResponse<Buffer> channel = ari.call(GET, "/ari/channels/nope");
    HttpResponse<Buffer> hangup = ari.call(DELETE, "/ari/channels/nope");
    HttpResponse<Buffer> answer = ari.call(POST, "/ari/channels/nope/answer");
    HttpResponse<Buffer> path = ari.call(GET, "/ari/nothing-here");

    assertThat(channel.statusCode()).isEqualTo(404);
    assertThat(channel.bodyAsJsonObject().getString("message")).isEqualTo("Channel not found");
    assertThat(hangup.statusCode()).isEqualTo(404);
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(path.statusCode()).isEqualTo(404);
    assertThat(path.bodyAsJsonObject().containsKey("message")).isTrue();
  }

  @Test
  void followsAnAnsweredCallFromDownToDestroyedInAsterisksOrder(Vertx vertx) {
    AriClient.Events events = start(vertx, AriClient.config());

    HttpResponse<Buffer> created =
        ari.call(
            POST,
            "/ari/channels?endpoint=PJSIP/%2B15550001@trunk&app=herald&appArgs=a,b"
                + "&callerId=%22Herald%22%20%3C%2B15559999%3E");
    JsonObject channel = created.bodyAsJsonObject();
    String id = channel.getString("id");

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(channel.getString("state")).isEqualTo("Down");
    assertThat(channel.getString("name")).startsWith("PJSIP/trunk-");
    assertThat(channel.getJsonObject("caller"))
        .isEqualTo(new JsonObject().put("name", "Herald").put("number", "+15559999"));
    assertThat(channel.getJsonObject("dialplan").fieldNames())
        .containsExactlyInAnyOrder("context", "exten", "priority", "app_name", "app_data");
    assertThat(channel.getString("creationtime"))
        .matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000$");

    JsonObject ringing = events.next("ChannelStateChange");
    assertThat(ringing.getJsonObject("channel").getString("state")).isEqualTo("Ringing");
    assertThat(ringing.getString("application")).isEqualTo(APP);
    assertThat(ringing.getString("asterisk_id")).isNotBlank();
    assertThat(ringing.getString("timestamp")).endsWith("+0000");
    JsonObject up = events.next("ChannelStateChange");
    assertThat(up.getJsonObject("channel").getString("state")).isEqualTo("Up");
    JsonObject start = events.next("StasisStart");
    assertThat(start.getJsonArray("args").getList()).containsExactly("a", "b");
    assertThat(start.getJsonObject("channel").getString("id")).isEqualTo(id);
    assertThat(start.getJsonObject("channel").getJsonObject("dialplan").getString("app_name"))
        .isEqualTo("Stasis");

    HttpResponse<Buffer> answered = ari.call(POST, "/ari/channels/" + id + "/answer");
    assertThat(answered.statusCode()).isEqualTo(204);
    assertThat(answered.getHeader("Content-Length")).isEqualTo("0");
    HttpResponse<Buffer> hungUp = ari.call(DELETE, "/ari/channels/" + id);
    assertThat(hungUp.statusCode()).isEqualTo(204);
    assertThat(hungUp.getHeader("Content-Length")).isEqualTo("0");

    JsonObject request = events.next("ChannelHangupRequest");
    assertThat(request.getBoolean("soft")).isTrue();
    assertThat(request.getInteger("cause")).isEqualTo(16);
    events.next("StasisEnd");
    JsonObject destroyed = events.next("ChannelDestroyed");
    assertThat(destroyed.getInteger("cause")).isEqualTo(16);
    assertThat(destroyed.getString("cause_txt")).isEqualTo("Normal Clearing");
    assertThat(events.types())
        .filteredOn(t -> !t.equals("Dial"))
        .containsExactly(
            "ChannelStateChange",
            "ChannelStateChange",
            "StasisStart",
            "ChannelHangupRequest",
            "StasisEnd",
            "ChannelDestroyed");
    assertThat(ari.call(GET, "/ari/channels/" + id).statusCode()).isEqualTo(404);
  }

  @Test
  void endsBusyUnansweredRejectedAndCongestedCallsWithTheirCauses(Vertx vertx) {
    Duration ring = Duration.ofMillis(50);
    AriClient.Events events =
        start(
            vertx,
            AriClient.config()
                .withNumber("+1555017", CallScript.unanswered(Outcome.BUSY, ring))
                .withNumber("+1555019", CallScript.unanswered(Outcome.NO_ANSWER, ring))
                .withNumber("+1555021", CallScript.unanswered(Outcome.REJECTED, ring))
                .withNumber("+1555034", CallScript.unanswered(Outcome.CONGESTION, ring)));

    int[][] expected = {{17, 0}, {19, 0}, {21, 0}, {34, 0}};
    String[] texts = {
      "User busy", "User alerting, no answer", "Call Rejected", "Circuit/channel congestion"
    };
    for (int i = 0; i < expected.length; i++) {
      String id =
          ari.originate(APP, "+1555" + String.format("%03d", expected[i][0]) + "1", null)
              .getString("id");
      JsonObject destroyed =
          events.next(
              e ->
                  e.getString("type").equals("ChannelDestroyed")
                      && e.getJsonObject("channel").getString("id").equals(id),
              "ChannelDestroyed");
      assertThat(destroyed.getInteger("cause")).isEqualTo(expected[i][0]);
      assertThat(destroyed.getString("cause_txt")).isEqualTo(texts[i]);
    }
    assertThat(events.types()).doesNotContain("StasisStart", "StasisEnd");
    assertThat(sim.stats().getJsonObject("unanswered").getInteger("busy")).isEqualTo(1);
    assertThat(sim.stats().getInteger("answered")).isZero();
  }

  @Test
  void theOriginateTimeoutEndsALongRingWithNoAnswer(Vertx vertx) {
    AriClient.Events events =
        start(
            vertx,
            AriClient.config().withCalls(CallScript.answer(Duration.ofSeconds(30), null), 0, 0, 0));

    String id =
        ari.call(POST, "/ari/channels?endpoint=PJSIP/100@trunk&app=herald&timeout=1")
            .bodyAsJsonObject()
            .getString("id");

    JsonObject destroyed = events.next("ChannelDestroyed");
    assertThat(destroyed.getJsonObject("channel").getString("id")).isEqualTo(id);
    assertThat(destroyed.getInteger("cause")).isEqualTo(19);
    JsonObject dial =
        events.seen.stream()
            .filter(e -> e.getString("type").equals("Dial"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(dial.getString("dialstatus")).isEqualTo("NOANSWER");
  }

  @Test
  void theCalleePressesItsScriptedDigitsThenHangsUp(Vertx vertx) {
    AriClient.Events events =
        start(
            vertx,
            AriClient.config()
                .withNumber(
                    "+4420",
                    CallScript.answer(Duration.ofMillis(20), Duration.ofMillis(800))
                        .withDtmf("1#")));

    ari.originate(APP, "+442079460000", null);

    events.next("StasisStart");
    JsonObject first = events.next("ChannelDtmfReceived");
    JsonObject second = events.next("ChannelDtmfReceived");
    assertThat(first.getString("digit")).isEqualTo("1");
    assertThat(first.getInteger("duration_ms")).isPositive();
    assertThat(second.getString("digit")).isEqualTo("#");
    JsonObject request = events.next("ChannelHangupRequest");
    assertThat(request.getInteger("cause")).isEqualTo(16);
    assertThat(request.containsKey("soft")).isFalse();
    events.next("StasisEnd");
    assertThat(events.next("ChannelDestroyed").getInteger("cause")).isEqualTo(16);
  }

  @Test
  void setsAmdVariablesBeforeStasisOnlyWhenTheOriginateAsksForAmd(Vertx vertx) {
    AriClient.Events events =
        start(
            vertx,
            AriClient.config()
                .withNumber(
                    "+33",
                    CallScript.answer(Duration.ofMillis(20), null)
                        .withAmd("MACHINE", "LONGGREETING-1600-1500")));

    String withAmd =
        ari.originate(APP, "+33100", new JsonObject().put("AMD_ENABLED", "true")).getString("id");
    JsonObject status = events.next("ChannelVarset");
    JsonObject cause = events.next("ChannelVarset");
    JsonObject start = events.next("StasisStart");
    String without = ari.originate(APP, "+33200", null).getString("id");
    events.next(
        e ->
            e.getString("type").equals("StasisStart")
                && e.getJsonObject("channel").getString("id").equals(without),
        "StasisStart");

    assertThat(status.getString("variable")).isEqualTo("AMDSTATUS");
    assertThat(status.getString("value")).isEqualTo("MACHINE");
    assertThat(cause.getString("variable")).isEqualTo("AMDCAUSE");
    assertThat(start.getJsonObject("channel").getString("id")).isEqualTo(withAmd);
    HttpResponse<Buffer> read =
        ari.call(GET, "/ari/channels/" + withAmd + "/variable?variable=AMDSTATUS");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(new JsonObject().put("value", "MACHINE"));
    assertThat(
            ari.call(GET, "/ari/channels/" + withAmd + "/variable?variable=AMDCAUSE")
                .bodyAsJsonObject()
                .getString("value"))
        .isEqualTo("LONGGREETING-1600-1500");
    assertThat(
            ari.call(GET, "/ari/channels/" + withAmd + "/variable?variable=AMD_ENABLED")
                .bodyAsJsonObject()
                .getString("value"))
        .isEqualTo("true");
    assertThat(
            ari.call(GET, "/ari/channels/" + without + "/variable?variable=AMDSTATUS").statusCode())
        .isEqualTo(404);
    assertThat(ari.call(GET, "/ari/channels/" + without + "/variable").statusCode()).isEqualTo(400);
  }

  @Test
  void canSendStasisStartWhileTheChannelIsStillRinging(Vertx vertx) {
    AriClient.Events events =
        start(
            vertx,
            AriClient.config()
                .withCalls(CallScript.answer(Duration.ofMillis(2500), null), 0, 0, 0)
                .withStasisStartWhileRinging(true));

    String id = ari.originate(APP, "+1555", null).getString("id");
    JsonObject start = events.next("StasisStart");

    assertThat(start.getJsonObject("channel").getString("state")).isEqualTo("Ringing");
    HttpResponse<Buffer> early = ari.call(POST, "/ari/channels/" + id + "/play?media=sound:hello");
    assertThat(early.statusCode()).isEqualTo(412);
    assertThat(early.bodyAsJsonObject().getString("message")).isEqualTo("Channel in invalid state");
    JsonObject up = events.next("ChannelStateChange");
    assertThat(up.getJsonObject("channel").getString("state")).isEqualTo("Up");
    assertThat(events.types().indexOf("StasisStart"))
        .isLessThan(events.types().lastIndexOf("ChannelStateChange"));
    assertThat(ari.call(POST, "/ari/channels/" + id + "/play?media=sound:hello").statusCode())
        .isEqualTo(201);
  }

  @Test
  void dropsTheEventsSocketOnDemandAndAcceptsAReconnect(Vertx vertx) throws Exception {
    AriClient.Events events = start(vertx, AriClient.config());

    HttpResponse<Buffer> drop = ari.call(POST, "/_sim/drop-websocket");

    assertThat(drop.bodyAsJsonObject().getInteger("dropped")).isEqualTo(1);
    Await.until("the events socket to close", Duration.ofSeconds(5), () -> events.closed);
    assertThat(sim.stats().getInteger("websockets")).isZero();
    // While nobody listens, an answered call cannot enter Stasis and is hung up.
    ari.originate(APP, "+1555", null);
    AriClient.Events again = ari.events(APP);
    assertThat(
            ari.call(GET, "/ari/applications").bodyAsJsonArray().getJsonObject(0).getString("name"))
        .isEqualTo(APP);
    ari.originate(APP, "+1666", null);
    assertThat(again.next("StasisStart").getJsonObject("channel").getString("name")).isNotBlank();
  }

  @Test
  void countsLiveAndPeakChannels(Vertx vertx) {
    AriClient.Events events = start(vertx, AriClient.config());

    String a = ari.originate(APP, "+1", null).getString("id");
    String b = ari.originate(APP, "+2", null).getString("id");
    events.next("StasisStart");
    events.next("StasisStart");
    assertThat(ari.call(GET, "/_sim/stats").bodyAsJsonObject().getInteger("live_channels"))
        .isEqualTo(2);
    ari.call(DELETE, "/ari/channels/" + a);
    ari.call(DELETE, "/ari/channels/" + b);
    events.next("ChannelDestroyed");
    events.next("ChannelDestroyed");

    JsonObject stats = ari.call(GET, "/_sim/stats").bodyAsJsonObject();
    assertThat(stats.getInteger("live_channels")).isZero();
    assertThat(stats.getInteger("peak_channels")).isEqualTo(2);
    assertThat(stats.getInteger("originated")).isEqualTo(2);
    assertThat(sim.liveChannels()).isZero();
    assertThat(sim.peakChannels()).isEqualTo(2);
  }

  @Test
  void refusesBadOriginatesAndHangupsAsAsteriskDoes(Vertx vertx) {
    start(
        vertx,
        AriClient.config()
            .withCalls(CallScript.answer(Duration.ofSeconds(30), null), 0, 0, 0)
            .withLimits(1, java.util.List.of()));

    assertThat(ari.call(POST, "/ari/channels?app=herald").statusCode()).isEqualTo(400);
    assertThat(ari.call(POST, "/ari/channels?endpoint=PJSIP&app=herald").statusCode())
        .isEqualTo(400);
    assertThat(
            ari.call(POST, "/ari/channels?endpoint=PJSIP/1@trunk")
                .bodyAsJsonObject()
                .getString("message"))
        .isEqualTo("Application or extension must be specified");
    assertThat(
            ari.call(
                    POST,
                    "/ari/channels?endpoint=PJSIP/1@t&app=herald",
                    new JsonObject().put("variables", new JsonObject().put("X", 1)))
                .statusCode())
        .isEqualTo(400);
    String id =
        ari.call(POST, "/ari/channels?endpoint=PJSIP/1@t&app=herald&channelId=fixed")
            .bodyAsJsonObject()
            .getString("id");
    assertThat(id).isEqualTo("fixed");
    assertThat(ari.call(POST, "/ari/channels/fixed?endpoint=PJSIP/1@t&app=herald").statusCode())
        .isEqualTo(409);
    HttpResponse<Buffer> full = ari.call(POST, "/ari/channels?endpoint=PJSIP/2@t&app=herald");
    assertThat(full.statusCode()).isEqualTo(500);
    assertThat(full.bodyAsJsonObject().getString("message")).isEqualTo("Allocation failed");
    assertThat(ari.call(DELETE, "/ari/channels/fixed?reason=bogus").statusCode()).isEqualTo(400);
    // Still ringing, so not in Stasis yet: control operations are refused.
    assertThat(ari.call(POST, "/ari/channels/fixed/answer").statusCode()).isEqualTo(409);
    assertThat(ari.call(DELETE, "/ari/channels/fixed?reason=busy").statusCode()).isEqualTo(204);
  }

  @Test
  void playsMediaAndRecordsWithPlaybackAndRecordingEvents(Vertx vertx) {
    AriClient.Events events = start(vertx, AriClient.config());
    String id = ari.originate(APP, "+1555", null).getString("id");
    events.next("StasisStart");

    HttpResponse<Buffer> play =
        ari.call(POST, "/ari/channels/" + id + "/play?media=sound:hello-world,tone:ring");
    assertThat(play.statusCode()).isEqualTo(201);
    JsonObject playback = play.bodyAsJsonObject();
    assertThat(playback.getString("state")).isEqualTo("queued");
    assertThat(playback.getString("target_uri")).isEqualTo("channel:" + id);
    assertThat(playback.getString("next_media_uri")).isEqualTo("tone:ring");
    assertThat(play.getHeader("Location")).isEqualTo("/playbacks/" + playback.getString("id"));
    assertThat(events.next("PlaybackStarted").getJsonObject("playback").getString("state"))
        .isEqualTo("playing");
    assertThat(events.next("PlaybackContinuing").getJsonObject("playback").getString("media_uri"))
        .isEqualTo("tone:ring");
    assertThat(events.next("PlaybackFinished").getJsonObject("playback").getString("state"))
        .isEqualTo("done");
    assertThat(ari.call(GET, "/ari/playbacks/" + playback.getString("id")).statusCode())
        .isEqualTo(404);

    assertThat(ari.call(POST, "/ari/channels/" + id + "/record?name=r1&format=mp9").statusCode())
        .isEqualTo(422);
    HttpResponse<Buffer> record =
        ari.call(POST, "/ari/channels/" + id + "/record?name=r1&format=wav");
    assertThat(record.statusCode()).isEqualTo(201);
    assertThat(record.bodyAsJsonObject().getString("target_uri")).isEqualTo("channel:" + id);
    events.next("RecordingStarted");
    assertThat(ari.call(POST, "/ari/channels/" + id + "/record?name=r1&format=wav").statusCode())
        .isEqualTo(409);
    assertThat(ari.call(POST, "/ari/recordings/live/r1/stop").statusCode()).isEqualTo(204);
    assertThat(events.next("RecordingFinished").getJsonObject("recording").getString("state"))
        .isEqualTo("done");

    assertThat(ari.call(GET, "/ari/recordings/stored").bodyAsJsonArray().getJsonObject(0))
        .isEqualTo(new JsonObject().put("name", "r1").put("format", "wav"));
    HttpResponse<Buffer> file = ari.call(GET, "/ari/recordings/stored/r1/file");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body().getString(0, 4)).isEqualTo("RIFF");
    HttpResponse<Buffer> failing =
        ari.call(POST, "/ari/channels/" + id + "/play?media=recording:missing");
    assertThat(failing.statusCode()).isEqualTo(201);
    assertThat(events.next("PlaybackFinished").getJsonObject("playback").getString("state"))
        .isEqualTo("failed");
    assertThat(ari.call(DELETE, "/ari/recordings/stored/r1").statusCode()).isEqualTo(204);
    assertThat(ari.call(GET, "/ari/recordings/stored/r1").statusCode()).isEqualTo(404);
  }

  @Test
  void bridgesChannelsWithEnteredAndLeftEvents(Vertx vertx) {
    AriClient.Events events = start(vertx, AriClient.config());
    String a = ari.originate(APP, "+1", null).getString("id");
    events.next("StasisStart");

    assertThat(ari.call(POST, "/ari/bridges?type=nonsense").statusCode()).isEqualTo(400);
    JsonObject bridge = ari.call(POST, "/ari/bridges?type=mixing&name=conf").bodyAsJsonObject();
    String bridgeId = bridge.getString("id");
    assertThat(bridge.getString("bridge_type")).isEqualTo("mixing");
    assertThat(
            ari.call(POST, "/ari/bridges/" + bridgeId + "/addChannel?channel=ghost").statusCode())
        .isEqualTo(400);
    assertThat(ari.call(POST, "/ari/bridges/none/addChannel?channel=" + a).statusCode())
        .isEqualTo(404);
    assertThat(ari.call(POST, "/ari/bridges/" + bridgeId + "/addChannel?channel=" + a).statusCode())
        .isEqualTo(204);
    JsonObject entered = events.next("ChannelEnteredBridge");
    assertThat(entered.getJsonObject("bridge").getJsonArray("channels").getList())
        .containsExactly(a);
    assertThat(
            ari.call(POST, "/ari/bridges/" + bridgeId + "/record?name=b1&format=wav").statusCode())
        .isEqualTo(201);
    events.next("RecordingStarted");
    assertThat(ari.call(POST, "/ari/bridges/" + bridgeId + "/moh?mohClass=default").statusCode())
        .isEqualTo(204);
    assertThat(ari.call(DELETE, "/ari/bridges/" + bridgeId + "/moh").statusCode()).isEqualTo(204);
    assertThat(ari.call(POST, "/ari/bridges/none/moh").statusCode()).isEqualTo(404);
    assertThat(
            ari.call(POST, "/ari/bridges/" + bridgeId + "/removeChannel?channel=" + a).statusCode())
        .isEqualTo(204);
    events.next("ChannelLeftBridge");
    assertThat(
            ari.call(POST, "/ari/bridges/" + bridgeId + "/removeChannel?channel=" + a).statusCode())
        .isEqualTo(422);
    assertThat(ari.call(DELETE, "/ari/bridges/" + bridgeId).statusCode()).isEqualTo(204);
    assertThat(ari.call(GET, "/ari/bridges/" + bridgeId).statusCode()).isEqualTo(404);
  }

  @Test
  void scriptsNumbersAtRunTimeThroughTheControlEndpoint(Vertx vertx) {
    AriClient.Events events = start(vertx, AriClient.config());

    HttpResponse<Buffer> put =
        ari.call(
            io.vertx.core.http.HttpMethod.PUT,
            "/_sim/numbers/+49",
            new JsonObject().put("outcome", "BUSY").put("ring_ms", 20));
    HttpResponse<Buffer> bad =
        ari.call(
            io.vertx.core.http.HttpMethod.PUT,
            "/_sim/numbers/+48",
            new JsonObject().put("outcome", "MAYBE"));
    ari.originate(APP, "+4930123", null);

    assertThat(put.statusCode()).isEqualTo(204);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(events.next("ChannelDestroyed").getInteger("cause")).isEqualTo(17);
    assertThat(ari.call(DELETE, "/_sim/numbers/+49").statusCode()).isEqualTo(204);
    ari.originate(APP, "+4930123", null);
    assertThat(events.next("StasisStart").getJsonObject("channel").getString("state"))
        .isEqualTo("Up");
  }

  @Test
  void answersAWrongMethodOnAKnownPathWith405(Vertx vertx) {
    start(vertx, AriClient.config());

    HttpResponse<Buffer> response = ari.call(io.vertx.core.http.HttpMethod.PUT, "/ari/channels");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("Invalid method");
  }

  @Test
  void servesApiDocsWithTheBasePathOfTheRequestsHost(Vertx vertx) {
    start(vertx, AriClient.config());

    JsonObject resources = ari.call(GET, "/ari/api-docs/resources.json").bodyAsJsonObject();
    assertThat(resources.getString("basePath"))
        .isEqualTo("http://127.0.0.1:" + sim.port() + "/ari");
    assertThat(resources.getString("apiVersion")).isEqualTo(ApiDocs.ARI_VERSION);
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Object api : resources.getJsonArray("apis")) {
      String path = ((JsonObject) api).getString("path");
      String name = path.substring("/api-docs/".length(), path.indexOf(".{format}"));
      names.add(name);
      JsonObject doc = ari.call(GET, "/ari/api-docs/" + name + ".json").bodyAsJsonObject();
      assertThat(doc.getString("basePath")).isEqualTo(resources.getString("basePath"));
      assertThat(doc.getJsonArray("apis")).isNotEmpty();
    }
    assertThat(names)
        .contains(
            "channels", "bridges", "playbacks", "recordings", "events", "asterisk", "applications");
    JsonObject events = ari.call(GET, "/ari/api-docs/events.json").bodyAsJsonObject();
    assertThat(
            events
                .getJsonObject("models")
                .getJsonObject("Event")
                .getJsonArray("subTypes")
                .getList())
        .contains("StasisStart", "ChannelDestroyed", "ChannelDtmfReceived");
    assertThat(ari.call(GET, "/ari/api-docs/sounds.json").statusCode()).isEqualTo(404);
    assertThat(
            ari.call(GET, "/ari/asterisk/info")
                .bodyAsJsonObject()
                .getJsonObject("system")
                .getString("entity_id"))
        .isEqualTo(AriClient.config().asteriskId());
  }
}
