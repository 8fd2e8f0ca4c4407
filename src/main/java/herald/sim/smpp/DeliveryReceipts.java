package herald.sim.smpp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.OptionalParameter;

/**
 * Delivery receipts: which submits get one, when, and what it says.
 *
 * <p>A receipt is announced with {@link #expect} while its submit_sm is being accepted, and its
 * {@code receiptDelay} starts only once the submit_sm_resp has been written ({@link #responded}),
 * so an ESME never sees a receipt for a message_id it has not been told yet. When due, the outcome
 * is drawn against {@code undeliveredRate} and the receipt handed to the {@link Outbox}. One timer
 * task per receipt, alive only for the delay. Thread-safe.
 *
 * <p>The short_message (data_coding 0, esm_class 0x04) follows SMPP 3.4 Appendix B, dates in UTC:
 *
 * <pre>
 * id:0a1b2c3d00000001 sub:001 dlvrd:001 submit date:2503141205 done date:2503141205 stat:DELIVRD err:000 text:Hello
 * </pre>
 *
 * An undelivered message reads {@code dlvrd:000 ... stat:UNDELIV err:001}. TLVs
 * receipted_message_id (0x001E) and message_state (0x0427: 2 DELIVERED, 5 UNDELIVERABLE) repeat the
 * id and the outcome for ESMEs that do not parse the text.
 */
final class DeliveryReceipts {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final int TEXT_CHARS = 20;
  private static final byte ESM_SMSC_RECEIPT = 0x04;

  private record Pending(
      SmscSimulator.Submitted submitted,
      byte srcTon,
      byte srcNpi,
      byte dstTon,
      byte dstNpi,
      boolean failureOnly) {}

  private final Map<String, Pending> awaitingResponse = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final Duration delay;
  private final double undeliveredRate;
  private final Outbox outbox;
  private final Clock clock;

  DeliveryReceipts(ScheduledExecutorService timer, SmscConfig config, Outbox outbox, Clock clock) {
    this.timer = timer;
    this.delay = config.receiptDelay();
    this.undeliveredRate = config.undeliveredRate();
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Registers the receipt an accepted submit_sm asked for; call before its submit_sm_resp is
   * written. {@code registeredDelivery} bits 0–1: 1 always, 2 only on failure, 0 never.
   */
  void expect(
      SmscSimulator.Submitted submitted,
      byte srcTon,
      byte srcNpi,
      byte dstTon,
      byte dstNpi,
      byte registeredDelivery) {
    int wanted = registeredDelivery & 0x03;
    if (wanted == 1 || wanted == 2) {
      awaitingResponse.put(
          submitted.messageId(),
          new Pending(submitted, srcTon, srcNpi, dstTon, dstNpi, wanted == 2));
    }
  }

  /**
   * Starts the receipt delay of {@code messageId}, if it expects a receipt. Called after the
   * submit_sm_resp was written, or failed to be: the message was accepted either way.
   */
  void responded(String messageId) {
    Pending pending = awaitingResponse.remove(messageId);
    if (pending == null) {
      return;
    }
    try {
      timer.schedule(() -> due(pending), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The simulator is closing; receipts die with it.
    }
  }

  private void due(Pending pending) {
    boolean delivered = ThreadLocalRandom.current().nextDouble() >= undeliveredRate;
    if (delivered && pending.failureOnly()) {
      return;
    }
    SmscSimulator.Submitted sm = pending.submitted();
    String body = text(sm.messageId(), delivered, sm.at(), clock.instant(), sample(sm));
    MessageState state = delivered ? MessageState.DELIVERED : MessageState.UNDELIVERABLE;
    // The receipt travels back: from the handset (the original destination) to the ESME.
    outbox.send(
        new OutboundSm(
            true,
            sm.messageId(),
            pending.dstTon(),
            pending.dstNpi(),
            sm.destination(),
            pending.srcTon(),
            pending.srcNpi(),
            sm.source(),
            ESM_SMSC_RECEIPT,
            (byte) 0x00,
            body.getBytes(StandardCharsets.US_ASCII),
            new OptionalParameter.Receipted_message_id(sm.messageId()),
            new OptionalParameter.Message_state(state.value())));
  }

  /** The Appendix B receipt text. */
  static String text(
      String messageId, boolean delivered, Instant submitted, Instant done, String sample) {
    return "id:"
        + messageId
        + " sub:001 dlvrd:"
        + (delivered ? "001" : "000")
        + " submit date:"
        + DATE.format(submitted)
        + " done date:"
        + DATE.format(done)
        + " stat:"
        + (delivered ? "DELIVRD err:000" : "UNDELIV err:001")
        + " text:"
        + sample;
  }

  /**
   * The first 20 characters of the submitted text, with anything that is not the same character in
   * both ASCII and the GSM default alphabet shown as '?', so the receipt reads the same to an ESME
   * that decodes it either way.
   */
  static String sample(SmscSimulator.Submitted sm) {
    byte[] octets = sm.shortMessage();
    int from = 0;
    if ((sm.esmClass() & 0x40) != 0 && octets.length > 0) {
      from = Math.min(octets.length, 1 + (octets[0] & 0xFF));
    }
    SubmitRules.Alphabet alphabet = SubmitRules.alphabet(sm.dataCoding());
    String text =
        alphabet == SubmitRules.Alphabet.GSM7
            ? Gsm7.decode(octets, from)
            : new String(
                octets,
                from,
                octets.length - from,
                alphabet == SubmitRules.Alphabet.UCS2
                    ? StandardCharsets.UTF_16BE
                    : StandardCharsets.ISO_8859_1);
    StringBuilder sample = new StringBuilder(TEXT_CHARS);
    text.codePoints()
        .limit(TEXT_CHARS)
        .forEach(c -> sample.append(isCommonPrintable(c) ? (char) c : '?'));
    return sample.toString();
  }

  private static boolean isCommonPrintable(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || " !\"#%&'()*+,-./:;<=>?".indexOf(c) >= 0;
  }
}
