package herald.sim.smpp;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;

/** A jsmpp client (ESME) for the simulator tests: binds, submits, and queues every deliver_sm. */
final class TestEsme implements AutoCloseable {
  static final String SOURCE = "4915100000001";

  final SMPPSession session = new SMPPSession();
  final BlockingQueue<DeliverSm> received = new LinkedBlockingQueue<>();

  private TestEsme() {}

  /** Binds to the simulator on loopback; throws what jsmpp throws for a refused bind. */
  static TestEsme bind(int port, BindType type, String systemId, String password)
      throws IOException {
    return bind(port, type, systemId, password, 60_000);
  }

  /**
   * Binds with jsmpp's idle timer at {@code enquireLinkMs}: it sends enquire_link after that long
   * without traffic. It must be set before binding, as jsmpp applies it to the socket read timeout.
   */
  static TestEsme bind(int port, BindType type, String systemId, String password, int enquireLinkMs)
      throws IOException {
    TestEsme esme = new TestEsme();
    esme.session.setTransactionTimer(10_000);
    esme.session.setEnquireLinkTimer(enquireLinkMs);
    esme.session.setMessageReceiverListener(
        new MessageReceiverListener() {
          @Override
          public void onAcceptDeliverSm(DeliverSm deliverSm) {
            esme.received.add(deliverSm);
          }

          @Override
          public void onAcceptAlertNotification(AlertNotification alertNotification) {}

          @Override
          public DataSmResult onAcceptDataSm(DataSm dataSm, Session source)
              throws ProcessRequestException {
            throw new ProcessRequestException("not expected", 0x03);
          }
        });
    try {
      esme.session.connectAndBind(
          "127.0.0.1",
          port,
          new BindParameter(
              type,
              systemId,
              password,
              "",
              TypeOfNumber.UNKNOWN,
              NumberingPlanIndicator.UNKNOWN,
              null));
    } catch (IOException e) {
      esme.session.close();
      throw e;
    }
    return esme;
  }

  static TestEsme bind(SmscSimulator smsc, SmscConfig config) throws IOException {
    return bind(smsc.port(), BindType.BIND_TRX, config.systemId(), config.password());
  }

  /** Submits and returns the message_id; a negative submit_sm_resp throws. */
  String submit(String to, int dataCoding, int esmClass, int registeredDelivery, byte[] message)
      throws Exception {
    return session
        .submitShortMessage(
            "",
            TypeOfNumber.INTERNATIONAL,
            NumberingPlanIndicator.ISDN,
            SOURCE,
            TypeOfNumber.INTERNATIONAL,
            NumberingPlanIndicator.ISDN,
            to,
            new ESMClass(esmClass),
            (byte) 0,
            (byte) 1,
            null,
            null,
            new RegisteredDelivery(registeredDelivery),
            (byte) 0,
            DataCodings.newInstance((byte) dataCoding),
            (byte) 0,
            message)
        .getMessageId();
  }

  /** The command_status of the submit_sm_resp: 0 when accepted. */
  int submitStatus(String to, int dataCoding, int esmClass, byte[] message) throws Exception {
    try {
      submit(to, dataCoding, esmClass, 0, message);
      return 0;
    } catch (NegativeResponseException e) {
      return e.getCommandStatus();
    }
  }

  /** The next deliver_sm, failing the test if none arrives within {@code timeout}. */
  DeliverSm nextDeliverSm(Duration timeout) throws InterruptedException {
    DeliverSm deliverSm = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (deliverSm == null) {
      throw new AssertionError("no deliver_sm within " + timeout);
    }
    return deliverSm;
  }

  /** {@code septets} GSM 7-bit characters. */
  static byte[] gsm(int septets) {
    return Gsm7.encode("x".repeat(septets));
  }

  /** {@code head} followed by {@code tail}, e.g. a UDH and its text. */
  static byte[] concat(byte[] head, byte[] tail) {
    byte[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  /** The receipted_message_id TLV (0x001E) of a receipt. */
  static String receiptedMessageId(DeliverSm deliverSm) {
    return ((OptionalParameter.COctetString)
            deliverSm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID))
        .getValueAsString();
  }

  /** The message_state TLV (0x0427) of a receipt. */
  static byte messageState(DeliverSm deliverSm) {
    return ((OptionalParameter.Byte)
            deliverSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE))
        .getValue();
  }

  @Override
  public void close() {
    if (session.getSessionState().isBound()) {
      session.unbindAndClose();
    } else {
      session.close();
    }
  }
}
