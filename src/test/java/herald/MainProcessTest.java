package herald;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.HeraldProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code herald.Main} as a separate JVM with the embedded PostgreSQL, exactly as the README's
 * run command does, then kills it with SIGKILL, restarts it, and stops it with SIGTERM: data
 * survives, the postmaster orphaned by the kill is taken care of, and a graceful stop exits 0
 * leaving no PostgreSQL.
 */
class MainProcessTest {
  private static HeraldProcess herald;

  @BeforeAll
  static void prepare() throws IOException {
    herald = new HeraldProcess("main-process-pw", Map.of());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    herald.close();
  }

  @Test
  void survivesKillMinus9KeepsDataLeavesNoOrphansAndStopsCleanlyOnSigterm() throws Exception {
    Process first = herald.launch();
    long coldMillis = herald.awaitReady(first);
    String token = herald.login();
    HttpResponse<String> created =
        herald.call(
            "POST",
            "/api/v1/users",
            token,
            "{\"username\":\"survivor\",\"password\":\"survivor-pw\",\"role\":\"viewer\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    List<Long> before = herald.postmasters();
    assertThat(before).hasSize(1);

    first.destroyForcibly().waitFor();
    // pg_ctl daemonised the postmaster, so it outlives the killed JVM until the next start handles
    // it.
    assertThat(HeraldProcess.running(before.get(0))).isTrue();

    Process second = herald.launch();
    long warmMillis = herald.awaitReady(second);
    List<Long> after = herald.postmasters();
    assertThat(after)
        .as("exactly one postmaster after restart")
        .hasSize(1)
        .doesNotContain(before.get(0));
    assertThat(HeraldProcess.running(before.get(0))).isFalse();
    String again = herald.login();
    assertThat(herald.call("GET", "/api/v1/users?limit=200", again, null).body())
        .contains("\"survivor\"");

    second.destroy();
    assertThat(second.waitFor()).as(herald.log()).isZero();
    assertThat(herald.postmasters()).as("no PostgreSQL left after SIGTERM").isEmpty();
    assertThat(herald.dataDir().resolve("pg").resolve("postmaster.pid")).doesNotExist();
    assertThat(herald.log()).contains("Shutting down").contains("Stopped");
    System.out.printf(
        "MainProcessTest: cold start to ready %d ms, warm restart after kill -9 %d ms%n",
        coldMillis, warmMillis);
  }
}
