package herald.platform.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import herald.platform.config.PasswordConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * bcrypt password hashing. Hashing is deliberately slow, so both operations run on worker threads
 * (unordered, so logins do not queue behind each other) and never on an event loop.
 */
public final class Passwords {
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
  public static final int MAX_BYTES = PasswordConfig.MAX_BYTES;

  public static final int MIN_LENGTH = 8;

  private final Vertx vertx;
  private final int cost;

  /** Made lazily on a worker thread, so constructing this never blocks an event loop. */
  private volatile String dummyHash;

  public Passwords(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(
        () -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  /**
   * True when {@code password} matches {@code hash}; a null hash is checked against a dummy. A
   * password over {@value #MAX_BYTES} bytes matches nothing (none can have been stored) and is
   * false at once, never handed to bcrypt, which refuses it.
   */
  public Future<Boolean> verify(String password, String hash) {
    if (tooLong(password)) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(
        () -> {
          // Checking against a dummy when the user does not exist keeps login timing the same
          // either way.
          String against = hash != null ? hash : dummy();
          return BCrypt.verifyer().verify(password.toCharArray(), against).verified && hash != null;
        },
        false);
  }

  private String dummy() {
    String dummy = dummyHash;
    if (dummy == null) {
      dummy = BCrypt.withDefaults().hashToString(cost, "not-a-real-password".toCharArray());
      dummyHash = dummy;
    }
    return dummy;
  }

  /** True when bcrypt cannot take {@code password}: more than {@value #MAX_BYTES} UTF-8 bytes. */
  public static boolean tooLong(String password) {
    return PasswordConfig.tooLong(password);
  }

  /** Null when acceptable, else the reason. */
  public static String problem(String password) {
    if (password.length() < MIN_LENGTH) {
      return "password must be at least " + MIN_LENGTH + " characters";
    }
    if (tooLong(password)) {
      return "password must be at most " + MAX_BYTES + " bytes";
    }
    return null;
  }
}
