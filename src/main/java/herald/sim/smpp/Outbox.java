package herald.sim.smpp;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.SMPPServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store and forward for deliver_sm, as a real SMSC does it: a receipt or MO is held until a bound
 * receiver acknowledges it with a zero-status deliver_sm_resp. While no receiver is bound, or when
 * sending fails (closed socket, no answer in time, negative deliver_sm_resp), the message waits in
 * a queue that {@link #flush()} retries; the simulator calls it after every bind and once a second.
 *
 * <p>jsmpp's {@link SMPPServerSession#deliverShortMessage} blocks its caller until the
 * deliver_sm_resp arrives, so sends run on a small dedicated pool: several deliver_sm can be
 * outstanding at once and no timer or PDU-processing thread ever waits for an ESME. Thread-safe.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final SessionRegistry sessions;
  private final ExecutorService senders;
  private final Counters counters;
  private final Queue<OutboundSm> stored = new ConcurrentLinkedQueue<>();
  private final AtomicInteger undelivered = new AtomicInteger();

  Outbox(SessionRegistry sessions, ExecutorService senders, Counters counters) {
    this.sessions = sessions;
    this.senders = senders;
    this.counters = counters;
  }

  /** Takes {@code sm} into the SMSC's care and tries to deliver it now; never blocks. */
  void send(OutboundSm sm) {
    undelivered.incrementAndGet();
    dispatch(sm);
  }

  /** Retries every stored message if a receiver is bound; never blocks. */
  void flush() {
    if (stored.isEmpty() || sessions.pickReceiver() == null) {
      return;
    }
    // Only what is stored now: anything failing again re-enters the queue for the next flush.
    for (int n = stored.size(); n > 0; n--) {
      OutboundSm sm = stored.poll();
      if (sm == null) {
        return;
      }
      dispatch(sm);
    }
  }

  /** Messages taken in but not yet acknowledged by an ESME, stored or in flight. */
  int undelivered() {
    return undelivered.get();
  }

  private void dispatch(OutboundSm sm) {
    SMPPServerSession session = sessions.pickReceiver();
    if (session == null) {
      log.debug("No receiver bound, storing deliver_sm for {}", sm.label());
      stored.add(sm);
      return;
    }
    try {
      senders.execute(() -> deliver(session, sm));
    } catch (RejectedExecutionException e) {
      stored.add(sm); // shutting down
    }
  }

  private void deliver(SMPPServerSession session, OutboundSm sm) {
    try {
      session.deliverShortMessage(
          "",
          TypeOfNumber.valueOf(sm.sourceTon()),
          NumberingPlanIndicator.valueOf(sm.sourceNpi()),
          sm.source(),
          TypeOfNumber.valueOf(sm.destinationTon()),
          NumberingPlanIndicator.valueOf(sm.destinationNpi()),
          sm.destination(),
          new ESMClass(sm.esmClass()),
          (byte) 0,
          (byte) 0,
          new RegisteredDelivery(0),
          DataCodings.newInstance(sm.dataCoding()),
          sm.shortMessage(),
          sm.tlvs());
      undelivered.decrementAndGet();
      (sm.receipt() ? counters.receiptsSent : counters.moSent).increment();
      log.debug(
          "deliver_sm {} for {} acknowledged by session {}",
          sm.receipt() ? "receipt" : "MO",
          sm.label(),
          session.getSessionId());
    } catch (Exception e) {
      // IOException, ResponseTimeoutException, NegativeResponseException, ...: keep it for later.
      log.debug("deliver_sm for {} failed, storing it: {}", sm.label(), e.toString());
      stored.add(sm);
    }
  }
}
