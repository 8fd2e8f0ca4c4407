package herald.sim.smpp;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jsmpp.session.SMPPServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMPP 3.4 SMSC on a loopback port, built on jsmpp's server sessions, for Herald's SMS channel
 * to talk to in tests and in a provider-less default run. It is strict like a real SMSC: one set of
 * credentials, a bind limit, submit_sm checked field by field ({@link SubmitRules}), delivery
 * receipts stored until a receiver takes them ({@link Outbox}); and configurable in latency,
 * transient rejections, receipt delay and delivery failures ({@link SmscConfig}).
 *
 * <p>Threading: every public method is thread-safe and none waits for an ESME. Each connection has
 * jsmpp's reader thread and a few PDU-processing threads; the simulator adds an acceptor thread, a
 * two-thread timer (delayed submit_sm_resp, receipts, retries), a pool that waits for bind requests
 * and a pool that sends deliver_sm. All are daemon threads; {@link #close()} stops them.
 */
public final class SmscSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmscSimulator.class);
  private static final int DELIVER_SM_SENDERS = 128;

  private final SmscConfig config;
  private final Counters counters = new Counters();
  private final SessionRegistry sessions = new SessionRegistry();

  /** The newest {@value #KEPT_SUBMITS} accepted submits, oldest first; guarded by itself. */
  private final ArrayDeque<Submitted> submitted = new ArrayDeque<>();

  private static final int KEPT_SUBMITS = 10_000;
  private volatile Consumer<Submitted> onSubmit = s -> {};
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService binds;
  private final ExecutorService senders;
  private final Outbox outbox;
  private final BindGate gate;
  private final AtomicInteger moRef = new AtomicInteger();
  private final Object lifecycle = new Object();
  private ServerSocket listener; // guarded by lifecycle; null while paused
  private boolean closed; // guarded by lifecycle
  private volatile int port;

  private SmscSimulator(SmscConfig config) {
    this.config = config;
    timer = new ScheduledThreadPoolExecutor(2, daemons("smsc-timer"));
    timer.setRemoveOnCancelPolicy(true);
    binds = Executors.newCachedThreadPool(daemons("smsc-bind"));
    senders = Executors.newFixedThreadPool(DELIVER_SM_SENDERS, daemons("smsc-deliver"));
    outbox = new Outbox(sessions, senders, counters);
    DeliveryReceipts receipts = new DeliveryReceipts(timer, config, outbox, Clock.systemUTC());
    SubmitHandler handler =
        new SubmitHandler(config.rejectRate(), receipts, this::record, counters, Clock.systemUTC());
    gate = new BindGate(config, sessions, handler, receipts, outbox, counters, timer, binds);
    timer.scheduleWithFixedDelay(outbox::flush, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts a simulator and returns once it is listening.
   *
   * @throws IOException if the host and port cannot be bound
   */
  public static SmscSimulator start(SmscConfig config) throws IOException {
    SmscSimulator simulator = new SmscSimulator(Objects.requireNonNull(config, "config"));
    try {
      synchronized (simulator.lifecycle) {
        simulator.listen(config.port());
      }
    } catch (IOException e) {
      simulator.close();
      throw e;
    }
    return simulator;
  }

  /** The port listened on, the actual one when the configuration asked for 0. */
  public int port() {
    return port;
  }

  /**
   * Simulates an outage: closes the listening socket and every connection, bound or not, without
   * unbinding, so connections are refused until {@link #resume()}. Submits already accepted keep
   * their receipts, which wait for the next bind. Does nothing if already paused.
   */
  public void pause() {
    ServerSocket socket;
    List<SMPPServerSession> dropped;
    synchronized (lifecycle) {
      socket = listener;
      listener = null;
      dropped = sessions.stopAccepting();
    }
    if (socket != null) {
      BindGate.closeQuietly(socket);
      log.info("SMSC simulator on port {} paused, dropping {} sessions", port, dropped.size());
    }
    dropped.forEach(SMPPServerSession::close);
  }

  /**
   * Ends a {@link #pause()}: listens again on the same port. Does nothing if not paused.
   *
   * @throws IOException if the port cannot be bound again
   * @throws IllegalStateException after {@link #close()}
   */
  public void resume() throws IOException {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("SMSC simulator is closed");
      }
      if (listener == null) {
        sessions.startAccepting();
        listen(port);
      }
    }
  }

  /**
   * Sends a mobile-originated text to the ESME, as a deliver_sm (esm_class 0, or 0x40 with a
   * concatenation UDH for each part of a long text): GSM 7-bit (data_coding 0x00) when every
   * character is in the GSM alphabet, UCS-2 (0x08) otherwise. Returns without waiting: the message
   * is stored and retried like a receipt until an ESME acknowledges it.
   *
   * @throws IllegalStateException if no receiver or transceiver session is bound
   * @throws IllegalArgumentException if an address is empty or too long, or the text too long
   */
  public void sendMo(String from, String to, String text) {
    Objects.requireNonNull(text, "text");
    List<OutboundSm> parts = MoMessages.parts(from, to, text, moRef.incrementAndGet());
    if (sessions.pickReceiver() == null) {
      throw new IllegalStateException("no receiver or transceiver session is bound");
    }
    parts.forEach(outbox::send);
  }

  /**
   * A snapshot of the accepted submit_sm, in the order they were accepted: the newest {@value
   * #KEPT_SUBMITS}, so a long run does not grow the heap.
   */
  public List<Submitted> submitted() {
    synchronized (submitted) {
      return List.copyOf(submitted);
    }
  }

  /** Sessions bound right now, of any bind type. */
  public int boundSessions() {
    return sessions.boundCount();
  }

  /** A snapshot of the counters since start. */
  public Stats stats() {
    return new Stats(
        counters.binds.sum(),
        counters.submitsAccepted.sum(),
        counters.submitsRejected.sum(),
        counters.receiptsSent.sum(),
        counters.moSent.sum(),
        counters.enquireLinks.sum(),
        outbox.undelivered());
  }

  /** Drops every session and stops all threads; pending receipts are lost. Idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    pause();
    timer.shutdownNow();
    binds.shutdownNow();
    senders.shutdownNow();
    log.info("SMSC simulator on port {} closed", port);
  }

  private void listen(int onPort) throws IOException {
    listener = gate.listen(onPort);
    port = listener.getLocalPort();
    log.info("SMSC simulator listening on {}:{}", config.host(), port);
  }

  private void record(Submitted accepted) {
    synchronized (submitted) {
      if (submitted.size() == KEPT_SUBMITS) {
        submitted.removeFirst();
      }
      submitted.add(accepted);
    }
    onSubmit.accept(accepted);
  }

  /**
   * Calls {@code listener} with every submit_sm accepted from now on, on the simulator's threads
   * (it must be quick and thread-safe); replaces any earlier listener.
   */
  public void onSubmit(Consumer<Submitted> listener) {
    onSubmit = Objects.requireNonNull(listener, "listener");
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * One accepted submit_sm. {@code shortMessage} is the array as received (UDH included); do not
   * modify it.
   *
   * @param messageId the message_id returned in submit_sm_resp (16 hex digits)
   * @param source source_addr, possibly empty
   * @param destination destination_addr
   * @param serviceType service_type, empty for the SMSC default
   * @param dataCoding data_coding
   * @param esmClass esm_class; 0x40 set means {@code shortMessage} starts with a UDH
   * @param priorityFlag priority_flag, 0 (lowest) to 3
   * @param shortMessage short_message octets
   * @param concatRef concatenation reference from the UDH (IEI 0x00 or 0x08), or null
   * @param concatTotal number of parts, or null
   * @param concatSeq this part's number from 1, or null
   * @param at when it was accepted
   */
  public record Submitted(
      String messageId,
      String source,
      String destination,
      String serviceType,
      byte dataCoding,
      byte esmClass,
      byte priorityFlag,
      byte[] shortMessage,
      Integer concatRef,
      Integer concatTotal,
      Integer concatSeq,
      Instant at) {}

  /**
   * Counters since start.
   *
   * @param binds binds accepted
   * @param submitsAccepted submit_sm answered with ESME_ROK
   * @param submitsRejected submit_sm answered with an error by the simulator's checks or {@code
   *     rejectRate}
   * @param receiptsSent delivery receipts acknowledged by an ESME
   * @param moSent mobile-originated deliver_sm (parts) acknowledged by an ESME
   * @param enquireLinks enquire_link requests received
   * @param deliverSmPending receipts and MO parts taken in but not yet acknowledged
   */
  public record Stats(
      long binds,
      long submitsAccepted,
      long submitsRejected,
      long receiptsSent,
      long moSent,
      long enquireLinks,
      int deliverSmPending) {}
}
