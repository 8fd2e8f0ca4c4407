package herald.platform.database;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries on the classpath, for when Herald has no external
 * database. The cluster lives in {@code <dataDir>/pg} and survives restarts; its superuser is
 * {@code herald}, with a random password kept in {@code <dataDir>/pg-password} (mode 0600). The
 * server listens on 127.0.0.1 only, on a free port chosen at each start, with no unix socket.
 *
 * <p><b>Threads:</b> every method blocks (child processes, JDBC). Call from the main thread or a
 * worker, never from an event loop. Accessors are safe from any thread; {@link #close()} is
 * idempotent and may run in a shutdown hook, which this class never registers itself.
 *
 * <p><b>Root:</b> PostgreSQL refuses to run as root, so when the JVM runs as uid 0 the server runs
 * as {@code nobody} through {@code setpriv} (util-linux) and the cluster, password file and log are
 * chowned to that user. {@code nobody} must be able to traverse to the data dir; {@link #start}
 * fails early with a message naming the blocking directory if it cannot.
 *
 * <p><b>Exclusivity:</b> the JVM holds a lock on {@code <dataDir>/pg.lock} while the server runs. A
 * second start on the same dir fails with {@link DataDirInUseException} while the first JVM lives;
 * once that JVM is gone (even by {@code kill -9}), a start stops the server it left behind.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String HOST = "127.0.0.1";
  private static final String USER = "herald";
  private static final String DATABASE = "herald";
  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(45); // pg_ctl -t 30, plus slack
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;

  /**
   * Written once the {@code herald} database exists; until then each start checks by logging in.
   */
  private static final String DATABASE_MARKER = "pg-database-created";

  private final Path dataDir;
  private final Path pgDir;
  private final ServerUser serverUser;
  private final Path bin;
  private final String password;
  private final FileChannel lockChannel;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile int port;

  /** Thrown by {@link #start} when another live process runs a server on the same data dir. */
  public static final class DataDirInUseException extends IOException {
    DataDirInUseException(Path dataDir) {
      super("Another process is running PostgreSQL on " + dataDir + " (it holds pg.lock)");
    }
  }

  private EmbeddedPostgres(
      Path dataDir, FileChannel lockChannel, ServerUser serverUser, Path bin, String password) {
    this.dataDir = dataDir;
    this.pgDir = dataDir.resolve("pg");
    this.lockChannel = lockChannel;
    this.serverUser = serverUser;
    this.bin = bin;
    this.password = password;
  }

  /**
   * Starts (initialising on first use) a PostgreSQL server whose cluster lives in {@code
   * dataDir.resolve("pg")}, and returns once it accepts logins to {@link #database()}.
   *
   * @throws DataDirInUseException if a live process already runs a server on this dir
   * @throws IOException if the binaries, cluster or server cannot be set up; the message includes
   *     the end of {@code <dataDir>/pg.log} when the server itself failed
   */
  public static EmbeddedPostgres start(Path dataDir) throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(dataDir);
    Path dir = dataDir.toRealPath();
    FileChannel lockChannel =
        FileChannel.open(
            dir.resolve("pg.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very JVM
      }
      if (lock == null) {
        throw new DataDirInUseException(dir);
      }
      ServerUser user = ServerUser.detect();
      user.checkCanReach(dir);
      Path bin = PostgresBinaries.ensureExtracted(dir).resolve("bin");
      String password = readOrCreatePassword(dir.resolve("pg-password"));
      EmbeddedPostgres pg = new EmbeddedPostgres(dir, lockChannel, user, bin, password);
      pg.boot();
      LOG.info(
          "PostgreSQL {} ready on {}:{} (data dir {}) in {} ms",
          PostgresBinaries.VERSION,
          HOST,
          pg.port,
          dir,
          (System.nanoTime() - started) / 1_000_000);
      return pg;
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  private void boot() throws IOException {
    Path pwFile = dataDir.resolve("pg-password");
    Path logFile = dataDir.resolve("pg.log");
    if (!Files.exists(logFile)) {
      Files.createFile(logFile);
    }
    serverUser.own(pwFile, false);
    serverUser.own(logFile, false);
    if (Files.exists(pgDir.resolve("PG_VERSION"))) {
      serverUser.own(pgDir, true); // only does work when an earlier run used another user
      stopLeftOverServer();
    } else {
      if (Files.exists(pgDir)) {
        throw new IOException(pgDir + " exists but is not a PostgreSQL cluster; move it away");
      }
      initCluster(pwFile);
    }
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      long logOffset = Files.size(logFile);
      try {
        pgCtl(
            List.of(
                "-w",
                "-t",
                "30",
                "-l",
                logFile.toString(),
                "-o",
                "-p "
                    + port
                    + " -h "
                    + HOST
                    + " -k '' -c fsync=on -c max_connections=200"
                    + " -c shared_buffers=128MB",
                "start"));
        break;
      } catch (IOException e) {
        String logged = readLog(logOffset);
        // Another process may grab the port between our probe and the server's bind.
        if (attempt < START_ATTEMPTS && logged.contains("Address already in use")) {
          continue;
        }
        if (PostmasterPid.read(pgDir).state() == PostmasterPid.State.RUNNING) {
          close(); // pg_ctl gave up waiting (say, on a long crash recovery) but the server runs on
        }
        throw new IOException(e.getMessage() + "\n--- " + logFile + " ---\n" + logged, e);
      }
    }
    // pg_ctl -w returned only once the server accepts connections; a login is needed just to finish
    // a
    // first start that died before the herald database was created.
    Path marker = dataDir.resolve(DATABASE_MARKER);
    if (Files.exists(marker)) {
      return;
    }
    try {
      awaitLogin();
      Files.writeString(marker, "herald database created\n");
    } catch (IOException | RuntimeException e) {
      close(); // the caller never gets an instance to close, so the server must not outlive this
      throw e;
    }
  }

  private void initCluster(Path pwFile) throws IOException {
    // initdb fills a scratch dir that is then renamed into place, so a killed initdb never leaves
    // a half-made cluster in pg/. We hold pg.lock, so no one else uses the scratch dir.
    Path scratch = dataDir.resolve("pg.init-tmp");
    PostgresBinaries.deleteRecursively(scratch);
    Files.createDirectory(
        scratch,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    serverUser.own(scratch, false);
    List<String> initdb =
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            scratch.toString(),
            "-U",
            USER,
            "--auth=scram-sha-256",
            "--pwfile=" + pwFile,
            "-E",
            "UTF8",
            "--locale=C");
    serverUser.run(initdb, dataDir, INITDB_TIMEOUT);
    Files.move(scratch, pgDir, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("Initialised PostgreSQL cluster in {}", pgDir);
  }

  /** Stops the server a killed JVM left behind; we hold pg.lock, so its owner is gone. */
  private void stopLeftOverServer() throws IOException {
    PostmasterPid found = PostmasterPid.read(pgDir);
    if (found.state() == PostmasterPid.State.RUNNING) {
      LOG.warn(
          "Stopping PostgreSQL (pid {}) left running on {} by an earlier process",
          found.pid(),
          pgDir);
      pgCtl(List.of("-m", "fast", "-w", "-t", "30", "stop"));
    } else if (found.state() == PostmasterPid.State.PID_REUSED) {
      // postgres would take the unrelated process for a live postmaster and refuse to start; the
      // file is provably stale, so remove it (and kill nothing).
      LOG.warn(
          "Removing stale postmaster.pid in {}: pid {} is not a postmaster of it",
          pgDir,
          found.pid());
      Files.delete(pgDir.resolve("postmaster.pid"));
    }
  }

  private void awaitLogin() throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      try (Connection c = connect(DATABASE)) {
        return;
      } catch (SQLException e) {
        if ("3D000".equals(e.getSQLState())) {
          // A cluster whose first start died before CREATE DATABASE ran; finish the job.
          createDatabase(DATABASE, null);
          continue;
        }
        if ("28P01".equals(e.getSQLState()) || System.nanoTime() > deadline) {
          throw new IOException(
              "PostgreSQL on port "
                  + port
                  + " does not accept logins: "
                  + e.getMessage()
                  + "\n--- pg.log ---\n"
                  + readLog(0),
              e);
        }
      }
      sleep(100);
    }
  }

  /** Host the server listens on: always {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** TCP port chosen for this run; differs from run to run. */
  public int port() {
    return port;
  }

  /** Superuser name: {@code herald}. */
  public String user() {
    return USER;
  }

  /** Superuser password, generated on first use and stable for the life of the cluster. */
  public String password() {
    return password;
  }

  /** Database created with the cluster: {@code herald}. */
  public String database() {
    return DATABASE;
  }

  /** JDBC URL for {@code database} on this server (credentials not included). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
  }

  /**
   * Creates database {@code name}, copied from {@code template} when not null. The template must
   * have no open connections, a PostgreSQL rule.
   *
   * @throws IllegalStateException wrapping the {@link SQLException} (SQLSTATE 42P04 if it exists)
   */
  public void createDatabase(String name, String template) {
    SuperuserJdbc.createDatabase(jdbcUrl("postgres"), USER, password, name, template);
  }

  /**
   * Stops the server ({@code pg_ctl stop -m fast}: open sessions are rolled back) and releases the
   * data dir. Idempotent; failures are logged, not thrown, so it is safe in a shutdown hook.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      pgCtl(List.of("-m", "fast", "-w", "-t", "30", "stop"));
    } catch (IOException e) {
      LOG.warn("Could not stop PostgreSQL on {}: {}", pgDir, e.getMessage());
    } finally {
      try {
        lockChannel.close();
      } catch (IOException e) {
        LOG.debug("Could not release {}", dataDir.resolve("pg.lock"), e);
      }
    }
  }

  /** Test hook: forget the server without stopping it, as a JVM killed by SIGKILL would. */
  void abandon() throws IOException {
    closed.set(true);
    lockChannel.close();
  }

  private Connection connect(String database) throws SQLException {
    return SuperuserJdbc.connect(jdbcUrl(database), USER, password);
  }

  private void pgCtl(List<String> args) throws IOException {
    List<String> cmd =
        new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", pgDir.toString()));
    cmd.addAll(args);
    serverUser.run(cmd, dataDir, PG_CTL_TIMEOUT);
  }

  private static String readOrCreatePassword(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    if (Files.exists(file.resolveSibling("pg").resolve("PG_VERSION"))) {
      throw new IOException(
          file
              + " is missing, so the cluster in "
              + file.resolveSibling("pg")
              + " cannot be logged into; restore the file or move the cluster away");
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            "pg-password",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, password, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  /** pg.log from {@code offset} (where this run's lines begin), at most its last 8 KiB. */
  private String readLog(long offset) {
    try (RandomAccessFile raf = new RandomAccessFile(dataDir.resolve("pg.log").toFile(), "r")) {
      long start = Math.max(offset, raf.length() - 8192);
      byte[] bytes = new byte[(int) (raf.length() - start)];
      raf.seek(start);
      raf.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for PostgreSQL");
    }
  }
}
