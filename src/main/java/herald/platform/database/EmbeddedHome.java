package herald.platform.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the embedded PostgreSQL keeps its cluster: {@code <data_dir>} itself, except when Herald
 * runs as root and the server user ({@code nobody}) cannot reach the data dir, as under {@code
 * /root} (mode 0700). Then the cluster lives in {@code /var/lib/herald/<name>-<hash>}, named after
 * the data dir so two checkouts never share one, and one log line says where. A data dir set
 * explicitly through {@code HERALD_DATA_DIR} is never moved: an unreachable one fails the start.
 * Blocking (file system).
 */
public final class EmbeddedHome {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedHome.class);

  /** Parent of relocated clusters; reachable by every user. */
  static final Path RELOCATED_ROOT = Path.of("/var/lib/herald");

  private EmbeddedHome() {}

  /**
   * The directory to hand to {@link EmbeddedPostgres#start}.
   *
   * @param dataDir Herald's data dir (created if missing)
   * @param pinned true when the operator chose the data dir explicitly ({@code HERALD_DATA_DIR});
   *     it is then used as it is
   */
  public static Path choose(Path dataDir, boolean pinned) throws IOException {
    Files.createDirectories(dataDir);
    Path real = dataDir.toRealPath();
    ServerUser user = ServerUser.detect();
    if (pinned) {
      return real;
    }
    Optional<Path> blocked = user.firstBlocked(real);
    if (blocked.isEmpty()) {
      return real;
    }
    Path home = RELOCATED_ROOT.resolve(nameFor(real));
    Files.createDirectories(home);
    for (Path p = home; !p.equals(RELOCATED_ROOT.getParent()); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    user.checkCanReach(home);
    LOG.info(
        "PostgreSQL runs as {}, who cannot enter {}; its cluster is kept in {} instead (set"
            + " HERALD_DATA_DIR to choose the place)",
        user.describe(),
        blocked.get(),
        home);
    return home;
  }

  /**
   * {@code root-herald-data-1a2b3c4d} for {@code /root/herald/data}: the last path elements for
   * people, a hash of the whole path so different checkouts never collide.
   */
  static String nameFor(Path dir) {
    String readable = dir.toString().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    if (readable.length() > 40) {
      readable = readable.substring(readable.length() - 40).replaceAll("^[-.]+", "");
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(dir.toString().getBytes(StandardCharsets.UTF_8));
      return (readable.isEmpty() ? "data" : readable)
          + "-"
          + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
