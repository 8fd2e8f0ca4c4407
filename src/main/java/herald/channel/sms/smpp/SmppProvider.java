package herald.channel.sms.smpp;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.SendOutcome;
import herald.channel.sms.Encoding;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMPP 3.4 ESME for one sender, on jsmpp: a transceiver bind kept up with enquire_link and
 * reconnected with backoff; a window of outstanding submit_sm (jsmpp's submit blocks until its
 * response, so the window is a pool of that many threads); long texts split into UDH-concatenated
 * parts; receipts and MO messages handed to {@link SmppReceiver}.
 */
final class SmppProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(SmppProvider.class);
  private static final long MAX_BACKOFF_MS = 10_000;
  private static final int RECEIPT_THREADS = 128;

  private final ChannelSender sender;
  private final Context context;
  private final SmppReceiver receiver;
  private final SmppType.Settings s;
  private final ExecutorService window;
  private final ScheduledExecutorService connector;
  private final AtomicReference<SMPPSession> session = new AtomicReference<>();
  private final AtomicInteger reconnects = new AtomicInteger();
  private volatile String state = "connecting";
  private volatile String lastError;
  private volatile boolean closed;

  SmppProvider(
      ChannelSender sender, SmppType.Settings settings, Context context, SmppReceiver receiver) {
    this.sender = sender;
    this.context = context;
    this.receiver = receiver;
    this.s = settings;
    int size = s.window();
    String name = "smpp-" + sender.id().toString().substring(0, 8);
    this.window = Executors.newFixedThreadPool(size, r -> daemon(r, name + "-submit"));
    this.connector = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-bind"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public Future<Void> start() {
    connector.execute(() -> connect(0));
    return Future.succeededFuture();
  }

  private void connect(long backoffMs) {
    if (closed) {
      return;
    }
    SMPPSession fresh = new SMPPSession();
    fresh.setEnquireLinkTimer(s.enquireLinkSeconds() * 1000);
    fresh.setTransactionTimer(10_000);
    // Receipts wait for their commit on these threads; more of them lets receipts batch up.
    fresh.setPduProcessorDegree(RECEIPT_THREADS);
    fresh.setMessageReceiverListener(receiver.listenerFor(sender.id()));
    fresh.addSessionStateListener(
        (newState, oldState, source) -> {
          if (newState == SessionState.CLOSED && !closed && session.compareAndSet(fresh, null)) {
            state = "disconnected";
            LOG.warn("SMPP sender {}: connection lost; reconnecting", sender.name());
            connector.execute(() -> connect(1000));
          }
        });
    try {
      state = "connecting";
      fresh.connectAndBind(
          s.host(),
          s.port(),
          new BindParameter(
              BindType.BIND_TRX,
              s.systemId(),
              s.password(),
              s.systemType() == null ? "" : s.systemType(),
              TypeOfNumber.UNKNOWN,
              NumberingPlanIndicator.UNKNOWN,
              null),
          10_000);
      session.set(fresh);
      state = "bound";
      lastError = null;
      LOG.info("SMPP sender {} bound to {}:{}", sender.name(), s.host(), s.port());
    } catch (IOException e) {
      fresh.unbindAndClose();
      long next = Math.min(MAX_BACKOFF_MS, Math.max(500, backoffMs * 2));
      state = "disconnected";
      lastError = e.getMessage();
      reconnects.incrementAndGet();
      LOG.debug(
          "SMPP sender {}: bind failed ({}); retry in {} ms", sender.name(), e.getMessage(), next);
      connector.schedule(() -> connect(next), next, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public Future<SendOutcome> send(OutboundItem m) {
    SMPPSession current = session.get();
    if (current == null || !current.getSessionState().isBound()) {
      return Future.succeededFuture(
          SendOutcome.of(
              m.id(),
              SendOutcome.Kind.PAUSED,
              "not_connected",
              "SMPP sender is not bound" + (lastError == null ? "" : ": " + lastError)));
    }
    CompletableFuture<SendOutcome> done =
        CompletableFuture.supplyAsync(() -> submit(current, m), window);
    return Future.fromCompletionStage(done, context);
  }

  private SendOutcome submit(SMPPSession current, OutboundItem m) {
    Encoding encoding = Encoding.fromWire(m.encoding());
    List<String> parts = encoding.split(m.body());
    int ref = ThreadLocalRandom.current().nextInt(256);
    List<String> ids = new ArrayList<>(parts.size());
    try {
      for (int i = 0; i < parts.size(); i++) {
        byte[] text = encoding.encode(parts.get(i));
        byte[] payload = parts.size() == 1 ? text : withUdh(text, ref, parts.size(), i + 1);
        ids.add(
            current
                .submitShortMessage(
                    // service_type, not the bind's system_type: empty is the SMSC's default.
                    s.serviceType() == null ? "" : s.serviceType(),
                    TypeOfNumber.valueOf((byte) s.sourceTon()),
                    NumberingPlanIndicator.valueOf((byte) s.sourceNpi()),
                    m.from(),
                    TypeOfNumber.valueOf((byte) s.destTon()),
                    NumberingPlanIndicator.valueOf((byte) s.destNpi()),
                    m.to().startsWith("+") ? m.to().substring(1) : m.to(),
                    new ESMClass(parts.size() == 1 ? 0 : 0x40),
                    (byte) 0,
                    (byte) s.priorityFlag(),
                    null,
                    null,
                    new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE),
                    (byte) 0,
                    new GeneralDataCoding(
                        encoding == Encoding.UCS_2 ? Alphabet.ALPHA_UCS2 : Alphabet.ALPHA_DEFAULT),
                    (byte) 0,
                    payload)
                .getMessageId());
      }
      return SendOutcome.sent(m.id(), ids);
    } catch (NegativeResponseException e) {
      int status = e.getCommandStatus();
      // Throttling, queue full, system error: the SMSC may take it later. Anything else is final.
      boolean transientError = status == 0x58 || status == 0x14 || status == 0x08 || status == 0x45;
      return SendOutcome.of(
          m.id(),
          transientError ? SendOutcome.Kind.RETRY : SendOutcome.Kind.FAILED,
          String.format("smpp_0x%02X", status),
          "SMSC refused submit_sm: " + e.getMessage());
    } catch (ResponseTimeoutException | IOException e) {
      return SendOutcome.of(m.id(), SendOutcome.Kind.RETRY, "smpp_io", e.getMessage());
    } catch (Exception e) {
      return SendOutcome.of(
          m.id(), SendOutcome.Kind.RETRY, "smpp_error", String.valueOf(e.getMessage()));
    }
  }

  /** Concatenation UDH (IEI 0x00, 8-bit reference) in front of the part's octets. */
  static byte[] withUdh(byte[] text, int ref, int total, int seq) {
    byte[] out = new byte[6 + text.length];
    out[0] = 0x05;
    out[1] = 0x00;
    out[2] = 0x03;
    out[3] = (byte) ref;
    out[4] = (byte) total;
    out[5] = (byte) seq;
    System.arraycopy(text, 0, out, 6, text.length);
    return out;
  }

  @Override
  public int capacity() {
    return s.window();
  }

  @Override
  public JsonObject status() {
    return new JsonObject()
        .put("connection", state)
        .put("reconnects", reconnects.get())
        .put("last_error", lastError)
        .put("window", s.window());
  }

  @Override
  public Future<Void> close() {
    closed = true;
    SMPPSession current = session.getAndSet(null);
    connector.shutdownNow();
    window.shutdown();
    if (current != null) {
      CompletableFuture<Void> unbound = CompletableFuture.runAsync(current::unbindAndClose);
      return Future.fromCompletionStage(unbound, context);
    }
    return Future.succeededFuture();
  }
}
