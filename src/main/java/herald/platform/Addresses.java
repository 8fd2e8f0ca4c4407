package herald.platform;

/** Event-bus addresses, in one place. Nothing sent here must survive a crash. */
public final class Addresses {
  private Addresses() {}

  /** Liveness ping answered by every instance of a verticle group (request/reply). */
  public static String health(String group) {
    return "herald.health." + group;
  }
}
