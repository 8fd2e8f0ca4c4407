package herald.channel.sms.smpp;

import herald.channel.ChannelSender;
import herald.channel.OutboundItem;
import herald.channel.Provider;
import herald.channel.SendOutcome;
import herald.channel.sms.Encoding;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.util.DefaultComposer;
import org.jsmpp.util.DefaultDecomposer;
import org.jsmpp.util.PDUComposer;
import org.jsmpp.util.PDUDecomposer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMPP 3.4 ESME for one sender, non-blocking on the lane's event loop: a Vert.x {@link NetClient}
 * connection ({@link SmppConnection}) bound as a transceiver, kept up with enquire_link and
 * reconnected with backoff; a window of outstanding submit_sm (the lane's slots, {@link
 * #capacity()}), each failed on its own if its response does not come within 10 s; long texts split
 * into UDH-concatenated parts; deliver_sm handed to {@link SmppReceiver}. jsmpp only encodes and
 * decodes the PDUs ({@link DefaultComposer}, {@link DefaultDecomposer}): no thread of its own, so a
 * submit_sm and its response never leave the event loop.
 */
final class SmppProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(SmppProvider.class);
  private static final long MAX_BACKOFF_MS = 10_000;
  private static final long BIND_TIMEOUT_MS = 10_000;
  private static final long RESPONSE_TIMEOUT_MS = 10_000;
  private static final long UNBIND_WAIT_MS = 2_000;
  static final PDUComposer COMPOSER = new DefaultComposer();
  static final PDUDecomposer DECOMPOSER = new DefaultDecomposer();

  private final ChannelSender sender;
  private final Context context;
  private final Vertx vertx;
  private final SmppReceiver receiver;
  private final SmppType.Settings s;
  private final NetClient client;
  // Fields below are used on the provider's context only, except the volatile ones (status()).
  private SmppConnection connection; // bound, or null
  private long retryTimer = -1;
  private long enquireTimer = -1;
  private boolean closed;
  private volatile String state = "connecting";
  private volatile String lastError;
  private volatile int reconnects;

  SmppProvider(
      ChannelSender sender, SmppType.Settings settings, Context context, SmppReceiver receiver) {
    this.sender = sender;
    this.context = context;
    this.vertx = context.owner();
    this.receiver = receiver;
    this.s = settings;
    this.client =
        vertx.createNetClient(
            new NetClientOptions().setConnectTimeout((int) BIND_TIMEOUT_MS).setTcpNoDelay(true));
  }

  @Override
  public Future<Void> start() {
    connect(0);
    return Future.succeededFuture();
  }

  private void connect(long backoffMs) {
    if (closed) {
      return;
    }
    state = "connecting";
    client
        .connect(s.port(), s.host())
        .compose(socket -> bind(new SmppConnection(vertx, socket)))
        .onSuccess(this::bound)
        .onFailure(e -> bindFailed(e, backoffMs));
  }

  private Future<SmppConnection> bind(SmppConnection c) {
    c.requests(pdu -> onRequest(c, pdu)).closed(v -> lost(c));
    return c.request(
            seq ->
                COMPOSER.bind(
                    SMPPConstant.CID_BIND_TRANSCEIVER,
                    seq,
                    s.systemId(),
                    s.password(),
                    s.systemType() == null ? "" : s.systemType(),
                    InterfaceVersion.IF_34.value(),
                    TypeOfNumber.UNKNOWN.value(),
                    NumberingPlanIndicator.UNKNOWN.value(),
                    null),
            BIND_TIMEOUT_MS)
        .compose(
            resp -> {
              if (resp.commandId() != SMPPConstant.CID_BIND_TRANSCEIVER_RESP
                  || resp.status() != SMPPConstant.STAT_ESME_ROK) {
                return Future.failedFuture(
                    new IOException(
                        "bind_transceiver refused: "
                            + new NegativeResponseException(resp.status()).getMessage()));
              }
              return Future.succeededFuture(c);
            })
        .onFailure(e -> c.close());
  }

  private void bound(SmppConnection c) {
    if (closed) {
      c.close();
      return;
    }
    if (!c.isOpen()) {
      bindFailed(new IOException("connection closed right after the bind"), 0);
      return;
    }
    connection = c;
    state = "bound";
    lastError = null;
    long interval = TimeUnit.SECONDS.toMillis(s.enquireLinkSeconds());
    enquireTimer = vertx.setPeriodic(interval, id -> enquireIfIdle(c, interval));
    LOG.info("SMPP sender {} bound to {}:{}", sender.name(), s.host(), s.port());
  }

  private void bindFailed(Throwable e, long backoffMs) {
    long next = Math.min(MAX_BACKOFF_MS, Math.max(500, backoffMs * 2));
    state = "disconnected";
    lastError = e.getMessage();
    reconnects++;
    LOG.debug(
        "SMPP sender {}: bind failed ({}); retry in {} ms", sender.name(), e.getMessage(), next);
    if (!closed) {
      retryTimer =
          vertx.setTimer(
              next,
              id -> {
                retryTimer = -1;
                connect(next);
              });
    }
  }

  private void lost(SmppConnection c) {
    if (connection != c) {
      return; // never bound, or replaced: its bind's failure already scheduled the retry
    }
    connection = null;
    vertx.cancelTimer(enquireTimer);
    if (!closed) {
      state = "disconnected";
      LOG.warn("SMPP sender {}: connection lost; reconnecting", sender.name());
      connect(1000);
    }
  }

  /** An enquire_link when nothing arrived for an interval; no answer in time drops the link. */
  private void enquireIfIdle(SmppConnection c, long intervalMs) {
    if (System.nanoTime() - c.lastRead() < TimeUnit.MILLISECONDS.toNanos(intervalMs)) {
      return;
    }
    c.request(COMPOSER::enquireLink, RESPONSE_TIMEOUT_MS)
        .onFailure(
            e -> {
              LOG.warn("SMPP sender {}: enquire_link failed ({})", sender.name(), e.getMessage());
              c.close();
            });
  }

  /** The SMSC's requests: deliver_sm to the receiver, enquire_link and unbind answered here. */
  private void onRequest(SmppConnection c, SmppConnection.Pdu pdu) {
    int seq = pdu.sequence();
    switch (pdu.commandId()) {
      case SMPPConstant.CID_DELIVER_SM -> receiver.deliver(sender.id(), c, pdu);
      case SMPPConstant.CID_ENQUIRE_LINK -> c.write(COMPOSER.enquireLinkResp(seq));
      case SMPPConstant.CID_UNBIND -> {
        c.write(COMPOSER.unbindResp(SMPPConstant.STAT_ESME_ROK, seq));
        c.close();
      }
      case SMPPConstant.CID_DATA_SM ->
          c.write(
              COMPOSER.composeHeader(
                  SMPPConstant.CID_DATA_SM_RESP, SMPPConstant.STAT_ESME_RINVCMDID, seq));
      case SMPPConstant.CID_ALERT_NOTIFICATION -> {
        // no response exists; nothing outstanding to retry on alerts
      }
      default -> c.write(COMPOSER.genericNack(SMPPConstant.STAT_ESME_RINVCMDID, seq));
    }
  }

  @Override
  public Future<SendOutcome> send(OutboundItem m) {
    SmppConnection current = connection;
    if (current == null || !current.isOpen()) {
      return Future.succeededFuture(
          SendOutcome.of(
              m.id(),
              SendOutcome.Kind.PAUSED,
              "not_connected",
              "SMPP sender is not bound" + (lastError == null ? "" : ": " + lastError)));
    }
    Encoding encoding;
    List<String> parts;
    try {
      encoding = Encoding.fromWire(m.encoding());
      parts = encoding.split(m.body());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    int ref = ThreadLocalRandom.current().nextInt(256);
    List<String> ids = new ArrayList<>(parts.size());
    // Parts go one after another, so a message holds one submit_sm of the window at a time.
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < parts.size(); i++) {
      int seq = i + 1;
      chain =
          chain
              .compose(v -> submit(current, m, encoding, parts, ref, seq).map(ids::add))
              .mapEmpty();
    }
    return chain
        .map(v -> SendOutcome.sent(m.id(), ids))
        .recover(e -> Future.succeededFuture(outcome(m, e)));
  }

  private Future<String> submit(
      SmppConnection c, OutboundItem m, Encoding encoding, List<String> parts, int ref, int seq) {
    byte[] text = encoding.encode(parts.get(seq - 1));
    byte[] payload = parts.size() == 1 ? text : withUdh(text, ref, parts.size(), seq);
    // service_type, not the bind's system_type: empty is the SMSC's default.
    String serviceType = s.serviceType() == null ? "" : s.serviceType();
    byte sourceTon = TypeOfNumber.valueOf((byte) s.sourceTon()).value();
    byte sourceNpi = NumberingPlanIndicator.valueOf((byte) s.sourceNpi()).value();
    byte destTon = TypeOfNumber.valueOf((byte) s.destTon()).value();
    byte destNpi = NumberingPlanIndicator.valueOf((byte) s.destNpi()).value();
    String to = m.to().startsWith("+") ? m.to().substring(1) : m.to();
    byte esmClass = new ESMClass(parts.size() == 1 ? 0 : 0x40).value();
    byte registered = new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE).value();
    byte dataCoding =
        new GeneralDataCoding(
                encoding == Encoding.UCS_2 ? Alphabet.ALPHA_UCS2 : Alphabet.ALPHA_DEFAULT)
            .toByte();
    return c.request(
            sequence ->
                COMPOSER.submitSm(
                    sequence,
                    serviceType,
                    sourceTon,
                    sourceNpi,
                    m.from(),
                    destTon,
                    destNpi,
                    to,
                    esmClass,
                    (byte) 0,
                    (byte) s.priorityFlag(),
                    null,
                    null,
                    registered,
                    (byte) 0,
                    dataCoding,
                    (byte) 0,
                    payload),
            RESPONSE_TIMEOUT_MS)
        .compose(SmppProvider::messageId);
  }

  /** The message id of a positive submit_sm_resp; a negative one (or generic_nack) fails. */
  private static Future<String> messageId(SmppConnection.Pdu resp) {
    if (resp.status() != SMPPConstant.STAT_ESME_ROK) {
      return Future.failedFuture(new NegativeResponseException(resp.status()));
    }
    if (resp.commandId() != SMPPConstant.CID_SUBMIT_SM_RESP) {
      return Future.failedFuture(
          new IOException("unexpected response 0x" + Integer.toHexString(resp.commandId())));
    }
    try {
      return Future.succeededFuture(DECOMPOSER.submitSmResp(resp.octets()).getMessageId());
    } catch (PDUStringException e) {
      return Future.failedFuture(e);
    }
  }

  private static SendOutcome outcome(OutboundItem m, Throwable e) {
    if (e instanceof NegativeResponseException refused) {
      int status = refused.getCommandStatus();
      // Throttling, queue full, system error: the SMSC may take it later. Anything else is final.
      boolean transientError = status == 0x58 || status == 0x14 || status == 0x08 || status == 0x45;
      return SendOutcome.of(
          m.id(),
          transientError ? SendOutcome.Kind.RETRY : SendOutcome.Kind.FAILED,
          String.format("smpp_0x%02X", status),
          "SMSC refused submit_sm: " + refused.getMessage());
    }
    if (e instanceof IOException) {
      return SendOutcome.of(m.id(), SendOutcome.Kind.RETRY, "smpp_io", e.getMessage());
    }
    return SendOutcome.of(
        m.id(), SendOutcome.Kind.RETRY, "smpp_error", String.valueOf(e.getMessage()));
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
        .put("reconnects", reconnects)
        .put("last_error", lastError)
        .put("window", s.window());
  }

  /** Unbinds (waiting at most 2 s for unbind_resp) and closes the connection. */
  @Override
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(retryTimer);
    vertx.cancelTimer(enquireTimer);
    SmppConnection current = connection;
    connection = null;
    Future<Void> unbound =
        current == null || !current.isOpen()
            ? Future.succeededFuture()
            : current
                .request(COMPOSER::unbind, UNBIND_WAIT_MS)
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture())
                .eventually(current::close);
    // The client's close completes on a context of its own: come back to the lane's.
    Promise<Void> done = Promise.promise();
    unbound.eventually(client::close).onComplete(ar -> context.runOnContext(v -> done.handle(ar)));
    return done.future();
  }
}
