package herald.platform.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The event-bus codec for Java records sent inside the JVM: the record itself is delivered, with no
 * JSON encoding or copying. {@link #install} registers it once per Vert.x instance and selects it
 * for every record body, so senders just send the record. Records are treated as immutable: a
 * sender must not change a record (or a mutable value in it, such as a {@code JsonObject}) after
 * sending it. Anything that would leave the JVM must use JSON instead; this codec refuses the wire.
 */
public final class LocalCodec implements MessageCodec<Record, Record> {
  public static final String NAME = "herald-local-record";

  /**
   * Registers the codec and selects it for record bodies. Idempotent: a second call on the same
   * Vert.x instance keeps the first registration.
   */
  public static void install(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new LocalCodec());
    } catch (IllegalStateException alreadyRegistered) {
      return;
    }
    vertx.eventBus().codecSelector(body -> body instanceof Record ? NAME : null);
  }

  @Override
  public void encodeToWire(Buffer buffer, Record record) {
    throw new UnsupportedOperationException(
        "local-only codec: " + record.getClass().getName() + " cannot leave the JVM");
  }

  @Override
  public Record decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("local-only codec");
  }

  @Override
  public Record transform(Record record) {
    return record;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
