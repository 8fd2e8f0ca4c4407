package herald.sim.ari;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the far end of one simulated call does: how it ends, how long it rings and talks, what
 * answering-machine detection reports, and which DTMF digits the callee presses after answering.
 *
 * @param outcome how the dial ends
 * @param ringTime time from the channel's {@code Ringing} state to the outcome (the answer, or the
 *     network giving up for {@link Outcome#NO_ANSWER}); the originate {@code timeout} cuts it short
 *     with cause 19. Busy, congestion, rejected and unallocated calls end after this time too.
 * @param talkTime time from the answer to the callee hanging up (cause 16); {@code null} when the
 *     callee stays on the line until the application hangs up
 * @param amdStatus {@code AMDSTATUS} set when the originate asks for AMD: {@code HUMAN}, {@code
 *     MACHINE}, {@code NOTSURE} or {@code HANGUP}
 * @param amdCause {@code AMDCAUSE} set with it, e.g. {@code HUMAN-300-1000}
 * @param dtmf digits ({@code 0-9 * # A-D}) the callee presses once the answered channel is in
 *     Stasis; empty for none
 */
public record CallScript(
    Outcome outcome,
    Duration ringTime,
    Duration talkTime,
    String amdStatus,
    String amdCause,
    String dtmf) {

  private static final Pattern DIGITS = Pattern.compile("^[0-9*#A-D]*$");
  private static final Pattern AMD_STATUS = Pattern.compile("^(HUMAN|MACHINE|NOTSURE|HANGUP)$");

  /**
   * How a simulated dial ends, with the Q.850 cause Asterisk reports in {@code ChannelDestroyed}.
   */
  public enum Outcome {
    /** The callee answers; the call ends with cause 16 when either side hangs up. */
    ANSWER(16, "ANSWER"),
    /** 486 Busy Here: cause 17. */
    BUSY(17, "BUSY"),
    /** Rings until the network or the originate timeout gives up: cause 19. */
    NO_ANSWER(19, "NOANSWER"),
    /** 603 Decline: cause 21. */
    REJECTED(21, "BUSY"),
    /** No circuit or trunk capacity (503): cause 34. */
    CONGESTION(34, "CONGESTION"),
    /** 404 Not Found: cause 1. */
    UNALLOCATED(1, "CHANUNAVAIL");

    private final int cause;
    private final String dialStatus;

    Outcome(int cause, String dialStatus) {
      this.cause = cause;
      this.dialStatus = dialStatus;
    }

    /** The Q.850 cause code of the channel's hang-up. */
    public int cause() {
      return cause;
    }

    /** The {@code dialstatus} of the final {@code Dial} event. */
    public String dialStatus() {
      return dialStatus;
    }
  }

  /** Validates every field; see the record's parameters. */
  public CallScript {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(ringTime, "ringTime");
    Objects.requireNonNull(amdStatus, "amdStatus");
    Objects.requireNonNull(amdCause, "amdCause");
    Objects.requireNonNull(dtmf, "dtmf");
    if (ringTime.isNegative()) {
      throw new IllegalArgumentException("ringTime must not be negative");
    }
    if (talkTime != null && (talkTime.isNegative() || talkTime.isZero())) {
      throw new IllegalArgumentException("talkTime must be positive, or null for no hang-up");
    }
    if (!AMD_STATUS.matcher(amdStatus).matches()) {
      throw new IllegalArgumentException("amdStatus must be HUMAN, MACHINE, NOTSURE or HANGUP");
    }
    if (!DIGITS.matcher(dtmf).matches()) {
      throw new IllegalArgumentException("dtmf may hold only 0-9, *, # and A-D");
    }
  }

  /** Answered after {@code ringTime}; the callee hangs up after {@code talkTime} (null: never). */
  public static CallScript answer(Duration ringTime, Duration talkTime) {
    return new CallScript(Outcome.ANSWER, ringTime, talkTime, "HUMAN", "HUMAN-300-1000", "");
  }

  /** A call that ends with {@code outcome} after {@code ringTime}, never answered. */
  public static CallScript unanswered(Outcome outcome, Duration ringTime) {
    if (outcome == Outcome.ANSWER) {
      throw new IllegalArgumentException("use answer() for answered calls");
    }
    return new CallScript(outcome, ringTime, null, "HUMAN", "HUMAN-300-1000", "");
  }

  /** This script with the given AMD verdict. */
  public CallScript withAmd(String status, String cause) {
    return new CallScript(outcome, ringTime, talkTime, status, cause, dtmf);
  }

  /** This script with the callee pressing {@code digits} after the answer. */
  public CallScript withDtmf(String digits) {
    return new CallScript(outcome, ringTime, talkTime, amdStatus, amdCause, digits);
  }

  /** This script with another outcome, keeping the timings. */
  public CallScript withOutcome(Outcome other) {
    return new CallScript(other, ringTime, talkTime, amdStatus, amdCause, dtmf);
  }
}
