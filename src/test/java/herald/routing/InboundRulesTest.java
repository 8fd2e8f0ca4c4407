package herald.routing;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inbound rules over real SMPP: order, matches, actions, the recorded route, and bad input. */
class InboundRulesTest {
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

  private static List<String> textsSentTo(String digits) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().equals(digits))
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .toList();
  }

  private static JsonObject created(String path, JsonObject body) {
    HttpResponse<Buffer> response = client.post(path, admin, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  /** The inbound route recorded on the last message received from {@code digits}. */
  private static JsonObject routeOf(String text) {
    return Await.until(
            "the message '" + text + "' to be stored",
            Duration.ofSeconds(20),
            () ->
                client
                    .get("/api/v1/messages?direction=inbound&limit=200", admin)
                    .bodyAsJsonObject()
                    .getJsonArray("data")
                    .stream()
                    .map(JsonObject.class::cast)
                    .filter(m -> m.getString("body").equals(text))
                    .findFirst()
                    .orElse(null),
            m -> m != null)
        .getJsonObject("metadata")
        .getJsonObject("inbound_route");
  }

  @Test
  void theFirstMatchingRuleInOrderHandlesTheMessageAfterTheOptOutKeywords() {
    String group =
        created("/api/v1/contact-groups", new JsonObject().put("name", "vip")).getString("id");
    created(
        "/api/v1/contacts",
        new JsonObject()
            .put("phone_number", "+14155550302")
            .put("name", "Zoe")
            .put("group_ids", new JsonArray().add(group)));
    String template =
        created(
                "/api/v1/templates",
                new JsonObject().put("name", "hours").put("content", "Hi {name}, we open at 9."))
            .getString("id");
    JsonObject number = new JsonObject().put("number", "5550301");
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "group webhook")
            .put("position", 5)
            .put("match", number.copy().put("group_id", group).put("keyword", "RAW"))
            .put("action", "webhook"));
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "prices")
            .put("position", 10)
            .put("match", number.copy().put("keyword", "price"))
            .put("action", "reply")
            .put("reply_text", "See our prices online."));
    JsonObject hours =
        created(
            "/api/v1/inbound-rules",
            new JsonObject()
                .put("name", "hours")
                .put("position", 20)
                .put("match", number.copy().put("regex", "open|hours"))
                .put("action", "template")
                .put("template_id", template));
    created(
        "/api/v1/inbound-rules",
        new JsonObject()
            .put("name", "catch all")
            .put("position", 30)
            .put("match", number.copy().put("regex", "."))
            .put("action", "reply")
            .put("reply_text", "Thanks, we got it."));

    smsc.sendMo("14155550301", "5550301", "PRICE list please");
    smsc.sendMo("14155550302", "5550301", "when do you open?");
    smsc.sendMo("14155550302", "5550301", "raw data here");
    smsc.sendMo("14155550303", "5550301", "STOP");
    smsc.sendMo("14155550304", "5550301", "something else");
    smsc.sendMo("14155550305", "5550999", "another number");

    Await.until(
        "the replies",
        Duration.ofSeconds(20),
        () ->
            textsSentTo("14155550301").size() == 1
                && textsSentTo("14155550302").size() == 1
                && textsSentTo("14155550303").size() == 1
                && textsSentTo("14155550304").size() == 1);
    assertThat(textsSentTo("14155550301")).containsExactly("See our prices online.");
    assertThat(textsSentTo("14155550302")).containsExactly("Hi Zoe, we open at 9.");
    assertThat(textsSentTo("14155550303").get(0)).contains("unsubscribed");
    assertThat(textsSentTo("14155550304")).containsExactly("Thanks, we got it.");

    assertThat(routeOf("when do you open?").getString("rule_id")).isEqualTo(hours.getString("id"));
    assertThat(routeOf("when do you open?").getString("action")).isEqualTo("template");
    assertThat(routeOf("raw data here").getString("action")).isEqualTo("webhook");
    assertThat(routeOf("raw data here").getString("rule_name")).isEqualTo("group webhook");
    assertThat(routeOf("another number").getString("action")).isEqualTo("none");
    assertThat(routeOf("another number").getValue("rule_id")).isNull();
    Await.stillAfter(
        Duration.ofMillis(500),
        "no reply to the webhook-only message and the other number",
        () -> textsSentTo("14155550305").size() + textsSentTo("14155550302").size(),
        n -> n == 1);

    JsonArray rules =
        client.get("/api/v1/inbound-rules", admin).bodyAsJsonObject().getJsonArray("data");
    assertThat(rules.stream().map(r -> ((JsonObject) r).getString("name")).toList())
        .containsSubsequence("group webhook", "prices", "hours", "catch all");
  }

  @Test
  void aRuleCanBeReplacedAndDeletedAndBadRulesAreRefusedNamingTheField() {
    HttpResponse<Buffer> noAgent =
        client.post(
            "/api/v1/inbound-rules",
            admin,
            new JsonObject().put("name", "to nobody").put("action", "agent"));
    assertThat(noAgent.statusCode()).isEqualTo(422);
    assertThat(noAgent.bodyAsString()).contains("agent_id");
    HttpResponse<Buffer> unknownAgent =
        client.post(
            "/api/v1/inbound-rules",
            admin,
            new JsonObject()
                .put("name", "to a stranger")
                .put("action", "agent")
                .put("agent_id", java.util.UUID.randomUUID().toString()));
    assertThat(unknownAgent.statusCode()).isEqualTo(422);
    assertThat(unknownAgent.bodyAsString()).contains("agent_id");
    HttpResponse<Buffer> badRegex =
        client.post(
            "/api/v1/inbound-rules",
            admin,
            new JsonObject()
                .put("name", "broken")
                .put("match", new JsonObject().put("regex", "(unclosed"))
                .put("action", "webhook"));
    assertThat(badRegex.statusCode()).isEqualTo(422);
    assertThat(badRegex.bodyAsString()).contains("match.regex");

    JsonObject rule =
        created(
            "/api/v1/inbound-rules",
            new JsonObject()
                .put("name", "temporary")
                .put("enabled", false)
                .put("action", "reply")
                .put("reply_text", "one"));
    String path = "/api/v1/inbound-rules/" + rule.getString("id");
    HttpResponse<Buffer> replaced =
        client.send(
            HttpMethod.PUT,
            path,
            admin,
            new JsonObject()
                .put("name", "temporary")
                .put("enabled", false)
                .put("action", "reply")
                .put("reply_text", "two"));
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(200);
    assertThat(replaced.bodyAsJsonObject().getString("reply_text")).isEqualTo("two");
    assertThat(replaced.bodyAsJsonObject().getInteger("position"))
        .isEqualTo(rule.getInteger("position"));
    assertThat(client.delete(path, admin).statusCode()).isEqualTo(204);
    assertThat(client.get(path, admin).statusCode()).isEqualTo(404);
  }
}
