package herald.sim.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmscSimulatorTest {
  private static final String TO = "4917612345678";
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<AutoCloseable> cleanUp = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanUp.size() - 1; i >= 0; i--) {
      cleanUp.get(i).close();
    }
  }

  @Test
  void bindsAsTransceiverWithTheRightCredentialsAndAnswersEnquireLink() throws Exception {
    SmscConfig config = SmscConfig.localDefaults();
    SmscSimulator smsc = start(config);

    TestEsme esme =
        TestEsme.bind(smsc.port(), BindType.BIND_TRX, config.systemId(), config.password(), 100);
    cleanUp.add(esme);

    assertThat(esme.session.getSessionState()).isEqualTo(SessionState.BOUND_TRX);
    // The SMSC counts the session once its bind_resp is written, which may be just after the ESME
    // has read it.
    Await.until("one bound session", WAIT, () -> smsc.boundSessions() == 1);
    Await.until("an enquire_link", WAIT, () -> smsc.stats().enquireLinks() > 0);
    assertThat(smsc.stats().binds()).isEqualTo(1);
  }

  @Test
  void refusesAWrongPasswordAWrongSystemIdAndABindBeyondMaxBinds() throws Exception {
    SmscConfig config = SmscConfig.localDefaults().withMaxBinds(1);
    SmscSimulator smsc = start(config);
    int port = smsc.port();

    assertThat(bindStatus(port, config.systemId(), "wrong")).isEqualTo(0x0E); // ESME_RINVPASWD
    assertThat(bindStatus(port, "other", config.password())).isEqualTo(0x0F); // ESME_RINVSYSID
    bind(smsc, config);
    assertThat(bindStatus(port, config.systemId(), config.password())).isEqualTo(0x0D);
    assertThat(smsc.boundSessions()).isEqualTo(1);
  }

  @Test
  void refusesABindWhoseFieldsAreLongerThanSmpp34AllowsOrNotPrintableAscii() throws Exception {
    SmscConfig config = SmscConfig.localDefaults().withMaxBinds(20);
    SmscSimulator smsc = start(config);
    int port = smsc.port();
    String id = config.systemId();
    String password = config.password();

    assertThat(rawBind(port, id, password, "")).isZero();
    assertThat(rawBind(port, id, password, "SYSTYPE1")).isZero();
    assertThat(rawBind(port, id, password, "t".repeat(12))).isZero();
    // C-Octet Strings of at most 16, 9 and 13 octets, the NUL included.
    assertThat(rawBind(port, id + "x".repeat(16 - id.length()), password, ""))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVSYSID);
    assertThat(rawBind(port, id, password + "x".repeat(9 - password.length()), ""))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVPASWD);
    assertThat(rawBind(port, id, password, "t".repeat(13)))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVSYSTYP);
    assertThat(rawBind(port, id, password, "typ\u0001"))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVSYSTYP);
    assertThat(rawBind(port, id, password, "typé")).isEqualTo(SMPPConstant.STAT_ESME_RINVSYSTYP);
    assertThat(smsc.stats().binds()).isEqualTo(3);
  }

  @Test
  void refusesASubmitWhoseServiceTypeIsLongerThanFiveCharactersOrNotPrintableAscii()
      throws Exception {
    SmscConfig config = fast(0.0, 0.0);
    SmscSimulator smsc = start(config);
    try (RawEsme esme = new RawEsme(smsc.port())) {
      assertThat(esme.bind(config.systemId(), config.password(), "SYSTYPE1")).isZero();
      assertThat(esme.submit("", TO)).isZero();
      assertThat(esme.submit("CMT", TO)).isZero();
      assertThat(esme.submit("12345", TO)).isZero();
      assertThat(esme.submit("SYSTYPE1", TO)).isEqualTo(SMPPConstant.STAT_ESME_RINVSERTYP);
      assertThat(esme.submit("123456", TO)).isEqualTo(SMPPConstant.STAT_ESME_RINVSERTYP);
      assertThat(esme.submit("C\tT", TO)).isEqualTo(SMPPConstant.STAT_ESME_RINVSERTYP);
      assertThat(esme.enquireLink()).isZero();
    }
    assertThat(smsc.submitted())
        .extracting(SmscSimulator.Submitted::serviceType)
        .containsExactly("", "CMT", "12345");
  }

  /** The command_status of a bind_transceiver_resp to a bind written byte by byte. */
  private static int rawBind(int port, String systemId, String password, String systemType)
      throws IOException {
    try (RawEsme esme = new RawEsme(port)) {
      return esme.bind(systemId, password, systemType);
    }
  }

  @Test
  void answersASubmitWithRegisteredDeliveryWithAMessageIdThenADelivrdReceipt() throws Exception {
    SmscConfig config = fast(0.0, 0.0);
    SmscSimulator smsc = start(config);
    TestEsme esme = bind(smsc, config);

    String id = esme.submit(TO, 0x00, 0x00, 1, Gsm7.encode("Hello from Herald, a receipt test"));
    DeliverSm receipt = esme.nextDeliverSm(WAIT);

    assertThat(id).matches("[0-9a-f]{16}");
    String text = new String(receipt.getShortMessage(), StandardCharsets.US_ASCII);
    assertThat(text)
        .matches(
            "id:"
                + id
                + " sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10}"
                + " stat:DELIVRD err:000 text:Hello from Herald, a");
    assertThat(receipt.isSmscDeliveryReceipt()).isTrue();
    assertThat(receipt.getShortMessageAsDeliveryReceipt().getId()).isEqualTo(id);
    assertThat(receipt.getSourceAddr()).isEqualTo(TO);
    assertThat(receipt.getDestAddress()).isEqualTo(TestEsme.SOURCE);
    assertThat(TestEsme.receiptedMessageId(receipt)).isEqualTo(id);
    assertThat(TestEsme.messageState(receipt)).isEqualTo((byte) 2); // DELIVERED
    Await.until("the receipt acknowledged", WAIT, () -> smsc.stats().receiptsSent() == 1);
  }

  @Test
  void saysUndelivWhenEveryMessageFails() throws Exception {
    SmscConfig config = fast(0.0, 1.0);
    SmscSimulator smsc = start(config);
    TestEsme esme = bind(smsc, config);

    String id = esme.submit(TO, 0x08, 0x00, 1, "Grüße".getBytes(StandardCharsets.UTF_16BE));
    DeliverSm receipt = esme.nextDeliverSm(WAIT);

    assertThat(new String(receipt.getShortMessage(), StandardCharsets.US_ASCII))
        .startsWith("id:" + id + " sub:001 dlvrd:000 ")
        .endsWith(" stat:UNDELIV err:001 text:Gr??e");
    assertThat(TestEsme.receiptedMessageId(receipt)).isEqualTo(id);
    assertThat(TestEsme.messageState(receipt)).isEqualTo((byte) 5); // UNDELIVERABLE
  }

  @Test
  void acceptsAThreePartUcs2MessageAndRecordsItsConcatenationHeader() throws Exception {
    SmscConfig config = fast(0.0, 0.0);
    SmscSimulator smsc = start(config);
    TestEsme esme = bind(smsc, config);

    for (int seq = 1; seq <= 3; seq++) {
      byte[] udh = {5, 0x00, 3, (byte) 0xA7, 3, (byte) seq};
      byte[] body = "Ж".repeat(67).getBytes(StandardCharsets.UTF_16BE); // 134 + 6 = 140 octets
      esme.submit(TO, 0x08, 0x40, 0, TestEsme.concat(udh, body));
    }

    List<SmscSimulator.Submitted> parts = smsc.submitted();
    assertThat(parts).hasSize(3);
    assertThat(parts).extracting(SmscSimulator.Submitted::concatRef).containsOnly(0xA7);
    assertThat(parts).extracting(SmscSimulator.Submitted::concatTotal).containsOnly(3);
    assertThat(parts).extracting(SmscSimulator.Submitted::concatSeq).containsExactly(1, 2, 3);
    assertThat(parts).extracting(SmscSimulator.Submitted::dataCoding).containsOnly((byte) 0x08);
    assertThat(new HashSet<>(parts.stream().map(SmscSimulator.Submitted::messageId).toList()))
        .hasSize(3);
  }

  @Test
  void rejectsWhatARealSmscRejectsWithTheMatchingStatus() throws Exception {
    SmscConfig config = fast(0.0, 0.0);
    SmscSimulator smsc = start(config);
    TestEsme esme = bind(smsc, config);
    byte[] udh8 = {5, 0x00, 3, 1, 2, 1};
    byte[] udh16 = {6, 0x08, 4, 0x12, 0x34, 2, 2};

    assertThat(esme.submitStatus(TO, 0x08, 0, new byte[142])).isEqualTo(0x01);
    assertThat(esme.submitStatus(TO, 0x04, 0, new byte[141])).isEqualTo(0x01);
    assertThat(esme.submitStatus(TO, 0x00, 0, TestEsme.gsm(160))).isZero();
    assertThat(esme.submitStatus(TO, 0x00, 0, TestEsme.gsm(161))).isEqualTo(0x01);
    assertThat(esme.submitStatus(TO, 0x00, 0x40, TestEsme.concat(udh8, TestEsme.gsm(153))))
        .isZero();
    assertThat(esme.submitStatus(TO, 0x00, 0x40, TestEsme.concat(udh8, TestEsme.gsm(154))))
        .isEqualTo(0x01);
    assertThat(esme.submitStatus(TO, 0x08, 0x40, TestEsme.concat(udh16, new byte[134])))
        .isEqualTo(0x01);
    assertThat(esme.submitStatus(TO, 0x05, 0, TestEsme.gsm(10)))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVDCS);
    // 0x11 is a GSM DCS (class 1, 7-bit) but reserved in SMPP 3.4; 0xF0 is 3.4's flash 7-bit.
    assertThat(esme.submitStatus(TO, 0x11, 0, TestEsme.gsm(10)))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVDCS);
    assertThat(esme.submitStatus(TO, 0xF0, 0, TestEsme.gsm(10))).isZero();
    assertThat(esme.submitStatus(TO, 0x00, 0, "Grüße".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVDCS);
    assertThat(esme.submitStatus("", 0x00, 0, TestEsme.gsm(10))).isEqualTo(0x0B); // ESME_RINVDSTADR
    assertThat(esme.submitStatus("+" + TO, 0x00, 0, TestEsme.gsm(10))).isEqualTo(0x0B);
    assertThat(esme.submitStatus(TO, 0x00, 0x40, TestEsme.gsm(10))).isEqualTo(0x43); // no valid UDH
    byte[] seqAboveTotal = {5, 0x00, 3, 1, 2, 3};
    assertThat(esme.submitStatus(TO, 0x00, 0x40, TestEsme.concat(seqAboveTotal, TestEsme.gsm(10))))
        .isEqualTo(0x43);
    byte[] totalZero = {5, 0x00, 3, 1, 0, 0};
    assertThat(esme.submitStatus(TO, 0x00, 0x40, TestEsme.concat(totalZero, TestEsme.gsm(10))))
        .isEqualTo(0x43);
    assertThat(smsc.submitted()).hasSize(3);
    assertThat(smsc.stats().submitsRejected()).isEqualTo(13);
  }

  @Test
  void answersEverySubmitWithATransientErrorWhenRejectRateIsOne() throws Exception {
    SmscConfig config = fast(1.0, 0.0);
    SmscSimulator smsc = start(config);
    TestEsme esme = bind(smsc, config);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      statuses.add(esme.submitStatus(TO, 0x00, 0, TestEsme.gsm(20)));
    }

    assertThat(statuses).allMatch(s -> s == 0x58 || s == 0x08);
    assertThat(smsc.submitted()).isEmpty();
    assertThat(smsc.stats().submitsRejected()).isEqualTo(20);
  }

  @Test
  void pauseDropsSessionsAndRefusesBindsThenResumeKeepsThePortAndTheStoredReceipt()
      throws Exception {
    SmscConfig config =
        SmscConfig.localDefaults().withBehaviour(Duration.ZERO, 0.0, Duration.ofMillis(300), 0.0);
    SmscSimulator smsc = start(config);
    int port = smsc.port();
    TestEsme first = bind(smsc, config);
    String id = first.submit(TO, 0x00, 0, 1, TestEsme.gsm(10));

    smsc.pause();

    Await.until(
        "the first session closed",
        WAIT,
        () -> first.session.getSessionState() == SessionState.CLOSED);
    assertThat(smsc.boundSessions()).isZero();
    assertThatThrownBy(() -> TestEsme.bind(smsc, config)).isInstanceOf(IOException.class);
    Await.until(
        "the receipt pending",
        WAIT,
        () -> smsc.stats().deliverSmPending() == 1); // receipt due, nobody to take it

    smsc.resume();
    TestEsme second = bind(smsc, config);
    DeliverSm receipt = second.nextDeliverSm(WAIT);

    assertThat(smsc.port()).isEqualTo(port);
    assertThat(TestEsme.receiptedMessageId(receipt)).isEqualTo(id);
    assertThat(first.received).isEmpty();
    Await.until("no receipt pending", WAIT, () -> smsc.stats().deliverSmPending() == 0);
  }

  @Test
  void sendMoDeliversGsmAndUcs2TextToTheBoundEsme() throws Exception {
    SmscConfig config = fast(0.0, 0.0);
    SmscSimulator smsc = start(config);
    assertThatThrownBy(() -> smsc.sendMo("4915112345678", "12345", "hi"))
        .isInstanceOf(IllegalStateException.class);
    TestEsme esme = bind(smsc, config);

    smsc.sendMo("4915112345678", "12345", "STOP {all} @ 5€");
    DeliverSm gsm = esme.nextDeliverSm(WAIT);
    smsc.sendMo("4915112345678", "12345", "Привет 👋");
    DeliverSm ucs2 = esme.nextDeliverSm(WAIT);

    assertThat(gsm.getDataCoding()).isEqualTo((byte) 0x00);
    assertThat(gsm.getEsmClass()).isEqualTo((byte) 0x00);
    assertThat(gsm.getSourceAddr()).isEqualTo("4915112345678");
    assertThat(gsm.getDestAddress()).isEqualTo("12345");
    assertThat(Gsm7.decode(gsm.getShortMessage(), 0)).isEqualTo("STOP {all} @ 5€");
    assertThat(ucs2.getDataCoding()).isEqualTo((byte) 0x08);
    assertThat(new String(ucs2.getShortMessage(), StandardCharsets.UTF_16BE))
        .isEqualTo("Привет 👋");
    Await.until("both MO parts acknowledged", WAIT, () -> smsc.stats().moSent() == 2);
  }

  @Test
  void sendMoSplitsALongTextIntoConcatenatedParts() throws Exception {
    SmscConfig config = fast(0.0, 0.0);
    SmscSimulator smsc = start(config);
    TestEsme esme = bind(smsc, config);
    String text = "0123456789".repeat(20) + "[end]";

    smsc.sendMo("4915112345678", "12345", text);
    DeliverSm[] parts = {esme.nextDeliverSm(WAIT), esme.nextDeliverSm(WAIT)};
    Arrays.sort(parts, (a, b) -> a.getShortMessage()[5] - b.getShortMessage()[5]);

    StringBuilder joined = new StringBuilder();
    for (DeliverSm part : parts) {
      assertThat(part.getEsmClass()).isEqualTo((byte) 0x40);
      Udh udh = Udh.parse(part.getShortMessage());
      assertThat(udh.concatTotal()).isEqualTo(2);
      joined.append(Gsm7.decode(part.getShortMessage(), udh.length()));
    }
    assertThat(joined.toString()).isEqualTo(text);
  }

  @Test
  void keepsTenThousandSubmitsFromOneSessionInFlightDespiteLatency() throws Exception {
    SmscConfig config =
        SmscConfig.localDefaults().withBehaviour(Duration.ofMillis(5), 0.0, Duration.ZERO, 0.0);
    SmscSimulator smsc = start(config);
    TestEsme esme = bind(smsc, config);
    int window = 50;
    int perThread = 200;
    ExecutorService clients = Executors.newFixedThreadPool(window);
    cleanUp.add(clients::shutdownNow);

    long started = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < window; t++) {
      done.add(
          clients.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  esme.submit(TO, 0x00, 0, 0, TestEsme.gsm(40));
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    System.out.printf(
        "10000 submit_sm with 5 ms latency, %d outstanding: %d ms, %.0f/s%n",
        window, took.toMillis(), 10_000 / (took.toNanos() / 1e9));
    // Serialized, 10,000 x 5 ms would take 50 s.
    assertThat(took).isLessThan(Duration.ofSeconds(20));
    assertThat(smsc.submitted()).hasSize(10_000);
    assertThat(smsc.submitted().stream().map(SmscSimulator.Submitted::messageId).distinct())
        .hasSize(10_000);
  }

  private SmscSimulator start(SmscConfig config) throws IOException {
    SmscSimulator smsc = SmscSimulator.start(config);
    cleanUp.add(smsc);
    return smsc;
  }

  private TestEsme bind(SmscSimulator smsc, SmscConfig config) throws IOException {
    TestEsme esme = TestEsme.bind(smsc, config);
    cleanUp.add(esme);
    return esme;
  }

  private static SmscConfig fast(double rejectRate, double undeliveredRate) {
    return SmscConfig.localDefaults()
        .withBehaviour(Duration.ofMillis(1), rejectRate, Duration.ofMillis(20), undeliveredRate);
  }

  private static int bindStatus(int port, String systemId, String password) {
    try (TestEsme esme = TestEsme.bind(port, BindType.BIND_TRX, systemId, password)) {
      return 0;
    } catch (IOException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof NegativeResponseException negative) {
          return negative.getCommandStatus();
        }
      }
      throw new AssertionError("bind failed without a status", e);
    }
  }
}
