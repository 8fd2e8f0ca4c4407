package herald.sim.whatsapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Stoplight Prism (installed by {@code tools/install-prism.sh}) run as a validating proxy: {@code
 * prism proxy <spec> <upstream> --errors}. Every request it forwards is validated against the
 * OpenAPI document first (an invalid one is answered 422 and never reaches the upstream) and every
 * answer after (violations come back in the {@code sl-violations} header; errors turn the answer
 * into a 500 problem). It is an independent validator: it knows the document, not the simulator.
 */
final class Prism implements AutoCloseable {
  /** Where {@code tools/install-prism.sh} installs it, relative to the project directory. */
  static final Path EXECUTABLE = Path.of(".tools/prism/node_modules/.bin/prism");

  /** The official document; shared/ sits beside the project checkout, never inside it. */
  static final Path SPEC =
      Path.of("../shared/specs/whatsapp-cloud-api/business-messaging-api_v23.0.yaml");

  private final Process process;
  private final int port;
  private final StringBuffer log = new StringBuffer();

  private Prism(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Checks that Prism and the document are there. Without Prism the calling test is skipped on a
   * developer's machine (environment variable {@code CI} unset) and fails on CI, which installs it.
   * A missing document always fails.
   */
  static void requireInstalled() {
    Assertions.assertTrue(
        Files.isRegularFile(SPEC),
        "the WhatsApp OpenAPI document is missing: " + SPEC.toAbsolutePath().normalize());
    if (!Files.isExecutable(EXECUTABLE)) {
      String ci = System.getenv("CI");
      String message = "Prism is not installed at " + EXECUTABLE + "; run tools/install-prism.sh";
      if (ci != null && !ci.isBlank()) {
        Assertions.fail(message + " (CI must install it: .ci/run does)");
      }
      Assumptions.abort(message);
    }
  }

  /**
   * The document as Prism reads it, written under {@code target/}. It is the official document with
   * one repair: merging Meta's documents left the schemas of inbound webhook messages ({@code
   * IncomingMessage} and the message schemas it lists) pointing at the same-named schemas of
   * <em>sending</em> ({@code BaseMessageProperties}, {@code TextMessage}, ...), so the document
   * refuses even its own inbound examples. The copy points them at the webhook schemas the document
   * defines beside them ({@code BaseMessageProperties_1}, {@code TextMessage_2}, ...). Nothing
   * outside the webhook schemas changes. When a new document no longer has the fault, this fails,
   * so the repair is dropped rather than kept blindly.
   */
  static Path repairedSpec() throws IOException {
    List<String> lines = Files.readAllLines(SPEC, StandardCharsets.UTF_8);
    int start = lines.indexOf("    WebhookPayload:");
    int end = lines.subList(start, lines.size()).indexOf("  parameters:") + start;
    int incoming = lines.indexOf("    IncomingMessage:");
    int incomingEnd = incoming + 1;
    while (incomingEnd < lines.size() && !lines.get(incomingEnd).matches("^    [A-Za-z].*")) {
      incomingEnd++;
    }
    Assertions.assertTrue(start > 0 && end > start && incoming > start && incomingEnd < end);
    int repaired = 0;
    for (int i = start; i < end; i++) {
      String line = lines.get(i);
      String fixed =
          line.replace(
              "#/components/schemas/BaseMessageProperties'",
              "#/components/schemas/BaseMessageProperties_1'");
      if (i > incoming && i < incomingEnd) {
        for (String[] rename : RENAMES) {
          fixed =
              fixed.replace(
                  "#/components/schemas/" + rename[0] + "'",
                  "#/components/schemas/" + rename[1] + "'");
        }
      }
      if (!fixed.equals(line)) {
        repaired++;
        lines.set(i, fixed);
      }
    }
    Assertions.assertEquals(
        30, repaired, "the document's webhook schemas changed; revisit Prism.repairedSpec");
    Path copy = Path.of("target", "whatsapp-openapi-for-prism.yaml");
    Files.createDirectories(copy.getParent());
    Files.write(copy, lines, StandardCharsets.UTF_8);
    return copy;
  }

  private static final String[][] RENAMES = {
    {"TextMessage", "TextMessage_2"},
    {"ReactionMessage", "ReactionMessage_1"},
    {"AudioMessage", "AudioMessage_1"},
    {"DocumentMessage", "DocumentMessage_1"},
    {"ImageMessage", "ImageMessage_1"},
    {"StickerMessage", "StickerMessage_1"},
    {"VideoMessage", "VideoMessage_1"},
    {"LocationMessage", "LocationMessage_1"}
  };

  /** Starts a validating proxy in front of {@code upstream} and waits until it listens. */
  static Prism proxy(String upstream) throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                EXECUTABLE.toAbsolutePath().toString(),
                "proxy",
                repairedSpec().toAbsolutePath().toString(),
                upstream,
                "--errors",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    Prism prism = new Prism(process, port);
    CountDownLatch listening = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  prism.log.append(line).append('\n');
                  if (line.contains("Prism is listening")) {
                    listening.countDown();
                  }
                }
              } catch (IOException e) {
                // the process ended; its log says why
              }
            },
            "prism-log");
    reader.setDaemon(true);
    reader.start();
    if (!listening.await(180, TimeUnit.SECONDS) || !process.isAlive()) {
      prism.close();
      throw new AssertionError("Prism did not start within 180 s:\n" + prism.log());
    }
    return prism;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String log() {
    return log.toString();
  }

  /** Stops the Prism process this helper started (and its children), by their process ids. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
