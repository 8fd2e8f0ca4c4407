package herald.sim.smpp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BindType;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's front door: accepts TCP connections, wraps each in a jsmpp {@link
 * SMPPServerSession} whose submit_sm_resp are delayed ({@link DelayedSubmitResponses}), waits for
 * the bind and checks it: the SMPP 3.4 field limits (system_id up to 15 characters, password up to
 * 8, system_type up to 12, each printable ASCII; else ESME_RINVSYSID, ESME_RINVPASWD,
 * ESME_RINVSYSTYP), system_id (else ESME_RINVSYSID), password (else ESME_RINVPASWD, compared in
 * constant time and never logged), then a free slot under {@code maxBinds} (else ESME_RBINDFAIL).
 *
 * <p>Not jsmpp's {@code SMPPServerSessionListener}: that class builds sessions with its own PDU
 * writer, which rules out delaying responses without blocking, binds every interface, and reports
 * the requested port (0) rather than the one bound. Each connection waits for its bind on a thread
 * of {@code binds}, then lives on jsmpp's own threads. Thread-safe.
 */
final class BindGate {
  private static final Logger log = LoggerFactory.getLogger(BindGate.class);
  private static final String SMSC_SYSTEM_ID = "herald-sim";
  private static final int BIND_TIMEOUT_MS = 5_000;
  private static final long REFUSED_LINGER_MS = 1_000;
  private static final int ENQUIRE_LINK_MS = 30_000;
  private static final long DELIVER_SM_TIMEOUT_MS = 5_000;
  private static final int PDU_PROCESSORS = 4;
  private static final int PDU_QUEUE = 1_000;
  // C-Octet String sizes of SMPP 3.4 section 4.1, less the NUL.
  private static final int MAX_SYSTEM_ID = 15;
  private static final int MAX_PASSWORD = 8;
  private static final int MAX_SYSTEM_TYPE = 12;

  private final SmscConfig config;
  private final SessionRegistry sessions;
  private final SubmitHandler handler;
  private final DeliveryReceipts receipts;
  private final Outbox outbox;
  private final Counters counters;
  private final ScheduledExecutorService timer;
  private final ExecutorService binds;

  BindGate(
      SmscConfig config,
      SessionRegistry sessions,
      SubmitHandler handler,
      DeliveryReceipts receipts,
      Outbox outbox,
      Counters counters,
      ScheduledExecutorService timer,
      ExecutorService binds) {
    this.config = config;
    this.sessions = sessions;
    this.handler = handler;
    this.receipts = receipts;
    this.outbox = outbox;
    this.counters = counters;
    this.timer = timer;
    this.binds = binds;
  }

  /**
   * Listens on the configured host and {@code port} and accepts on a new daemon thread until the
   * returned socket is closed.
   *
   * @throws IOException if the address cannot be bound
   */
  ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      // Connections this side closed linger in TIME_WAIT on the port; resume() must still bind.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(config.host(), port), 64);
    } catch (IOException e) {
      closeQuietly(socket);
      throw e;
    }
    Thread acceptor = new Thread(() -> acceptLoop(socket), "smsc-accept-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    return socket;
  }

  private void acceptLoop(ServerSocket socket) {
    while (true) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.warn("SMSC simulator stopped accepting on {}", socket, e);
        }
        return;
      }
      try {
        binds.execute(() -> serve(connection));
      } catch (RejectedExecutionException e) {
        closeQuietly(connection);
      }
    }
  }

  // Runs on a bind thread: waits for the bind request, then leaves the session to jsmpp's threads.
  private void serve(Socket socket) {
    SMPPServerSession session;
    try {
      SocketConnection connection = new SocketConnection(socket);
      connection.setSoTimeout(BIND_TIMEOUT_MS);
      DelayedSubmitResponses writer =
          new DelayedSubmitResponses(timer, config.submitLatency().toNanos(), receipts::responded);
      session =
          new SMPPServerSession(
              connection,
              this::onStateChange,
              handler,
              null,
              PDU_PROCESSORS,
              PDU_QUEUE,
              writer,
              new DefaultPDUReader());
    } catch (IOException e) {
      closeQuietly(socket);
      return;
    }
    if (!sessions.opened(session)) {
      session.close();
      return;
    }
    String peer = String.valueOf(socket.getRemoteSocketAddress());
    try {
      BindRequest bind = session.waitForBind(BIND_TIMEOUT_MS);
      int status = authorize(bind, session);
      if (status != SMPPConstant.STAT_ESME_ROK) {
        log.info(
            "Refused {} from {} as system_id '{}': status 0x{}",
            bind.getBindType(),
            peer,
            bind.getSystemId(),
            Integer.toHexString(status));
        bind.reject(status);
        // The ESME closes on a refused bind; closing first races jsmpp's client, which can then
        // drop the bind_resp it has already read. Close only if the ESME lingers.
        closeLater(session);
        return;
      }
      bind.accept(SMSC_SYSTEM_ID);
      session.setEnquireLinkTimer(ENQUIRE_LINK_MS);
      session.setTransactionTimer(DELIVER_SM_TIMEOUT_MS);
      sessions.ready(session);
      counters.binds.increment();
      log.info(
          "Bound {} session {} as system_id '{}' from {}",
          bind.getBindType(),
          session.getSessionId(),
          bind.getSystemId(),
          peer);
      outbox.flush();
    } catch (Exception e) {
      // Bind timeout, a closed socket, or a pause while binding.
      log.debug("No bind completed from {}: {}", peer, e.toString());
      session.close();
    }
  }

  private void closeLater(SMPPServerSession session) {
    try {
      timer.schedule(session::close, REFUSED_LINGER_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      session.close();
    }
  }

  private int authorize(BindRequest bind, SMPPServerSession session) {
    if (!SubmitRules.cOctetString(bind.getSystemId(), MAX_SYSTEM_ID)) {
      return SMPPConstant.STAT_ESME_RINVSYSID;
    }
    if (!SubmitRules.cOctetString(bind.getPassword(), MAX_PASSWORD)) {
      return SMPPConstant.STAT_ESME_RINVPASWD;
    }
    if (!SubmitRules.cOctetString(bind.getSystemType(), MAX_SYSTEM_TYPE)) {
      return SMPPConstant.STAT_ESME_RINVSYSTYP;
    }
    if (!config.systemId().equals(bind.getSystemId())) {
      return SMPPConstant.STAT_ESME_RINVSYSID;
    }
    String password = bind.getPassword() == null ? "" : bind.getPassword();
    if (!MessageDigest.isEqual(
        config.password().getBytes(StandardCharsets.US_ASCII),
        password.getBytes(StandardCharsets.US_ASCII))) {
      return SMPPConstant.STAT_ESME_RINVPASWD;
    }
    return sessions.reserve(session, bind.getBindType(), config.maxBinds());
  }

  private void onStateChange(SessionState newState, SessionState oldState, Session session) {
    if (newState == SessionState.UNBOUND || newState == SessionState.CLOSED) {
      BindType was = sessions.release(session);
      if (was != null) {
        log.info(
            "Session {} ({}) {}",
            session.getSessionId(),
            was,
            newState.name().toLowerCase(Locale.ROOT));
      }
    }
  }

  static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("Close failed: {}", e.toString());
    }
  }
}
