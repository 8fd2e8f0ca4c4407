package herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import herald.sim.smpp.SmscSimulator;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Campaigns through the API to the SMPP simulator: personalisation, skips by reason, groups,
 * variants, and the control actions (pause, resume, stop, retry, clone).
 */
class CampaignFlowTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    smsc = herald.herald().simulators().smsc();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static JsonObject created(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isBetween(200, 201);
    return r.bodyAsJsonObject();
  }

  static JsonObject awaitStatus(
      TestClient client, String token, String id, Predicate<JsonObject> done) {
    return Await.until(
        "campaign " + id + " to get there",
        Duration.ofSeconds(60),
        () -> client.get("/api/v1/campaigns/" + id + "/status", token).bodyAsJsonObject(),
        done);
  }

  private static List<String> textsTo(String prefix) {
    return smsc.submitted().stream()
        .filter(s -> s.destination().startsWith(prefix))
        .map(s -> new String(s.shortMessage(), StandardCharsets.ISO_8859_1))
        .sorted()
        .toList();
  }

  @Test
  void inlineRecipientsArePersonalisedAndSkipsAreCountedByReason() throws Exception {
    created(
        client.post(
            "/api/v1/blacklist",
            admin,
            new JsonObject().put("phone_number", "+14155550103").put("reason", "asked")));
    JsonArray recipients =
        new JsonArray()
            .add(new JsonObject().put("number", "+14155550101").put("name", "Ann").put("code", 11))
            .add(new JsonObject().put("phone", "+14155550102").put("code", 22))
            .add("+14155550102")
            .add("+14155550103")
            .add("not-a-number");
    JsonObject campaign =
        created(
            client.post(
                "/api/v1/campaigns",
                admin,
                new JsonObject()
                    .put("name", "Inline")
                    .put("message", "Hi {name|friend}, code {code}")
                    .put("recipients", recipients)));
    assertThat(campaign.getString("status")).isEqualTo("draft");
    String id = campaign.getString("id");

    JsonObject started = created(client.post("/api/v1/campaigns/" + id + "/start", admin, null));
    assertThat(started.getString("status")).isEqualTo("running");

    JsonObject status =
        awaitStatus(client, admin, id, s -> "completed".equals(s.getString("status")));
    assertThat(status.getLong("total")).isEqualTo(4);
    assertThat(status.getLong("sent")).isEqualTo(2);
    assertThat(status.getLong("pending")).isZero();
    assertThat(status.getDouble("percentage")).isEqualTo(100.0);
    JsonObject skipped = status.getJsonObject("skipped_by_reason");
    assertThat(skipped.fieldNames())
        .containsExactlyInAnyOrder("blacklisted", "invalid_number", "duplicate");
    assertThat(skipped.getInteger("blacklisted")).isEqualTo(1);
    assertThat(skipped.getInteger("invalid_number")).isEqualTo(1);
    assertThat(skipped.getInteger("duplicate")).isEqualTo(1);
    assertThat(textsTo("1415555010")).containsExactly("Hi Ann, code 11", "Hi friend, code 22");
  }

  @Test
  void aGroupAudienceGetsTemplateAndInlineVariantsThroughNamedSenders() throws Exception {
    String sender =
        client.get("/api/v1/senders", admin).bodyAsJsonObject().getJsonArray("data").stream()
            .map(JsonObject.class::cast)
            .filter(s -> s.getString("channel").equals("sms")) // the default run has a voice one
            .findFirst()
            .orElseThrow()
            .getString("id");
    String group =
        created(client.post("/api/v1/contact-groups", admin, new JsonObject().put("name", "VIP")))
            .getString("id");
    JsonArray ids = new JsonArray();
    String[] names = {"Ada", "Bob", "Cyd", "Dee", "Eve", "Fay"};
    for (int i = 0; i < names.length; i++) {
      ids.add(
          created(
                  client.post(
                      "/api/v1/contacts",
                      admin,
                      new JsonObject()
                          .put("phone_number", "+1415555020" + i)
                          .put("first_name", names[i])
                          .put("custom_fields", new JsonObject().put("company", "Co" + i))))
              .getString("id"));
    }
    created(
        client.post(
            "/api/v1/contact-groups/" + group + "/contacts/add",
            admin,
            new JsonObject().put("contact_ids", ids)));
    String template =
        created(
                client.post(
                    "/api/v1/templates",
                    admin,
                    new JsonObject()
                        .put("name", "Dear")
                        .put("channel", "sms")
                        .put("category", "marketing")
                        .put("content", "Dear {first_name} of {custom.company}")))
            .getString("id");
    JsonObject campaign =
        created(
            client.post(
                "/api/v1/campaigns",
                admin,
                new JsonObject()
                    .put("name", "Variants")
                    .put("sender_ids", new JsonArray().add(sender))
                    .put("audience", new JsonObject().put("group_ids", new JsonArray().add(group)))
                    .put(
                        "variants",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", "A")
                                    .put("template_id", template)
                                    .put("percentage", 50))
                            .add(
                                new JsonObject()
                                    .put("variant_name", "B")
                                    .put("message", "Hey {prenom}")
                                    .put("percentage", 50)))));
    String id = campaign.getString("id");
    created(client.post("/api/v1/campaigns/" + id + "/start", admin, null));
    JsonObject status =
        awaitStatus(client, admin, id, s -> "completed".equals(s.getString("status")));
    assertThat(status.getLong("total")).isEqualTo(6);
    assertThat(status.getLong("sent")).isEqualTo(6);
    List<String> texts = textsTo("1415555020");
    assertThat(texts).hasSize(6);
    for (int i = 0; i < names.length; i++) {
      String a = "Dear " + names[i] + " of Co" + i;
      String b = "Hey " + names[i];
      assertThat(texts.stream().filter(t -> t.equals(a) || t.equals(b)).count())
          .as("exactly one message for %s", names[i])
          .isEqualTo(1);
    }
  }

  @Test
  void badCampaignsAnswer422WithEveryFieldError() {
    var response =
        client.post(
            "/api/v1/campaigns",
            admin,
            new JsonObject()
                .put("message", "x")
                .put("template_id", "not-an-id")
                .put("rate_per_second", -1)
                .put(
                    "variants",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("name", "A")
                                .put("message", "a")
                                .put("percentage", 60))
                        .add(
                            new JsonObject()
                                .put("name", "B")
                                .put("message", "b")
                                .put("percentage", 30)))
                .put("quiet_hours", new JsonObject().put("start", "25:00").put("end", "08:00"))
                .put("recurrence", new JsonObject().put("frequency", "hourly").put("time", "9")));
    assertThat(response.statusCode()).isEqualTo(422);
    String body = response.bodyAsString();
    for (String field :
        List.of(
            "name",
            "template_id",
            "rate_per_second",
            "variants",
            "quiet_hours.start",
            "recurrence.frequency",
            "recurrence.time")) {
      assertThat(body).contains("\"" + field + "\"");
    }
    var foreign =
        client.post(
            "/api/v1/campaigns",
            admin,
            new JsonObject()
                .put("name", "Foreign")
                .put("message", "x")
                .put("sender_ids", new JsonArray().add("01980c4e-1111-7aaa-8bbb-cccccccccccc")));
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(foreign.bodyAsString()).contains("sender_ids[0]");
  }
}
