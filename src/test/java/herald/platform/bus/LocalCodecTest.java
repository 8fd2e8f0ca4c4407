package herald.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records over the event bus inside the JVM: no JSON, no copy, and never onto the wire. */
class LocalCodecTest {
  record Parcel(UUID id, List<String> items, JsonObject data) {}

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aRecordSentAndPublishedArrivesAsTheSameRecord() {
    LocalCodec.install(vertx);
    LocalCodec.install(vertx); // a second Herald on the same Vert.x installs it again: harmless
    Parcel parcel = new Parcel(UUID.randomUUID(), List.of("a", "b"), new JsonObject().put("n", 1));
    Promise<Object> sent = Promise.promise();
    Promise<Object> published = Promise.promise();
    vertx.eventBus().localConsumer("test.sent", m -> sent.tryComplete(m.body()));
    vertx.eventBus().localConsumer("test.published", m -> published.tryComplete(m.body()));

    vertx.eventBus().send("test.sent", parcel);
    vertx.eventBus().publish("test.published", parcel);

    assertThat(sent.future().await()).isSameAs(parcel);
    assertThat(published.future().await()).isEqualTo(parcel);
  }

  @Test
  void jsonBodiesKeepTheirOwnCodec() {
    LocalCodec.install(vertx);
    JsonObject body = new JsonObject().put("k", "v");
    Promise<Object> got = Promise.promise();
    vertx.eventBus().localConsumer("test.json", m -> got.complete(m.body()));
    vertx.eventBus().send("test.json", body);
    Object received = got.future().await();
    assertThat(received).isEqualTo(body).isNotSameAs(body); // JSON is copied, as before
  }

  @Test
  void withoutTheCodecARecordCannotBeSent() {
    Parcel parcel = new Parcel(UUID.randomUUID(), List.of(), new JsonObject());
    vertx.eventBus().localConsumer("test.none", m -> {});
    assertThatThrownBy(() -> vertx.eventBus().send("test.none", parcel))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCodecRefusesTheWire() {
    LocalCodec codec = new LocalCodec();
    Parcel parcel = new Parcel(UUID.randomUUID(), List.of(), new JsonObject());
    assertThatThrownBy(() -> codec.encodeToWire(io.vertx.core.buffer.Buffer.buffer(), parcel))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("cannot leave the JVM");
    assertThat(codec.transform(parcel)).isSameAs(parcel);
  }
}
