package herald.platform.database;

import com.sun.security.auth.module.UnixSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS user the PostgreSQL processes run as, and how to run a command as that user.
 *
 * <p>As a normal user that is simply the JVM's user. As root (which PostgreSQL refuses) it is
 * {@code nobody}: commands are wrapped in {@code setpriv} with numeric ids, which needs neither a
 * login shell nor user namespaces, and the files the server touches are chowned to it. Blocking.
 */
final class ServerUser {

  private static final Logger LOG = LoggerFactory.getLogger(ServerUser.class);
  private static final int NOBODY_FALLBACK_ID = 65534;
  private static final Pattern ID_OUTPUT = Pattern.compile("uid=(\\d+)\\S* gid=(\\d+)");
  private static final Duration ID_TIMEOUT = Duration.ofSeconds(10);

  private static ServerUser detected;

  private final boolean switching;
  private final int uid;
  private final int gid;
  private final boolean inPasswd;

  private ServerUser(boolean switching, int uid, int gid, boolean inPasswd) {
    this.switching = switching;
    this.uid = uid;
    this.gid = gid;
    this.inPasswd = inPasswd;
  }

  /** The server user for this JVM; looked up once, as it cannot change while the JVM runs. */
  static synchronized ServerUser detect() {
    if (detected == null) {
      detected = lookUp();
    }
    return detected;
  }

  private static ServerUser lookUp() {
    if (new UnixSystem().getUid() != 0) {
      return new ServerUser(false, -1, -1, true);
    }
    try {
      Matcher m = ID_OUTPUT.matcher(exec(List.of("id", "nobody"), Path.of("/"), ID_TIMEOUT));
      if (m.find()) {
        int uid = Integer.parseInt(m.group(1));
        return new ServerUser(true, uid, Integer.parseInt(m.group(2)), true);
      }
    } catch (IOException e) {
      LOG.debug("id nobody failed", e);
    }
    LOG.warn("No user 'nobody' found; running PostgreSQL as uid/gid {}", NOBODY_FALLBACK_ID);
    return new ServerUser(true, NOBODY_FALLBACK_ID, NOBODY_FALLBACK_ID, false);
  }

  /** True when the JVM runs as root and the server runs as another user. */
  boolean switching() {
    return switching;
  }

  /** A name for the server user in messages: {@code user nobody (uid 65534)}. */
  String describe() {
    return (inPasswd ? "user nobody" : "an unnamed user") + " (uid " + uid + ")";
  }

  /**
   * The first directory from {@code dir} up to / that the server user cannot traverse, if any.
   * Always empty when not {@link #switching()}.
   */
  Optional<Path> firstBlocked(Path dir) throws IOException {
    if (!switching) {
      return Optional.empty();
    }
    for (Path p = dir; p != null; p = p.getParent()) {
      Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode");
      int mode = (Integer) a.get("mode");
      int execBit = (Integer) a.get("uid") == uid ? 0100 : (Integer) a.get("gid") == gid ? 010 : 01;
      if ((mode & execBit) == 0) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Fails unless the server user can traverse every directory from / down to {@code dir}. */
  void checkCanReach(Path dir) throws IOException {
    Optional<Path> blocked = firstBlocked(dir);
    if (blocked.isPresent()) {
      Path p = blocked.get();
      Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode");
      throw new IOException(
          String.format(
              "PostgreSQL cannot run as root, so it runs as %s, but that user cannot enter %s"
                  + " (mode %o, owner uid %s) on the way to %s; set HERALD_DATA_DIR to a directory"
                  + " that user can reach, e.g. /var/lib/herald",
              describe(), p, (Integer) a.get("mode") & 07777, a.get("uid"), dir));
    }
  }

  /**
   * Gives {@code path} (and, if {@code recursive}, everything below it) to the server user. Checks
   * the top first so the usual case, already owned, costs one stat.
   */
  void own(Path path, boolean recursive) throws IOException {
    if (!switching || Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals(uid)) {
      return;
    }
    if (!recursive) {
      chown(path);
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.forEach(
          p -> {
            try {
              chown(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void chown(Path p) throws IOException {
    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }

  /** Runs {@code command} as the server user; see {@link #exec}. */
  String run(List<String> command, Path cwd, Duration timeout) throws IOException {
    if (!switching) {
      return exec(command, cwd, timeout);
    }
    List<String> wrapped =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=" + uid,
                "--regid=" + gid,
                inPasswd ? "--init-groups" : "--clear-groups"));
    wrapped.addAll(command);
    return exec(wrapped, cwd, timeout);
  }

  /**
   * Runs a command in {@code cwd} (which must be readable by the user it runs as: PostgreSQL tools
   * resolve their own paths from it) with LC_ALL=C and no PG* variables, and returns its combined
   * output, logged at DEBUG.
   *
   * @throws IOException if it cannot start, exits non-zero (message includes its output) or
   *     outlives {@code timeout} (then it is killed)
   */
  static String exec(List<String> command, Path cwd, Duration timeout) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    // PGPORT, PGDATA etc. from the caller's shell would silently override what we pass.
    builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
    builder.environment().put("LC_ALL", "C");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("Could not run " + command.get(0) + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    // Drained on a thread so a chatty child can never block on a full pipe while we wait.
    Thread drain =
        new Thread(
            () -> {
              try {
                process.getInputStream().transferTo(output);
              } catch (IOException ignored) {
                // the process died; whatever was read is all there is
              }
            },
            "pg-output-" + process.pid());
    drain.setDaemon(true);
    drain.start();
    try {
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly();
      }
      drain.join(1000);
      String text = output.toString(StandardCharsets.UTF_8).strip();
      LOG.debug("{} exited {}:\n{}", command, finished ? process.exitValue() : "(killed)", text);
      if (!finished) {
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + text);
      }
      return text;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while running " + command.get(0));
    }
  }
}
