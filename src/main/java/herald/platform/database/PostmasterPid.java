package herald.platform.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code <cluster>/postmaster.pid} says about the server of a cluster, judged from /proc only
 * (Linux). Used to find a server a killed JVM left behind without touching any other process.
 *
 * @param state the verdict
 * @param pid the pid the file names, or -1 if there is no readable pid
 */
record PostmasterPid(State state, long pid) {

  /** The verdict on a cluster's pid file. */
  enum State {
    /** No pid file, or its process is gone: postgres starts as usual. */
    NOT_RUNNING,
    /** The pid file names a live postmaster of this cluster. */
    RUNNING,
    /** The pid now belongs to an unrelated process, so the file is stale but blocks a start. */
    PID_REUSED
  }

  /** Reads and judges {@code pgDir/postmaster.pid}. */
  static PostmasterPid read(Path pgDir) throws IOException {
    Path file = pgDir.resolve("postmaster.pid");
    if (!Files.exists(file)) {
      return new PostmasterPid(State.NOT_RUNNING, -1);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    long pid;
    try {
      pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      pid = -1; // half-written by a postmaster that died starting; postgres copes
    }
    if (pid <= 0 || !isAlive(pid)) {
      return new PostmasterPid(State.NOT_RUNNING, pid);
    }
    return new PostmasterPid(isPostmasterOf(pid, pgDir) ? State.RUNNING : State.PID_REUSED, pid);
  }

  /**
   * True if {@code pid} runs. A zombie does not: an orphaned postmaster is re-parented to PID 1,
   * and where PID 1 does not reap (some containers and VMs) it stays a zombie after exiting.
   */
  static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isPostmasterOf(long pid, Path pgDir) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      // The postmaster chdirs into its data dir, so its cwd identifies the cluster exactly.
      return Files.readSymbolicLink(proc.resolve("cwd")).equals(pgDir.toRealPath());
    } catch (IOException e) {
      // cwd is unreadable for another user's process: fall back to the program name.
      String argv = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
      return argv.split("\0", 2)[0].endsWith("postgres");
    }
  }
}
