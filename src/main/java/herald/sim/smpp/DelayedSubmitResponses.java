package herald.sim.smpp;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.SynchronizedPDUSender;
import org.jsmpp.bean.OptionalParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PDU writer of one simulator session: jsmpp's own, except that every submit_sm_resp, positive
 * or negative, is written {@code latency} later from a timer thread.
 *
 * <p>Why here: jsmpp's server writes the submit_sm_resp on the PDU-processing thread as soon as
 * {@code onAcceptSubmitSm} returns, with no asynchronous variant. Sleeping in the listener would
 * hold one of the session's few processing threads per outstanding submit_sm and cap throughput at
 * threads/latency. Deferring the write instead keeps any number of submits in flight, as the ESME's
 * window allows, while the processing threads return at once.
 *
 * <p>jsmpp 3.0.2's {@link SynchronizedPDUSender} does not lock the stream in {@code
 * sendSubmitSmResp} (every other method does), so this class takes the lock itself: a
 * submit_sm_resp from a timer thread must never interleave with a deliver_sm or enquire_link.
 */
final class DelayedSubmitResponses extends SynchronizedPDUSender {
  private static final Logger log = LoggerFactory.getLogger(DelayedSubmitResponses.class);
  private static final byte[] NOT_YET_WRITTEN = new byte[0];

  private final ScheduledExecutorService timer;
  private final long latencyNanos;
  private final Consumer<String> responded;

  /**
   * @param timer runs the deferred writes; its tasks only write a few octets
   * @param latencyNanos delay before each submit_sm_resp; 0 writes on the calling thread
   * @param responded told each message_id once its submit_sm_resp was written or failed to be
   */
  DelayedSubmitResponses(
      ScheduledExecutorService timer, long latencyNanos, Consumer<String> responded) {
    this.timer = timer;
    this.latencyNanos = latencyNanos;
    this.responded = responded;
  }

  @Override
  public byte[] sendSubmitSmResp(
      OutputStream out, int sequenceNumber, String messageId, OptionalParameter... params)
      throws PDUStringException, IOException {
    if (latencyNanos == 0) {
      try {
        return writeSubmitSmResp(out, sequenceNumber, messageId, params);
      } finally {
        responded.accept(messageId);
      }
    }
    later(
        () -> {
          try {
            writeSubmitSmResp(out, sequenceNumber, messageId, params);
          } catch (IOException | PDUStringException e) {
            log.debug("submit_sm_resp for {} not written: {}", messageId, e.toString());
          } finally {
            responded.accept(messageId);
          }
        });
    return NOT_YET_WRITTEN;
  }

  @Override
  public byte[] sendHeader(OutputStream out, int commandId, int commandStatus, int sequenceNumber)
      throws IOException {
    // jsmpp answers a rejected submit_sm with a bare header: delay it like an accepted one.
    if (commandId != SMPPConstant.CID_SUBMIT_SM_RESP || latencyNanos == 0) {
      return super.sendHeader(out, commandId, commandStatus, sequenceNumber);
    }
    later(
        () -> {
          try {
            super.sendHeader(out, commandId, commandStatus, sequenceNumber);
          } catch (IOException e) {
            log.debug("submit_sm_resp seq {} not written: {}", sequenceNumber, e.toString());
          }
        });
    return NOT_YET_WRITTEN;
  }

  private byte[] writeSubmitSmResp(
      OutputStream out, int sequenceNumber, String messageId, OptionalParameter... params)
      throws PDUStringException, IOException {
    synchronized (out) {
      return super.sendSubmitSmResp(out, sequenceNumber, messageId, params);
    }
  }

  private void later(Runnable write) {
    try {
      timer.schedule(write, latencyNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("Simulator closing, submit_sm_resp dropped");
    }
  }
}
