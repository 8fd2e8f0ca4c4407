package herald.channel.sms.smpp;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Command;
import org.jsmpp.util.DefaultDecomposer;
import org.jsmpp.util.PDUDecomposer;

/**
 * One SMPP 3.4 TCP connection on one Vert.x context: frames PDUs (4-octet big-endian
 * command_length) with a {@link RecordParser}, numbers requests, and matches each response (or
 * generic_nack) to its request by sequence number, failing a request whose response does not come
 * in time. PDUs are encoded and decoded by jsmpp's composer and decomposer; this class only moves
 * their octets. Requests from the peer go to the request handler, which answers them through {@link
 * #write}. Not thread-safe: every method runs on the socket's context.
 *
 * <p>PDUs written during one task of the context (a window of submit_sm, the deliver_sm_resp of the
 * receipts one commit stored) leave in one socket write and flush, queued behind the task; and one
 * sweep every {@link #SWEEP_MS} ms fails the requests past their deadline, so a PDU costs neither a
 * flush nor a timer of its own.
 */
final class SmppConnection {
  /** A PDU as it came off the wire: its decoded header and all its octets. */
  record Pdu(Command header, byte[] octets) {
    int commandId() {
      return header.getCommandId();
    }

    int status() {
      return header.getCommandStatus();
    }

    int sequence() {
      return header.getSequenceNumber();
    }
  }

  /** Encodes a request with the sequence number given to it. */
  @FunctionalInterface
  interface Composer {
    byte[] compose(int sequence) throws PDUException;
  }

  /** A request whose response did not come within its timeout. */
  static final class ResponseTimeout extends IOException {
    ResponseTimeout(String message) {
      super(message);
    }
  }

  private static final PDUDecomposer DECOMPOSER = new DefaultDecomposer();
  private static final int MIN_LENGTH = SMPPConstant.PDU_HEADER_LENGTH;
  // SMPP 3.4 PDUs are small (a submit_sm with a full message_payload stays well under this).
  private static final int MAX_LENGTH = 70_000;

  /** How often requests past their deadline are failed: the timeouts' granularity. */
  static final long SWEEP_MS = 200;

  /** A request waiting for its response; a timeout fails it on the context that sent it. */
  private record Pending(
      Promise<Pdu> promise, long deadline, String what, long timeoutMs, Context context) {}

  private final Vertx vertx;
  private final NetSocket socket;
  private final Map<Integer, Pending> pending = new HashMap<>();
  private final RecordParser parser;
  private Handler<Pdu> requests = pdu -> {};
  private Handler<Void> closed = v -> {};
  private int sequence;
  private int length = -1;
  private boolean open = true;
  private long lastRead = System.nanoTime();
  private long sweeper = -1;
  private Buffer unsent;

  SmppConnection(Vertx vertx, NetSocket socket) {
    this.vertx = vertx;
    this.socket = socket;
    this.parser = RecordParser.newFixed(4, this::frame);
    socket.handler(parser);
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(e -> socket.close());
  }

  /** Where requests from the peer (deliver_sm, enquire_link, unbind, unknown ones) go. */
  SmppConnection requests(Handler<Pdu> handler) {
    this.requests = handler;
    return this;
  }

  /** Called once when the connection closes, whoever closed it, after pending requests failed. */
  SmppConnection closed(Handler<Void> handler) {
    this.closed = handler;
    return this;
  }

  boolean isOpen() {
    return open;
  }

  /** Nanoseconds (of {@link System#nanoTime}) when the last PDU arrived. */
  long lastRead() {
    return lastRead;
  }

  /**
   * Sends a request with the next sequence number; completes with its response (which may carry an
   * error command_status, or be a generic_nack), or fails with {@link ResponseTimeout} after {@code
   * timeoutMs}, with an {@link IOException} when the connection closes first, or with the
   * composer's {@link PDUException} (nothing is sent then).
   */
  Future<Pdu> request(Composer composer, long timeoutMs) {
    if (!open) {
      return Future.failedFuture(new IOException("SMPP connection is closed"));
    }
    int seq = nextSequence();
    byte[] octets;
    try {
      octets = composer.compose(seq);
    } catch (PDUException e) {
      return Future.failedFuture(e);
    }
    String what = name(java.nio.ByteBuffer.wrap(octets).getInt(4));
    if (sweeper < 0) {
      // Started by the first request, on the context that sends: timeouts fail there.
      sweeper = vertx.setPeriodic(SWEEP_MS, id -> failOverdue());
    }
    Promise<Pdu> promise = Promise.promise();
    pending.put(
        seq,
        new Pending(
            promise,
            System.nanoTime() + timeoutMs * 1_000_000,
            what,
            timeoutMs,
            Vertx.currentContext()));
    send(octets);
    return promise.future();
  }

  /** Writes a PDU (a response to the peer's request). */
  void write(byte[] octets) {
    if (open) {
      send(octets);
    }
  }

  /** Queues octets for the write that ends this task of the calling context. */
  private void send(byte[] octets) {
    Context context = Vertx.currentContext();
    if (context == null) {
      socket.write(Buffer.buffer(octets)); // not on a context (never in Herald): at once
      return;
    }
    if (unsent == null) {
      unsent = Buffer.buffer(Math.max(256, octets.length * 4));
      context.runOnContext(v -> flush());
    }
    unsent.appendBytes(octets);
  }

  private void flush() {
    Buffer out = unsent;
    unsent = null;
    if (open && out != null) {
      socket.write(out);
    }
  }

  /** Fails the requests whose response is overdue. */
  private void failOverdue() {
    if (pending.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<Integer> overdue = new ArrayList<>();
    pending.forEach(
        (seq, p) -> {
          if (now - p.deadline() >= 0) {
            overdue.add(seq);
          }
        });
    for (Integer seq : overdue) {
      Pending gone = pending.remove(seq);
      ResponseTimeout timeout =
          new ResponseTimeout(
              "no response to " + gone.what() + " within " + gone.timeoutMs() + " ms");
      if (gone.context() == null || gone.context() == Vertx.currentContext()) {
        gone.promise().tryFail(timeout);
      } else {
        gone.context().runOnContext(v -> gone.promise().tryFail(timeout));
      }
    }
  }

  /** How many requests wait for their response. */
  int outstanding() {
    return pending.size();
  }

  Future<Void> close() {
    return socket.close();
  }

  private int nextSequence() {
    // 0x00000001 to 0x7FFFFFFF, then around again.
    sequence = sequence == Integer.MAX_VALUE ? 1 : sequence + 1;
    return sequence;
  }

  private void frame(Buffer record) {
    if (length < 0) {
      length = record.getInt(0);
      if (length < MIN_LENGTH || length > MAX_LENGTH) {
        // A framing error cannot be answered reliably (SMPP 3.4 2.3): drop the connection.
        socket.close();
        return;
      }
      parser.fixedSizeMode(length - 4);
      return;
    }
    byte[] octets = Buffer.buffer(length).appendInt(length).appendBuffer(record).getBytes();
    length = -1;
    parser.fixedSizeMode(4);
    lastRead = System.nanoTime();
    Pdu pdu = new Pdu(DECOMPOSER.header(octets), octets);
    boolean response =
        (pdu.commandId() & SMPPConstant.MASK_CID_RESP) != 0
            || pdu.commandId() == SMPPConstant.CID_GENERIC_NACK;
    if (!response) {
      requests.handle(pdu);
      return;
    }
    Pending waiting = pending.remove(pdu.sequence());
    if (waiting != null) {
      waiting.promise.complete(pdu);
    }
    // A response to nothing outstanding (it came after its timeout) is dropped.
  }

  private void onClose() {
    open = false;
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    unsent = null;
    List<Pending> failed = new ArrayList<>(pending.values());
    pending.clear();
    IOException gone = new IOException("SMPP connection closed");
    for (Pending p : failed) {
      p.promise.tryFail(gone);
    }
    closed.handle(null);
  }

  private static String name(int commandId) {
    return switch (commandId) {
      case SMPPConstant.CID_SUBMIT_SM -> "submit_sm";
      case SMPPConstant.CID_BIND_TRANSCEIVER -> "bind_transceiver";
      case SMPPConstant.CID_ENQUIRE_LINK -> "enquire_link";
      case SMPPConstant.CID_UNBIND -> "unbind";
      default -> String.format("command 0x%08X", commandId);
    };
  }
}
