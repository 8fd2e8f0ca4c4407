package herald.sim.smpp;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests a bound ESME sends, on jsmpp's PDU-processing threads (several at once per
 * session, so everything here is thread-safe and quick). submit_sm is checked by {@link
 * SubmitRules}, then possibly rejected at {@code rejectRate}, then accepted with a fresh
 * message_id; the answer itself is written later by {@link DelayedSubmitResponses}. Other
 * operations (submit_multi, data_sm, query_sm, cancel_sm, replace_sm, broadcasts) are answered
 * ESME_RINVCMDID, as by an SMSC that does not offer them.
 */
final class SubmitHandler implements ServerMessageReceiverListener {
  private static final Logger log = LoggerFactory.getLogger(SubmitHandler.class);

  private final double rejectRate;
  private final DeliveryReceipts receipts;
  private final Consumer<SmscSimulator.Submitted> accepted;
  private final Counters counters;
  private final Clock clock;
  // A random high half keeps ids unique across simulator restarts, as Herald stores them.
  private final long idPrefix = (long) new SecureRandom().nextInt() << 32;
  private final AtomicLong idCounter = new AtomicLong();

  SubmitHandler(
      double rejectRate,
      DeliveryReceipts receipts,
      Consumer<SmscSimulator.Submitted> accepted,
      Counters counters,
      Clock clock) {
    this.rejectRate = rejectRate;
    this.receipts = receipts;
    this.accepted = accepted;
    this.counters = counters;
    this.clock = clock;
  }

  @Override
  public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession session)
      throws ProcessRequestException {
    Udh udh;
    try {
      udh = SubmitRules.check(sm);
      if (rejectRate > 0 && ThreadLocalRandom.current().nextDouble() < rejectRate) {
        throw ThreadLocalRandom.current().nextBoolean()
            ? new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED)
            : new ProcessRequestException("system error", SMPPConstant.STAT_ESME_RSYSERR);
      }
    } catch (ProcessRequestException e) {
      counters.submitsRejected.increment();
      log.debug(
          "submit_sm seq {} on {} rejected 0x{}: {}",
          sm.getSequenceNumber(),
          session.getSessionId(),
          Integer.toHexString(e.getErrorCode()),
          e.getMessage());
      throw e;
    }
    String messageId = HexFormat.of().toHexDigits(idPrefix | idCounter.incrementAndGet());
    byte[] octets = sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage();
    SmscSimulator.Submitted submitted =
        new SmscSimulator.Submitted(
            messageId,
            sm.getSourceAddr(),
            sm.getDestAddress(),
            sm.getServiceType() == null ? "" : sm.getServiceType(),
            sm.getDataCoding(),
            sm.getEsmClass(),
            sm.getPriorityFlag(),
            octets,
            udh == null ? null : udh.concatRef(),
            udh == null ? null : udh.concatTotal(),
            udh == null ? null : udh.concatSeq(),
            clock.instant());
    accepted.accept(submitted);
    receipts.expect(
        submitted,
        sm.getSourceAddrTon(),
        sm.getSourceAddrNpi(),
        sm.getDestAddrTon(),
        sm.getDestAddrNpi(),
        sm.getRegisteredDelivery());
    counters.submitsAccepted.increment();
    log.debug(
        "submit_sm seq {} on {} to {} accepted as {}",
        sm.getSequenceNumber(),
        session.getSessionId(),
        sm.getDestAddress(),
        messageId);
    try {
      return new SubmitSmResult(new MessageId(messageId), new OptionalParameter[0]);
    } catch (PDUStringException e) {
      throw new IllegalStateException("16 hex digits are a valid message_id", e);
    }
  }

  @Override
  public void onAcceptEnquireLink(EnquireLink enquireLink, Session session) {
    counters.enquireLinks.increment();
    log.debug("enquire_link seq {} on {}", enquireLink.getSequenceNumber(), session.getSessionId());
  }

  @Override
  public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti request, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported("submit_multi");
  }

  @Override
  public QuerySmResult onAcceptQuerySm(QuerySm request, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported("query_sm");
  }

  @Override
  public void onAcceptReplaceSm(ReplaceSm request, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported("replace_sm");
  }

  @Override
  public void onAcceptCancelSm(CancelSm request, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported("cancel_sm");
  }

  @Override
  public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm request, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported("broadcast_sm");
  }

  @Override
  public void onAcceptCancelBroadcastSm(CancelBroadcastSm request, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported("cancel_broadcast_sm");
  }

  @Override
  public QueryBroadcastSmResult onAcceptQueryBroadcastSm(
      QueryBroadcastSm request, SMPPServerSession session) throws ProcessRequestException {
    throw unsupported("query_broadcast_sm");
  }

  @Override
  public DataSmResult onAcceptDataSm(DataSm request, Session session)
      throws ProcessRequestException {
    throw unsupported("data_sm");
  }

  private static ProcessRequestException unsupported(String operation) {
    log.debug("{} refused: not supported", operation);
    return new ProcessRequestException(
        operation + " not supported", SMPPConstant.STAT_ESME_RINVCMDID);
  }
}
