package herald.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The signed body streams the stored event data into the envelope; no tree is built. */
class DeliveryBodyTest {
  private static final UUID EVENT = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final Instant AT = Instant.parse("2026-12-07T23:45:01.123456Z");

  private static DeliveryStore.Claimed claimed(String data) {
    return new DeliveryStore.Claimed(UUID.randomUUID(), EVENT, "blacklist.added", 0, 3, data, AT);
  }

  /** What the body was when the data was parsed into a JsonObject and the envelope encoded. */
  private static String treeEncoded(String data) {
    return new JsonObject()
        .put("id", EVENT.toString())
        .put("type", "blacklist.added")
        .put("timestamp", AT.toString())
        .put("data", new JsonObject(data))
        .encode();
  }

  @Test
  void jsonbSpacedDataIsMinifiedInFieldOrder() {
    // jsonb's text form, as events written with jsonb_build_object were stored.
    String stored =
        "{\"id\": \"0189\", \"reason\": null, \"source\": \"import\", \"phone_number\": \"+14155550100\"}";
    String body = claimed(stored).body();
    assertEquals(
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"type\":\"blacklist.added\","
            + "\"timestamp\":\"2026-12-07T23:45:01.123456Z\",\"data\":{\"id\":\"0189\","
            + "\"reason\":null,\"source\":\"import\",\"phone_number\":\"+14155550100\"}}",
        body);
    assertEquals(treeEncoded(stored), body);
  }

  @Test
  void nestedValuesEscapesAndNumbersMatchTheTreeEncoding() {
    String stored =
        "{\"body\":\"caf\\u00e9 \\\"quoted\\\"\\n/ok\",\"segments\":2,\"price\":0.0075,"
            + "\"big\":12345678901234,\"neg\":-3,\"flags\":[true,false,null],"
            + "\"metadata\":{\"order\":{\"lines\":[{\"sku\":\"A-1\",\"qty\":1}]},\"empty\":{}},"
            + "\"list\":[]}";
    assertEquals(treeEncoded(stored), claimed(stored).body());
  }
}
