package herald.outbound;

import java.util.UUID;

/**
 * Decides which lane verticle runs a sender's lane: exactly one in the whole deployment, so a
 * sender's rate is never exceeded and its provider account is bound once. The lane verticle asks it
 * on every refresh and starts or stops lanes to match.
 */
@FunctionalInterface
public interface LaneOwnership {
  /** Whether this verticle instance runs {@code senderId}'s lane now. */
  boolean owns(UUID senderId);

  /**
   * Ownership inside one process: instance {@code index} of {@code instances} owns the senders
   * whose id hashes to it. (A lease in PostgreSQL replaces this for several nodes.)
   */
  static LaneOwnership byHash(int index, int instances) {
    return senderId -> Math.floorMod(senderId.hashCode(), instances) == index;
  }
}
