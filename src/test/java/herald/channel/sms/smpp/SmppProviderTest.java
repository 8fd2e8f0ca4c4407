package herald.channel.sms.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import herald.channel.ChannelSender;
import herald.channel.InboundSink;
import herald.channel.InboundText;
import herald.channel.OutboundItem;
import herald.channel.Receipt;
import herald.channel.SendOutcome;
import herald.channel.SendOutcome.Kind;
import herald.channel.StatusUpdate;
import herald.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Bind;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.util.DefaultComposer;
import org.jsmpp.util.DefaultDecomposer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives {@link SmppProvider} against a scripted SMSC on a raw socket, which reads and answers each
 * PDU as the test says: what the provider does with a response that never comes, with the SMSC's
 * own requests, and when it answers a deliver_sm (only after the sink committed it).
 */
@ExtendWith(VertxExtension.class)
class SmppProviderTest {
  private static final DefaultComposer PDU = new DefaultComposer();
  private static final DefaultDecomposer READ = new DefaultDecomposer();
  private static final Duration QUIET = Duration.ofMillis(700);

  private Vertx vertx;
  private Context context;
  private ScriptedSmsc smsc;
  private GatedSink sink;
  private SmppProvider provider;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.smsc = new ScriptedSmsc();
    this.sink = new GatedSink();
    ChannelSender sender =
        new ChannelSender(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "smpp-test",
            "sms",
            "smpp",
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", smsc.port())
                .put("system_id", "herald")
                .put("system_type", "VMA")
                .put("source_addr", "12345")
                .put("window", 10),
            new JsonObject().put("password", "secret"));
    SmppType type = new SmppType();
    provider =
        new SmppProvider(sender, type.settings(sender), context, new SmppReceiver(sink, context));
    onContext(provider::start);
    smsc.accept();
    Pdu bind = smsc.read();
    assertThat(bind.header.getCommandId()).isEqualTo(SMPPConstant.CID_BIND_TRANSCEIVER);
    Bind fields = READ.bind(bind.octets);
    assertThat(fields.getSystemId()).isEqualTo("herald");
    assertThat(fields.getPassword()).isEqualTo("secret");
    assertThat(fields.getSystemType()).isEqualTo("VMA");
    assertThat(fields.getInterfaceVersion()).isEqualTo((byte) 0x34);
    smsc.write(PDU.bindResp(SMPPConstant.CID_BIND_TRANSCEIVER_RESP, bind.sequence(), "smsc"));
    Await.until(
        "the provider to bind",
        Duration.ofSeconds(5),
        provider::status,
        s -> "bound".equals(s.getString("connection")));
  }

  @AfterEach
  void stop() throws Exception {
    Future<Void> closed = onContextAsync(provider::close);
    // The provider unbinds on close; answer it if the connection is still up.
    try {
      Pdu unbind = smsc.read();
      if (unbind.header.getCommandId() == SMPPConstant.CID_UNBIND) {
        smsc.write(PDU.unbindResp(SMPPConstant.STAT_ESME_ROK, unbind.sequence()));
      }
    } catch (IOException e) {
      // already gone
    }
    closed.await(10, TimeUnit.SECONDS);
    smsc.close();
  }

  @Test
  void aSubmitWhoseResponseNeverComesTimesOutAloneAndTheNextSendGoesOut() throws Exception {
    Future<SendOutcome> lost = onContextAsync(() -> provider.send(sms("+14155550101")));
    Future<SendOutcome> answered = onContextAsync(() -> provider.send(sms("+14155550102")));
    Pdu first = smsc.read();
    Pdu second = smsc.read();
    assertThat(READ.submitSm(first.octets).getDestAddress()).isEqualTo("14155550101");
    SubmitSm submit = READ.submitSm(second.octets);
    assertThat(submit.getDestAddress()).isEqualTo("14155550102");
    assertThat(submit.getRegisteredDelivery()).isEqualTo((byte) 0x01);
    smsc.write(PDU.submitSmResp(second.sequence(), "id-2"));

    assertThat(answered.await(5, TimeUnit.SECONDS).providerIds()).containsExactly("id-2");
    SendOutcome timedOut = lost.await(15, TimeUnit.SECONDS);
    assertThat(timedOut.kind()).isEqualTo(Kind.RETRY);
    assertThat(timedOut.errorCode()).isEqualTo("smpp_io");
    assertThat(timedOut.errorMessage()).contains("no response to submit_sm");
    // Its late response is ignored, the bind stays up, and the next send goes out at once.
    smsc.write(PDU.submitSmResp(first.sequence(), "id-1-late"));
    assertThat(provider.status().getString("connection")).isEqualTo("bound");
    Future<SendOutcome> next = onContextAsync(() -> provider.send(sms("+14155550103")));
    Pdu third = smsc.read();
    smsc.write(PDU.submitSmResp(third.sequence(), "id-3"));
    assertThat(next.await(5, TimeUnit.SECONDS).providerIds()).containsExactly("id-3");
  }

  @Test
  void negativeResponsesMapToRetryForThrottlingAndFailedForABadAddress() throws Exception {
    Future<SendOutcome> throttled = onContextAsync(() -> provider.send(sms("+14155550111")));
    smsc.write(
        PDU.composeHeader(
            SMPPConstant.CID_SUBMIT_SM_RESP,
            SMPPConstant.STAT_ESME_RTHROTTLED,
            smsc.read().sequence()));
    Future<SendOutcome> refused = onContextAsync(() -> provider.send(sms("+14155550112")));
    smsc.write(
        PDU.composeHeader(
            SMPPConstant.CID_SUBMIT_SM_RESP,
            SMPPConstant.STAT_ESME_RINVDSTADR,
            smsc.read().sequence()));

    SendOutcome retry = throttled.await(5, TimeUnit.SECONDS);
    assertThat(retry.kind()).isEqualTo(Kind.RETRY);
    assertThat(retry.errorCode()).isEqualTo("smpp_0x58");
    SendOutcome failed = refused.await(5, TimeUnit.SECONDS);
    assertThat(failed.kind()).isEqualTo(Kind.FAILED);
    assertThat(failed.errorCode()).isEqualTo("smpp_0x0B");
  }

  @Test
  void theSmscsEnquireLinkIsAnsweredAndAnUnknownCommandGetsGenericNack() throws Exception {
    smsc.write(PDU.enquireLink(77));
    Pdu resp = smsc.read();
    assertThat(resp.header.getCommandId()).isEqualTo(SMPPConstant.CID_ENQUIRE_LINK_RESP);
    assertThat(resp.sequence()).isEqualTo(77);

    smsc.write(PDU.composeHeader(0x00000999, 0, 78));
    Pdu nack = smsc.read();
    assertThat(nack.header.getCommandId()).isEqualTo(SMPPConstant.CID_GENERIC_NACK);
    assertThat(nack.header.getCommandStatus()).isEqualTo(SMPPConstant.STAT_ESME_RINVCMDID);
    assertThat(nack.sequence()).isEqualTo(78);
  }

  @Test
  void deliverSmIsAnsweredOnlyAfterItsReceiptIsCommitted() throws Exception {
    String receipt =
        "id:msg-42 sub:001 dlvrd:001 submit date:2612070400 done date:2612070401"
            + " stat:DELIVRD err:000 text:hello";
    smsc.write(deliverSm(90, (byte) 0x04, receipt));
    Stored stored = sink.next();
    assertThat(stored.receipt().providerId()).isEqualTo("msg-42");
    assertThat(stored.receipt().delivered()).isTrue();
    smsc.expectNothing(QUIET);

    stored.done().complete(null);
    Pdu resp = smsc.read();
    assertThat(resp.header.getCommandId()).isEqualTo(SMPPConstant.CID_DELIVER_SM_RESP);
    assertThat(resp.sequence()).isEqualTo(90);
    assertThat(resp.header.getCommandStatus()).isEqualTo(SMPPConstant.STAT_ESME_ROK);
  }

  @Test
  void deliverSmWhoseMessageIsNotStoredIsAnsweredWithSystemErrorSoTheSmscRetries()
      throws Exception {
    smsc.write(deliverSm(91, (byte) 0x00, "STOP"));
    Stored stored = sink.next();
    assertThat(stored.inbound().text()).isEqualTo("STOP");
    assertThat(stored.inbound().from()).isEqualTo("+14155550199");
    smsc.expectNothing(QUIET);

    stored.done().completeExceptionally(new IllegalStateException("database down"));
    Pdu resp = smsc.read();
    assertThat(resp.header.getCommandId()).isEqualTo(SMPPConstant.CID_DELIVER_SM_RESP);
    assertThat(resp.sequence()).isEqualTo(91);
    assertThat(resp.header.getCommandStatus()).isEqualTo(SMPPConstant.STAT_ESME_RSYSERR);
  }

  private static byte[] deliverSm(int sequence, byte esmClass, String text) throws Exception {
    return PDU.deliverSm(
        sequence,
        "",
        (byte) 1,
        (byte) 1,
        "14155550199",
        (byte) 1,
        (byte) 1,
        "12345",
        esmClass,
        (byte) 0,
        (byte) 0,
        (byte) 0,
        (byte) 0,
        text.getBytes(StandardCharsets.US_ASCII));
  }

  private static OutboundItem sms(String to) {
    return new OutboundItem(UUID.randomUUID(), UUID.randomUUID(), to, "12345", "hi", "gsm7", 1);
  }

  /** Runs {@code work} on the provider's context and waits for it; it must complete there. */
  private <T> T onContext(Supplier<Future<T>> work) throws Exception {
    return onContextAsync(work).await(15, TimeUnit.SECONDS);
  }

  private <T> Future<T> onContextAsync(Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(
        v ->
            work.get()
                .onComplete(
                    ar -> {
                      if (Vertx.currentContext() != context) {
                        done.fail(new AssertionError("completed off the provider's context"));
                      } else {
                        done.handle(ar);
                      }
                    }));
    return done.future();
  }

  private record Pdu(Command header, byte[] octets) {
    int sequence() {
      return header.getSequenceNumber();
    }
  }

  /** What the provider handed to the sink, and the future the test completes as its commit. */
  private record Stored(Receipt receipt, InboundText inbound, CompletableFuture<Void> done) {}

  /** A sink whose commits the test completes by hand. */
  private static final class GatedSink implements InboundSink {
    private final LinkedBlockingQueue<Stored> handed = new LinkedBlockingQueue<>();

    Stored next() throws InterruptedException {
      Stored s = handed.poll(5, TimeUnit.SECONDS);
      assertThat(s).as("something handed to the sink").isNotNull();
      return s;
    }

    @Override
    public CompletableFuture<Void> receipt(UUID senderId, Receipt receipt) {
      Stored s = new Stored(receipt, null, new CompletableFuture<>());
      handed.add(s);
      return s.done();
    }

    @Override
    public CompletableFuture<Boolean> status(UUID senderId, StatusUpdate update) {
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Void> inbound(InboundText message) {
      Stored s = new Stored(null, message, new CompletableFuture<>());
      handed.add(s);
      return s.done();
    }
  }

  /** One ESME connection on a loopback server socket, read and written by the test thread. */
  private static final class ScriptedSmsc implements AutoCloseable {
    private final ServerSocket server =
        new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    ScriptedSmsc() throws IOException {}

    int port() {
      return server.getLocalPort();
    }

    void accept() throws IOException {
      server.setSoTimeout(10_000);
      socket = server.accept();
      socket.setSoTimeout(5_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    Pdu read() throws IOException {
      int length = in.readInt();
      byte[] octets = new byte[length];
      java.nio.ByteBuffer.wrap(octets).putInt(length);
      in.readFully(octets, 4, length - 4);
      return new Pdu(READ.header(octets), octets);
    }

    void expectNothing(Duration quiet) throws IOException {
      socket.setSoTimeout((int) quiet.toMillis());
      try {
        Pdu unexpected = read();
        throw new AssertionError("unexpected PDU " + unexpected.header);
      } catch (SocketTimeoutException expected) {
        // nothing came
      } finally {
        socket.setSoTimeout(5_000);
      }
    }

    void write(byte[] pdu) throws IOException {
      out.write(pdu);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
      }
      server.close();
    }
  }
}
