package herald.channel.voice.ari;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.ari.AriSimConfig;
import herald.sim.ari.AriSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A lane that loses its lease closes its ARI client while event handlers may still ask it for
 * something: every REST call then fails its future rather than throwing into the caller.
 */
class AriClientCloseTest {
  private static Vertx vertx;
  private static AriSimulator ari;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ari =
        AriSimulator.start(vertx, AriSimConfig.loopback(VoiceTesting.USER, VoiceTesting.PASSWORD))
            .await();
  }

  @AfterAll
  static void stop() {
    ari.close().await();
    vertx.close().await();
  }

  @Test
  void callsOnAClosedClientFailTheirFutureInsteadOfThrowing() {
    AriClient client =
        new AriClient(
            vertx, ari.baseUrl() + "/ari", VoiceTesting.USER, VoiceTesting.PASSWORD, "herald");
    assertThat(client.channels().await()).isEmpty();
    client.close().await();
    List<Future<?>> calls =
        List.of(
            client.channels(),
            client.hangup("gone", "normal"),
            client.channel("gone"),
            client.play("gone", "p1", "sound:hello"),
            client.createBridge("b1"),
            client.variable("gone", "AMDSTATUS"));
    for (Future<?> call : calls) {
      assertThat(call.failed()).isTrue();
      assertThat(call.cause()).hasMessageContaining("closed");
    }
  }
}
