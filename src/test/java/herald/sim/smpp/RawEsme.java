package herald.sim.smpp;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An ESME that writes its PDUs byte by byte, for what jsmpp's client refuses to send: C-Octet
 * Strings longer than SMPP 3.4 allows, or with characters outside printable ASCII. Answers only
 * what it asked for; one request at a time.
 */
final class RawEsme implements AutoCloseable {
  private static final int BIND_TRANSCEIVER = 0x00000009;
  private static final int SUBMIT_SM = 0x00000004;
  private static final int ENQUIRE_LINK = 0x00000015;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private int sequence;

  RawEsme(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  /** Sends bind_transceiver (interface version 3.4) and returns the command_status of its resp. */
  int bind(String systemId, String password, String systemType) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    cString(body, systemId);
    cString(body, password);
    cString(body, systemType);
    body.write(0x34);
    body.write(0);
    body.write(0);
    cString(body, "");
    return request(BIND_TRANSCEIVER, body.toByteArray());
  }

  /**
   * Sends a one-part GSM text submit_sm from an international number with {@code serviceType};
   * returns the command_status of its resp.
   */
  int submit(String serviceType, String to) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    cString(body, serviceType);
    body.write(1); // source_addr_ton international
    body.write(1); // source_addr_npi ISDN
    cString(body, TestEsme.SOURCE);
    body.write(1);
    body.write(1);
    cString(body, to);
    body.write(0); // esm_class
    body.write(0); // protocol_id
    body.write(0); // priority_flag
    cString(body, ""); // schedule_delivery_time
    cString(body, ""); // validity_period
    body.write(0); // registered_delivery
    body.write(0); // replace_if_present_flag
    body.write(0); // data_coding
    body.write(0); // sm_default_msg_id
    byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
    body.write(text.length);
    body.write(text, 0, text.length);
    return request(SUBMIT_SM, body.toByteArray());
  }

  /** An enquire_link; its command_status (0 while the session is up). */
  int enquireLink() throws IOException {
    return request(ENQUIRE_LINK, new byte[0]);
  }

  // Latin-1 so that a test can put any single octet on the wire.
  private static void cString(ByteArrayOutputStream body, String value) {
    byte[] octets = value.getBytes(StandardCharsets.ISO_8859_1);
    body.write(octets, 0, octets.length);
    body.write(0);
  }

  private int request(int commandId, byte[] body) throws IOException {
    int seq = ++sequence;
    out.writeInt(16 + body.length);
    out.writeInt(commandId);
    out.writeInt(0);
    out.writeInt(seq);
    out.write(body);
    out.flush();
    while (true) {
      int length = in.readInt();
      int id = in.readInt();
      int status = in.readInt();
      int respSeq = in.readInt();
      in.readFully(new byte[length - 16]);
      boolean answer = id == (commandId | 0x80000000) || id == 0x80000000;
      if (answer && respSeq == seq) {
        return status;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
