package herald.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;
import org.jsmpp.util.MessageId;

/**
 * A bare SMSC for {@code bench/vs-kannel.sh} (not a test), written apart from Herald's simulator so
 * that Kannel and Herald are measured against the same independent peer. It listens on 127.0.0.1,
 * accepts every bind (transmitter, transceiver or receiver) with any credentials, answers every
 * submit_sm at once with a new message id, and sends nothing of its own: no receipts, no MO.
 *
 * <p>{@code java herald.bench.SmppSink SMPP_PORT HTTP_PORT} serves, on 127.0.0.1:HTTP_PORT, {@code
 * GET /stats} as {@code {"submits": n, "first_submit_ms": t0, "last_submit_ms": t1, "binds": b}}
 * (epoch milliseconds, 0 before the first submit) and {@code POST /reset}, which zeroes the submit
 * count and both times between phases.
 */
public final class SmppSink implements ServerMessageReceiverListener {
  private final AtomicLong submits = new AtomicLong();
  private final AtomicLong firstMs = new AtomicLong();
  private final AtomicLong lastMs = new AtomicLong();
  private final AtomicLong binds = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  public static void main(String[] args) throws IOException {
    int smppPort = Integer.parseInt(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    SmppSink sink = new SmppSink();
    sink.serveStats(httpPort);
    sink.acceptSessions(smppPort);
  }

  private void serveStats(int port) throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    http.createContext(
        "/stats",
        exchange ->
            reply(
                exchange,
                String.format(
                    "{\"submits\":%d,\"first_submit_ms\":%d,\"last_submit_ms\":%d,\"binds\":%d}",
                    submits.get(), firstMs.get(), lastMs.get(), binds.get())));
    http.createContext(
        "/reset",
        exchange -> {
          submits.set(0);
          firstMs.set(0);
          lastMs.set(0);
          reply(exchange, "{}");
        });
    http.start();
  }

  private static void reply(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** Accepts connections forever, each bound on a thread of its own. */
  private void acceptSessions(int port) throws IOException {
    SMPPServerSessionListener listener =
        new SMPPServerSessionListener(port, 0, 50, new LoopbackOnly());
    // Room for a client's whole window (Kannel's max-pending-submits, Herald's window) and more.
    listener.setQueueCapacity(1000);
    listener.setMessageReceiverListener(this);
    while (true) {
      SMPPServerSession session = listener.accept();
      Thread binder = new Thread(() -> bind(session), "bind");
      binder.setDaemon(true);
      binder.start();
    }
  }

  private void bind(SMPPServerSession session) {
    try {
      BindRequest request = session.waitForBind(10_000);
      request.accept("sink", request.getInterfaceVersion());
      binds.incrementAndGet();
    } catch (Exception e) {
      System.err.println("bind failed: " + e);
      session.unbindAndClose();
    }
  }

  @Override
  public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession session)
      throws ProcessRequestException {
    long now = System.currentTimeMillis();
    firstMs.compareAndSet(0, now);
    lastMs.accumulateAndGet(now, Math::max);
    submits.incrementAndGet();
    try {
      return new SubmitSmResult(
          new MessageId(Long.toHexString(ids.incrementAndGet())), new OptionalParameter[0]);
    } catch (PDUStringException e) {
      throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RSYSERR);
    }
  }

  private static ProcessRequestException unsupported() {
    return new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
  }

  @Override
  public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public void onAcceptCancelBroadcastSm(
      CancelBroadcastSm cancelBroadcastSm, SMPPServerSession session)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public QueryBroadcastSmResult onAcceptQueryBroadcastSm(
      QueryBroadcastSm queryBroadcastSm, SMPPServerSession session) throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public DataSmResult onAcceptDataSm(DataSm dataSm, Session session)
      throws ProcessRequestException {
    throw unsupported();
  }

  /** jsmpp's plain socket listener, bound to 127.0.0.1 instead of every interface. */
  private static final class LoopbackOnly implements ServerConnectionFactory {
    @Override
    public ServerConnection listen(int port) throws IOException {
      return listen(port, 0, 50);
    }

    @Override
    public ServerConnection listen(int port, int timeout) throws IOException {
      return listen(port, timeout, 50);
    }

    @Override
    public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
      ServerSocket socket = new ServerSocket(port, backlog, InetAddress.getLoopbackAddress());
      socket.setSoTimeout(timeout);
      return new ServerSocketConnection(socket);
    }
  }
}
