package herald.channel.sms.smpp;

import herald.channel.InboundSink;
import herald.channel.InboundText;
import herald.channel.Receipt;
import herald.channel.sms.Encoding;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns deliver_sm PDUs into delivery receipts and inbound (MO) messages. jsmpp calls it on its own
 * PDU threads (never an event loop), and it answers deliver_sm_resp only after the receipt or
 * message is committed, so an SMSC redelivers anything Herald did not store.
 */
final class SmppReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(SmppReceiver.class);
  private static final long COMMIT_TIMEOUT_SECONDS = 15;
  private static final int ESME_RSYSERR = 0x08;

  private final InboundSink sink;

  SmppReceiver(InboundSink sink) {
    this.sink = sink;
  }

  MessageReceiverListener listenerFor(UUID senderId) {
    return new MessageReceiverListener() {
      @Override
      public void onAcceptDeliverSm(DeliverSm pdu) throws ProcessRequestException {
        CompletableFuture<Void> stored =
            pdu.isSmscDeliveryReceipt() ? receipt(senderId, pdu) : mo(senderId, pdu);
        try {
          stored.get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ProcessRequestException("interrupted", ESME_RSYSERR);
        } catch (Exception e) {
          LOG.warn("deliver_sm not stored, asking the SMSC to retry: {}", e.getMessage());
          throw new ProcessRequestException("not stored: " + e.getMessage(), ESME_RSYSERR);
        }
      }

      @Override
      public void onAcceptAlertNotification(AlertNotification alert) {
        // not used: no outstanding data to retry on alerts
      }

      @Override
      public DataSmResult onAcceptDataSm(DataSm dataSm, Session source)
          throws ProcessRequestException {
        throw new ProcessRequestException("data_sm is not supported", 0x03);
      }
    };
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
      bytes = java.util.Arrays.copyOfRange(bytes, Math.min(udhLength, bytes.length), bytes.length);
    }
    Encoding encoding = (pdu.getDataCoding() & 0x0C) == 0x08 ? Encoding.UCS_2 : Encoding.GSM_7;
    String from = "+" + pdu.getSourceAddr().replaceFirst("^\\+", "");
    String to = pdu.getDestAddress();
    return sink.inbound(new InboundText(senderId, from, to, encoding.decode(bytes)));
  }
}
