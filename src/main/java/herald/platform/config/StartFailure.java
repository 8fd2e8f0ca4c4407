package herald.platform.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A start-up failure Herald cannot recover from, with the configuration key that would fix it.
 * {@link herald.Main} logs {@link #getMessage()} as one line, stops what it started and exits
 * non-zero.
 */
public final class StartFailure extends RuntimeException {
  private final String setting;

  /**
   * @param setting the configuration key to change (e.g. {@code http.port}), or null if none helps
   * @param message what went wrong, in one sentence, without the setting (it is appended)
   */
  public StartFailure(String setting, String message, Throwable cause) {
    super(message + (setting == null ? "" : " (setting: " + setting + ")"), cause);
    this.setting = setting;
  }

  /** The configuration key to change, or null. */
  public String setting() {
    return setting;
  }

  /**
   * Wraps a failure to listen on {@code host:port}: an address in use names the key and its
   * environment variable.
   */
  public static StartFailure listening(String setting, String host, int port, Throwable cause) {
    String env = "HERALD_" + setting.toUpperCase().replace('.', '_');
    if (isAddressInUse(cause)) {
      return new StartFailure(
          setting,
          String.format(
              "port %d on %s is already in use by another process; set %s (or %s in"
                  + " herald.yaml) to a free port",
              port, host, env, setting),
          cause);
    }
    return new StartFailure(
        setting, String.format("cannot listen on %s:%d: %s", host, port, describe(cause)), cause);
  }

  /**
   * Fails at once when {@code host:port} is taken, before Herald starts anything that takes time to
   * stop (the embedded PostgreSQL). Port 0 (a free one) always passes. The real listen is still
   * checked: another process may take the port in between. Blocks for one bind, microseconds.
   */
  public static void requireFreePort(String setting, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw listening(setting, host, port, e);
    }
  }

  /** The failure's one-line description: its message, or its type when it has none. */
  public static String describe(Throwable failure) {
    if (failure instanceof StartFailure) {
      return failure.getMessage();
    }
    String message = failure.getMessage();
    return message == null || message.isBlank()
        ? failure.getClass().getSimpleName()
        : message.lines().findFirst().orElse(message);
  }

  private static boolean isAddressInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
