package herald.sim.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;
import ch.loway.oss.ari4java.generated.models.AsteriskInfo;
import ch.loway.oss.ari4java.generated.models.Bridge;
import ch.loway.oss.ari4java.generated.models.Channel;
import ch.loway.oss.ari4java.generated.models.ChannelDestroyed;
import ch.loway.oss.ari4java.generated.models.ChannelDtmfReceived;
import ch.loway.oss.ari4java.generated.models.ChannelEnteredBridge;
import ch.loway.oss.ari4java.generated.models.ChannelHangupRequest;
import ch.loway.oss.ari4java.generated.models.ChannelStateChange;
import ch.loway.oss.ari4java.generated.models.ChannelVarset;
import ch.loway.oss.ari4java.generated.models.LiveRecording;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.generated.models.Playback;
import ch.loway.oss.ari4java.generated.models.PlaybackFinished;
import ch.loway.oss.ari4java.generated.models.RecordingFinished;
import ch.loway.oss.ari4java.generated.models.StasisEnd;
import ch.loway.oss.ari4java.generated.models.StasisStart;
import ch.loway.oss.ari4java.tools.AriCallback;
import ch.loway.oss.ari4java.tools.RestException;
import herald.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives the ARI simulator with ari4java, an independent ARI client generated from Asterisk's own
 * api-docs: it detects the ARI version from {@code resources.json}, pings, reads events over the
 * WebSocket with Basic auth, and deserialises every model strictly (an unknown field fails). Its
 * callbacks run on its own Netty threads, so events are handed over through a queue.
 */
@ExtendWith(VertxExtension.class)
class Ari4javaClientTest {
  private static final String APP = "herald-ari4java";

  private AriSimulator sim;
  private ARI ari;
  private final BlockingQueue<Message> events = new LinkedBlockingQueue<>();
  private final List<Message> received = new ArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    sim =
        AriClient.start(
            vertx,
            AriClient.config()
                .withNumber(
                    "+1555",
                    CallScript.answer(Duration.ofMillis(50), null)
                        .withAmd("HUMAN", "HUMAN-500-900")
                        .withDtmf("42")));
    ari =
        ARI.build(
            sim.baseUrl() + "/",
            APP,
            AriClient.USER,
            AriClient.PASSWORD,
            AriVersion.IM_FEELING_LUCKY);
    ari.eventsCallback(
        new AriCallback<>() {
          @Override
          public void onSuccess(Message message) {
            events.add(message);
          }

          @Override
          public void onFailure(RestException e) {
            failures.add(e);
          }
        });
    Await.until(
        "the events socket to register application " + APP,
        Duration.ofSeconds(5),
        () -> ari.applications().list().execute().stream().anyMatch(a -> a.getName().equals(APP)));
  }

  @AfterEach
  void stop() {
    if (ari != null) {
      ari.cleanup();
    }
    if (sim != null) {
      sim.close().await();
    }
  }

  /**
   * The first received event of {@code type} matching {@code match}, whenever it arrived: ari4java
   * hands each event to a Netty thread of its own, so callbacks may run out of arrival order.
   */
  private <T extends Message> T next(Class<T> type, Predicate<T> match) {
    Optional<T> found;
    try {
      found =
          Await.until(
              "a " + type.getSimpleName() + " event",
              Duration.ofSeconds(5),
              () -> {
                events.drainTo(received);
                return received.stream()
                    .filter(type::isInstance)
                    .map(type::cast)
                    .filter(match)
                    .findFirst();
              },
              Optional::isPresent);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; ari4java failures: " + failures, e);
    }
    received.remove(found.get());
    return found.get();
  }

  private <T extends Message> T next(Class<T> type) {
    return next(type, m -> true);
  }

  @Test
  void detectsTheAriVersionFromResourcesJson() throws Exception {
    assertThat(ari.getVersion()).isEqualTo(AriVersion.ARI_10_0_0);
    AsteriskInfo info = ari.asterisk().getInfo().execute();
    assertThat(info.getSystem().getEntity_id()).isEqualTo(AriClient.config().asteriskId());
    assertThat(info.getStatus().getStartup_time()).isNotNull();
  }

  @Test
  void originatesAnswersPlaysRecordsBridgesAndHangsUpThroughAri4java() throws Exception {
    Channel channel =
        ari.channels()
            .originate("PJSIP/+15550100@trunk")
            .setApp(APP)
            .setAppArgs("campaign-7")
            .setCallerId("Herald <+15559999>")
            .setTimeout(20)
            .setVariables(Map.of("AMD_ENABLED", "true"))
            .execute();
    String id = channel.getId();
    assertThat(channel.getState()).isEqualTo("Down");

    next(ChannelStateChange.class, e -> e.getChannel().getState().equals("Ringing"));
    next(ChannelStateChange.class, e -> e.getChannel().getState().equals("Up"));
    ChannelVarset amd = next(ChannelVarset.class, e -> e.getVariable().equals("AMDSTATUS"));
    assertThat(amd.getValue()).isEqualTo("HUMAN");
    StasisStart start = next(StasisStart.class);
    assertThat(start.getArgs()).containsExactly("campaign-7");
    assertThat(start.getChannel().getCaller().getNumber()).isEqualTo("+15559999");
    assertThat(start.getChannel().getState()).isEqualTo("Up");
    next(ChannelDtmfReceived.class, e -> e.getDigit().equals("4"));
    next(ChannelDtmfReceived.class, e -> e.getDigit().equals("2"));

    ari.channels().answer(id).execute();
    assertThat(ari.channels().getChannelVar(id, "AMDSTATUS").execute().getValue())
        .isEqualTo("HUMAN");
    Playback playback = ari.channels().play(id, "sound:hello-world").execute();
    assertThat(playback.getTarget_uri()).isEqualTo("channel:" + id);
    assertThat(next(PlaybackFinished.class).getPlayback().getState()).isEqualTo("done");

    LiveRecording recording = ari.channels().record(id, "greeting", "wav").execute();
    assertThat(recording.getState()).isEqualTo("queued");
    ari.recordings().stop("greeting").execute();
    assertThat(next(RecordingFinished.class).getRecording().getName()).isEqualTo("greeting");
    assertThat(ari.recordings().listStored().execute())
        .extracting(r -> r.getName())
        .containsExactly("greeting");

    Bridge bridge = ari.bridges().create().setType("mixing").execute();
    ari.bridges().addChannel(bridge.getId(), id).execute();
    assertThat(next(ChannelEnteredBridge.class).getBridge().getChannels()).containsExactly(id);
    ari.bridges().destroy(bridge.getId()).execute();

    ari.channels().hangup(id).setReason("normal").execute();
    assertThat(next(ChannelHangupRequest.class).getSoft()).isTrue();
    next(StasisEnd.class);
    ChannelDestroyed destroyed = next(ChannelDestroyed.class);
    assertThat(destroyed.getCause()).isEqualTo(16);
    assertThat(destroyed.getCause_txt()).isEqualTo("Normal Clearing");
    assertThat(failures).isEmpty();
  }

  @Test
  void reportsAriErrorsAsRestExceptionsWithTheirStatus() {
    assertThatThrownBy(() -> ari.channels().get("no-such-channel").execute())
        .isInstanceOf(RestException.class)
        .satisfies(e -> assertThat(((RestException) e).getCode()).isEqualTo(404));
    assertThatThrownBy(() -> ari.channels().originate("PJSIP").setApp(APP).execute())
        .isInstanceOf(RestException.class)
        .satisfies(e -> assertThat(((RestException) e).getCode()).isEqualTo(400));
  }
}
