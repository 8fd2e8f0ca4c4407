package herald.channel.sms.smpp;

import herald.channel.InboundSink;
import herald.channel.InboundText;
import herald.channel.Receipt;
import herald.channel.sms.Encoding;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.util.DeliveryReceiptState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns deliver_sm PDUs into delivery receipts and inbound (MO) messages, on the provider's
 * context. It answers deliver_sm_resp only after the receipt or message is committed (the sink's
 * future), so an SMSC redelivers anything Herald did not store; nothing waits on a thread, so any
 * number of deliver_sm may wait for their commit at once and their receipts share the sink's group
 * commits.
 */
final class SmppReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(SmppReceiver.class);
  private static final long COMMIT_TIMEOUT_SECONDS = 15;

  private final InboundSink sink;
  private final Context context;

  SmppReceiver(InboundSink sink, Context context) {
    this.sink = sink;
    this.context = context;
  }

  /**
   * Stores one deliver_sm that arrived on {@code c}, then answers it: status 0 once committed,
   * ESME_RSYSERR (the SMSC retries) when storing failed or took over 15 s; a deliver_sm that does
   * not decode gets a generic_nack.
   */
  void deliver(UUID senderId, SmppConnection c, SmppConnection.Pdu pdu) {
    int seq = pdu.sequence();
    DeliverSm sm;
    try {
      sm = SmppProvider.DECOMPOSER.deliverSm(pdu.octets());
    } catch (PDUStringException e) {
      c.write(SmppProvider.COMPOSER.genericNack(e.getErrorCode(), seq));
      return;
    }
    CompletableFuture<Void> stored;
    try {
      stored = sm.isSmscDeliveryReceipt() ? receipt(senderId, sm) : mo(senderId, sm);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    Future.fromCompletionStage(stored, context)
        .timeout(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onComplete(
            done -> {
              int status = SMPPConstant.STAT_ESME_ROK;
              if (done.failed()) {
                LOG.warn(
                    "deliver_sm not stored, asking the SMSC to retry: {}",
                    done.cause().getMessage());
                status = SMPPConstant.STAT_ESME_RSYSERR;
              }
              c.write(SmppProvider.COMPOSER.deliverSmResp(status, seq, ""));
            });
  }

  private CompletableFuture<Void> receipt(UUID senderId, DeliverSm pdu) {
    DeliveryReceipt parsed;
    try {
      parsed = pdu.getShortMessageAsDeliveryReceipt();
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    boolean delivered = parsed.getFinalStatus() == DeliveryReceiptState.DELIVRD;
    return sink.receipt(
        senderId,
        new Receipt(
            parsed.getId(), delivered, String.valueOf(parsed.getFinalStatus()), parsed.getError()));
  }

  private CompletableFuture<Void> mo(UUID senderId, DeliverSm pdu) {
    byte[] bytes = pdu.getShortMessage() == null ? new byte[0] : pdu.getShortMessage();
    if ((pdu.getEsmClass() & 0x40) != 0 && bytes.length > 0) {
      int udhLength = (bytes[0] & 0xFF) + 1;
      bytes = Arrays.copyOfRange(bytes, Math.min(udhLength, bytes.length), bytes.length);
    }
    Encoding encoding = (pdu.getDataCoding() & 0x0C) == 0x08 ? Encoding.UCS_2 : Encoding.GSM_7;
    String from = "+" + pdu.getSourceAddr().replaceFirst("^\\+", "");
    String to = pdu.getDestAddress();
    return sink.inbound(new InboundText(senderId, from, to, encoding.decode(bytes)));
  }
}
