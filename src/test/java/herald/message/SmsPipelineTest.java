package herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages accepted over HTTP cross real SMPP to the simulator SMSC, and its receipts come back and
 * become delivered statuses, with every step in the message's history.
 */
class SmsPipelineTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.boundSmsc();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject send(Object body) {
    HttpResponse<Buffer> response =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(body instanceof JsonArray a ? a.encode() : ((JsonObject) body).encode()),
            "application/json");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject();
  }

  private static JsonObject awaitStatus(String id, String status) {
    return Await.until(
        "message " + id + " to become " + status,
        Duration.ofSeconds(30),
        () -> client.get("/api/v1/messages/" + id, admin).bodyAsJsonObject(),
        message -> status.equals(message.getString("status")));
  }

  /** Every message created in [{@code from}, {@code until}), newest first, over all pages. */
  private static List<JsonObject> createdBetween(Instant from, Instant until) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          client
              .get(
                  "/api/v1/messages?limit=200&created_after="
                      + from
                      + "&created_before="
                      + until
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  admin)
              .bodyAsJsonObject();
      page.getJsonArray("data").forEach(m -> all.add((JsonObject) m));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    return all;
  }

  @Test
  void aMessageCrossesSmppAndItsReceiptMakesItDelivered() throws Exception {
    JsonObject accepted = send(new JsonObject().put("to", "+14155550100").put("body", "hi"));
    assertThat(accepted.getInteger("accepted")).isEqualTo(1);
    JsonObject item = accepted.getJsonArray("data").getJsonObject(0);
    assertThat(item.getString("status")).isEqualTo("queued");
    assertThat(item.getString("encoding")).isEqualTo("GSM-7");
    assertThat(item.getInteger("segments")).isEqualTo(1);

    JsonObject delivered = awaitStatus(item.getString("id"), "delivered");
    assertThat(delivered.getString("provider_message_id")).isNotBlank();
    assertThat(
            delivered.getJsonArray("history").stream()
                .map(h -> ((JsonObject) h).getString("event")))
        .containsExactly("message.queued", "message.sent", "message.delivered");
    assertThat(
            smsc.submitted().stream()
                .anyMatch(
                    s ->
                        s.messageId().equals(delivered.getString("provider_message_id"))
                            && s.destination().equals("14155550100")))
        .isTrue();
  }

  @Test
  void longAndUnicodeMessagesArriveAsTheRightNumberOfConcatenatedParts() throws Exception {
    String longGsm = "x".repeat(400);
    String unicode = "Привет! ".repeat(19);
    JsonObject accepted =
        send(
            new JsonArray()
                .add(new JsonObject().put("to", "+14155550101").put("body", longGsm))
                .add(new JsonObject().put("to", "+14155550102").put("body", unicode)));
    JsonArray data = accepted.getJsonArray("data");
    assertThat(data.getJsonObject(0).getInteger("segments")).isEqualTo(3);
    assertThat(data.getJsonObject(1).getString("encoding")).isEqualTo("UCS-2");
    assertThat(data.getJsonObject(1).getInteger("segments")).isEqualTo(3);
    awaitStatus(data.getJsonObject(0).getString("id"), "delivered");
    awaitStatus(data.getJsonObject(1).getString("id"), "delivered");

    List<SmscSimulator.Submitted> gsmParts =
        smsc.submitted().stream().filter(s -> s.destination().equals("14155550101")).toList();
    assertThat(gsmParts).hasSize(3);
    assertThat(
            gsmParts.stream().map(SmscSimulator.Submitted::concatRef).collect(Collectors.toSet()))
        .hasSize(1);
    assertThat(gsmParts.stream().map(SmscSimulator.Submitted::concatTotal)).containsOnly(3);
    List<SmscSimulator.Submitted> ucsParts =
        smsc.submitted().stream().filter(s -> s.destination().equals("14155550102")).toList();
    assertThat(ucsParts).hasSize(3);
    assertThat(ucsParts.stream().map(SmscSimulator.Submitted::dataCoding))
        .containsOnly((byte) 0x08);
  }

  @Test
  void aBatchIsCommittedAtOnceAndEveryMessageIsDelivered() throws Exception {
    JsonArray batch = new JsonArray();
    Set<String> numbers = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      String to = String.format("+1415555%04d", 2000 + i);
      numbers.add(to.substring(1));
      batch.add(new JsonObject().put("to", to).put("body", "batch " + i));
    }
    Instant before = Instant.now().minusSeconds(1);
    JsonObject accepted = send(batch);
    Instant after = Instant.now().plusSeconds(1);
    assertThat(accepted.getInteger("accepted")).isEqualTo(300);
    assertThat(accepted.getInteger("rejected")).isZero();
    Set<String> ids =
        accepted.getJsonArray("data").stream()
            .map(m -> ((JsonObject) m).getString("id"))
            .collect(Collectors.toSet());
    assertThat(ids).hasSize(300);

    // Committed before the answer, all in one transaction: every message is there at once, and
    // they share the transaction's timestamp.
    List<JsonObject> stored =
        createdBetween(before, after).stream()
            .filter(m -> ids.contains(m.getString("id")))
            .toList();
    assertThat(stored).as("stored when the answer came").hasSize(300);
    assertThat(stored.stream().map(m -> m.getString("created_at")).distinct())
        .as("one transaction")
        .hasSize(1);

    // Every message is delivered, each submitted to its own number.
    Await.until(
        "all 300 messages of the batch delivered",
        Duration.ofSeconds(60),
        () ->
            createdBetween(before, after).stream()
                .filter(
                    m ->
                        ids.contains(m.getString("id"))
                            && "delivered".equals(m.getString("status")))
                .count(),
        delivered -> delivered == 300);
    assertThat(
            smsc.submitted().stream()
                .map(SmscSimulator.Submitted::destination)
                .filter(numbers::contains)
                .collect(Collectors.toSet()))
        .as("submitted to every number")
        .isEqualTo(numbers);
    assertThat(
            client
                .get("/api/v1/messages?status=queued", admin)
                .bodyAsJsonObject()
                .getJsonArray("data"))
        .isEmpty();
  }

  @Test
  void badItemsAreReportedByIndexWhileGoodOnesAreAccepted() {
    JsonObject result =
        send(
            new JsonArray()
                .add(new JsonObject().put("to", "+14155550103").put("body", "ok"))
                .add(new JsonObject().put("to", "not a number").put("body", "x"))
                .add(new JsonObject().put("to", "+14155550104").put("body", ""))
                .add(new JsonObject().put("to", "+14155550105").put("body", "x".repeat(1601)))
                .add(new JsonObject().put("to", 42).put("body", "x"))
                .add(
                    new JsonObject()
                        .put("to", "+14155550106")
                        .put("body", "x")
                        .put("colour", "red")));
    assertThat(result.getInteger("accepted")).isEqualTo(1);
    assertThat(result.getInteger("rejected")).isEqualTo(5);
    assertThat(
            result.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getInteger("index")))
        .containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void allInvalidIs422AndOversizeBatchesAreRefused() {
    HttpResponse<Buffer> invalid =
        client.post("/api/v1/messages", admin, new JsonObject().put("to", "123").put("body", "x"));
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 10_001; i++) {
      tooMany.add(new JsonObject().put("to", "+14155550100").put("body", "x"));
    }
    HttpResponse<Buffer> big =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + admin),
            Buffer.buffer(tooMany.encode()),
            "application/json");
    assertThat(big.statusCode()).isEqualTo(422);
    assertThat(big.bodyAsString()).contains("10000");
    HttpResponse<Buffer> unknownSender =
        client.post(
            "/api/v1/messages",
            admin,
            new JsonObject()
                .put("to", "+14155550100")
                .put("body", "x")
                .put("sender_id", "01a20998-b306-7f85-8984-441bdd7d6d0c"));
    assertThat(unknownSender.statusCode()).isEqualTo(422);
  }

  @Test
  void aRepeatedIdempotencyKeyReturnsTheFirstResultAndSendsOnce() {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Authorization", "Bearer " + admin)
            .add("Idempotency-Key", "order-123");
    Buffer body =
        Buffer.buffer(new JsonObject().put("to", "+14155550107").put("body", "once").encode());
    HttpResponse<Buffer> first =
        client.send(HttpMethod.POST, "/api/v1/messages", headers, body, "application/json");
    HttpResponse<Buffer> second =
        client.send(HttpMethod.POST, "/api/v1/messages", headers, body, "application/json");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(
            client
                .get("/api/v1/messages?to=%2B14155550107", admin)
                .bodyAsJsonObject()
                .getJsonArray("data"))
        .hasSize(1);
    HttpResponse<Buffer> other =
        client.send(
            HttpMethod.POST,
            "/api/v1/messages",
            headers,
            Buffer.buffer(new JsonObject().put("to", "+14155550108").put("body", "other").encode()),
            "application/json");
    assertThat(other.statusCode()).isEqualTo(422);
  }

  @Test
  void aScheduledMessageCanBeCanceledButADeliveredOneCannot() throws Exception {
    JsonObject later =
        send(
            new JsonObject()
                .put("to", "+14155550109")
                .put("body", "later")
                .put("scheduled_at", Instant.now().plusSeconds(3600).toString()));
    String id = later.getJsonArray("data").getJsonObject(0).getString("id");
    HttpResponse<Buffer> canceled = client.delete("/api/v1/messages/" + id, admin);
    assertThat(canceled.statusCode()).isEqualTo(200);
    assertThat(canceled.bodyAsJsonObject().getString("status")).isEqualTo("canceled");
    String now =
        send(new JsonObject().put("to", "+14155550110").put("body", "now"))
            .getJsonArray("data")
            .getJsonObject(0)
            .getString("id");
    awaitStatus(now, "delivered");
    assertThat(client.delete("/api/v1/messages/" + now, admin).statusCode()).isEqualTo(409);
  }

  @Test
  void anInboundSmppMessageIsStoredAsReceived() throws Exception {
    smsc.sendMo("33612345678", "Herald", "Bonjour, ça va ?");
    JsonArray inbound =
        Await.until(
            "the inbound message to be stored",
            Duration.ofSeconds(10),
            () ->
                client
                    .get("/api/v1/messages?direction=inbound", admin)
                    .bodyAsJsonObject()
                    .getJsonArray("data"),
            data -> !data.isEmpty());
    assertThat(inbound).hasSize(1);
    assertThat(inbound.getJsonObject(0).getString("status")).isEqualTo("received");
    assertThat(inbound.getJsonObject(0).getString("from")).isEqualTo("+33612345678");
    assertThat(inbound.getJsonObject(0).getString("body")).isEqualTo("Bonjour, ça va ?");
  }
}
