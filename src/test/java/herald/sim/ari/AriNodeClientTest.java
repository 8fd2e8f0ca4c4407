package herald.sim.ari;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives the ARI simulator with the Node.js {@code ari-client} ({@code src/test/node/ari-client},
 * installed by {@code .ci/node-ari-client.sh}): it loads {@code resources.json} and every
 * resource's api-docs from the {@code basePath} they give, opens the events socket with {@code
 * api_key}, and crashes on any event type the events api-docs do not define.
 *
 * <p>Without Node.js or the installed client the test is skipped on a developer machine, and fails
 * when {@code CI} is set.
 */
@ExtendWith(VertxExtension.class)
class AriNodeClientTest {
  private static final Path DIR = Path.of("src/test/node/ari-client");

  private AriSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close().await();
    }
  }

  @Test
  void theNodeAriClientLoadsTheApiDocsAndFollowsACallToItsEnd(Vertx vertx) throws Exception {
    String node = nodeOrSkip();
    sim =
        AriClient.start(
            vertx,
            AriClient.config()
                .withCalls(
                    CallScript.answer(Duration.ofMillis(50), null)
                        .withAmd("MACHINE", "TOOLONG-5000"),
                    0,
                    0,
                    0));

    Process process =
        new ProcessBuilder(
                node, "drive.js", sim.baseUrl(), AriClient.USER, AriClient.PASSWORD, "herald-node")
            .directory(DIR.toFile())
            .redirectErrorStream(true)
            .start();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(finished).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
    JsonObject result = new JsonObject(lines.get(lines.size() - 1));
    assertThat(result.getJsonArray("resources").getList())
        .containsExactly(
            "applications", "asterisk", "bridges", "channels", "events", "playbacks", "recordings");
    assertThat(result.getString("originated")).isEqualTo("Down");
    assertThat(result.getString("state")).isEqualTo("Up");
    assertThat(result.getJsonArray("args").getList()).containsExactly("node");
    assertThat(result.getString("amd")).isEqualTo("MACHINE");
    assertThat(result.getString("unknown")).contains("Channel not found");
    assertThat(result.getJsonArray("events").getList())
        .containsSubsequence(
            "ChannelStateChange",
            "StasisStart",
            "PlaybackStarted",
            "PlaybackFinished",
            "ChannelHangupRequest",
            "StasisEnd",
            "ChannelDestroyed");
    assertThat(result.getInteger("cause")).isEqualTo(16);
    assertThat(result.getString("cause_txt")).isEqualTo("Normal Clearing");
  }

  /** The {@code node} binary, when it and the installed client are present; see the class doc. */
  private static String nodeOrSkip() throws IOException {
    String node = findOnPath("node");
    boolean installed = Files.isDirectory(DIR.resolve("node_modules/ari-client"));
    if (node == null || !installed) {
      String missing =
          (node == null ? "node is not on the PATH" : "ari-client is not installed")
              + "; run .ci/node-ari-client.sh";
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0")) {
        throw new AssertionError("CI is set but " + missing);
      }
      Assumptions.abort(missing);
    }
    return node;
  }

  private static String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File candidate = new File(dir, name);
      if (candidate.isFile() && candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }
}
