package herald.campaign;

import static herald.campaign.CampaignFlowTest.awaitStatus;
import static herald.campaign.CampaignFlowTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small A/B campaign run to completion through the SMPP simulator, then read back: statistics,
 * recipient pages with their cursor and status filter, and the CSV export; another account sees
 * none of it.
 */
class CampaignResultsTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static String otherAdmin;
  private static String campaignId;

  @BeforeAll
  static void start() throws Exception {
    herald = TestHerald.start();
    client = herald.client();
    admin = client.loginAdmin();
    created(
        client.post(
            "/api/v1/accounts",
            admin,
            new JsonObject()
                .put("name", "Other")
                .put("admin_username", "other-admin")
                .put("admin_password", "password-other-admin")));
    otherAdmin = client.login("other-admin", "password-other-admin");
    created(
        client.post(
            "/api/v1/blacklist",
            admin,
            new JsonObject().put("phone_number", "+14155550204").put("reason", "asked")));
    JsonArray recipients =
        new JsonArray()
            .add(new JsonObject().put("number", "+14155550201").put("name", "Ann").put("tier", 1))
            .add(new JsonObject().put("number", "+14155550202").put("name", "Bob, Jr"))
            .add(new JsonObject().put("number", "+14155550203").put("name", "=Cy"))
            .add("+14155550204")
            .add("not-a-number")
            .add("+14155550201");
    JsonArray variants =
        new JsonArray()
            .add(new JsonObject().put("name", "A").put("message", "A {name}").put("percentage", 50))
            .add(
                new JsonObject().put("name", "B").put("message", "B {name}").put("percentage", 50));
    campaignId =
        created(
                client.post(
                    "/api/v1/campaigns",
                    admin,
                    new JsonObject()
                        .put("name", "Results")
                        .put("variants", variants)
                        .put("recipients", recipients)))
            .getString("id");
    created(client.post("/api/v1/campaigns/" + campaignId + "/start", admin, null));
    awaitStatus(client, admin, campaignId, s -> "completed".equals(s.getString("status")));
    awaitStatus(client, admin, campaignId, s -> s.getLong("delivered") == 3);
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static void problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void statsCountByStatusVariantAndOperatorWithCostAndThroughput() {
    JsonObject stats = ok(client.get("/api/v1/campaigns/" + campaignId + "/stats", admin));
    assertThat(stats.getString("status")).isEqualTo("completed");
    assertThat(stats.getLong("total")).isEqualTo(5);
    assertThat(stats.getLong("delivered")).isEqualTo(3);
    JsonObject skipped = stats.getJsonObject("skipped_by_reason");
    assertThat(skipped.fieldNames())
        .containsExactlyInAnyOrder("blacklisted", "invalid_number", "duplicate");
    assertThat(skipped.getLong("blacklisted")).isEqualTo(1);
    assertThat(skipped.getLong("duplicate")).isEqualTo(1);
    JsonObject byStatus = stats.getJsonObject("by_status");
    assertThat(byStatus.getLong("delivered")).isEqualTo(3);
    assertThat(byStatus.getLong("skipped")).isEqualTo(2);
    assertThat(byStatus.getLong("failed")).isZero();
    assertThat(byStatus.fieldNames()).hasSize(9);
    assertThat(stats.getDouble("delivery_rate")).isEqualTo(100.0);

    JsonArray variants = stats.getJsonArray("by_variant");
    assertThat(variants.stream().map(v -> ((JsonObject) v).getString("variant")))
        .isSubsetOf("A", "B")
        .isNotEmpty();
    assertThat(sum(variants, "delivered")).isEqualTo(3);
    JsonArray operators = stats.getJsonArray("by_operator");
    assertThat(operators).isNotEmpty();
    assertThat(sum(operators, "recipients")).isEqualTo(3);
    assertThat(sum(operators, "sent")).isEqualTo(3);

    JsonObject cost = stats.getJsonObject("cost");
    assertThat(cost.getLong("messages")).isEqualTo(3);
    assertThat(cost.getLong("segments")).isEqualTo(3);
    assertThat(cost.getString("currency")).isEqualTo("USD");
    assertThat(cost.getDouble("estimate")).isEqualTo(0.0225);

    Instant first = Instant.parse(stats.getString("first_sent_at"));
    Instant last = Instant.parse(stats.getString("last_sent_at"));
    assertThat(first).isBeforeOrEqualTo(last);
    JsonObject throughput = stats.getJsonObject("throughput");
    assertThat(throughput.getString("unit")).isEqualTo("second");
    JsonArray buckets = throughput.getJsonArray("buckets");
    assertThat(sum(buckets, "sent")).isEqualTo(3);
    assertThat(Instant.parse(buckets.getJsonObject(0).getString("at")))
        .isEqualTo(first.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    for (int i = 1; i < buckets.size(); i++) {
      assertThat(
              Duration.between(
                  Instant.parse(buckets.getJsonObject(i - 1).getString("at")),
                  Instant.parse(buckets.getJsonObject(i).getString("at"))))
          .isEqualTo(Duration.ofSeconds(1));
    }
    JsonObject lastOnly =
        ok(client.get("/api/v1/campaigns/" + campaignId + "/stats?buckets=1", admin));
    assertThat(lastOnly.getJsonObject("throughput").getJsonArray("buckets")).hasSize(1);
    problem(client.get("/api/v1/campaigns/" + campaignId + "/stats?buckets=0", admin), 400);
  }

  private static long sum(JsonArray rows, String field) {
    return rows.stream().mapToLong(r -> ((JsonObject) r).getLong(field)).sum();
  }

  @Test
  void recipientsArePagedInCampaignOrderByAnOpaqueCursor() {
    List<String> phones = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String query = "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject page =
          ok(client.get("/api/v1/campaigns/" + campaignId + "/recipients" + query, admin));
      assertThat(page.getJsonArray("data").size()).isBetween(1, 2);
      page.getJsonArray("data")
          .forEach(r -> phones.add(((JsonObject) r).getString("phone_number")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(phones)
        .containsExactly(
            "+14155550201", "+14155550202", "+14155550203", "+14155550204", "not-a-number");

    String base = "/api/v1/campaigns/" + campaignId + "/recipients";
    problem(client.get(base + "?cursor=bm9wZQ", admin), 400);
    problem(client.get(base + "?limit=201", admin), 400);
    problem(client.get(base + "?status=lost", admin), 400);
  }

  @Test
  void recipientsFilterByStatusWithTheirMessageDetails() {
    String base = "/api/v1/campaigns/" + campaignId + "/recipients?status=";
    JsonArray delivered = ok(client.get(base + "delivered", admin)).getJsonArray("data");
    assertThat(delivered).hasSize(3);
    for (Object item : delivered) {
      JsonObject r = (JsonObject) item;
      assertThat(r.getString("status")).isEqualTo("delivered");
      assertThat(r.getString("variant")).isIn("A", "B");
      assertThat(r.getString("operator")).isNotBlank();
      assertThat(r.getInteger("attempts")).isEqualTo(1);
      assertThat(r.getString("message_id")).isNotBlank();
      assertThat(r.getString("provider_message_id")).isNotBlank();
      assertThat(r.getString("sent_at")).isNotBlank();
      assertThat(r.getString("done_at")).isNotBlank();
      assertThat(r.getJsonObject("data").getString("name")).isNotBlank();
    }
    JsonArray skipped = ok(client.get(base + "skipped", admin)).getJsonArray("data");
    assertThat(skipped.stream().map(r -> ((JsonObject) r).getString("reason")))
        .containsExactly("blacklisted", "invalid_number");
    assertThat(ok(client.get(base + "failed", admin)).getJsonArray("data")).isEmpty();
    assertThat(ok(client.get(base + "pending", admin)).getJsonArray("data")).isEmpty();
  }

  @Test
  void exportStreamsEveryRecipientAsCsv() {
    HttpResponse<Buffer> export = client.get("/api/v1/campaigns/" + campaignId + "/export", admin);
    assertThat(export.statusCode()).as(export.bodyAsString()).isEqualTo(200);
    assertThat(export.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(export.getHeader("Content-Disposition")).contains("attachment");
    String[] lines = export.bodyAsString().split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "phone_number,status,reason,variant,operator,attempts,message_id,provider_message_id,"
                + "error_code,error_message,sent_at,done_at,timezone,name,number,tier");
    assertThat(lines).hasSize(6);
    assertThat(lines[1]).startsWith("+14155550201,delivered,,").endsWith(",Ann,+14155550201,1");
    assertThat(lines[2]).endsWith(",\"Bob, Jr\",+14155550202,");
    assertThat(lines[3]).endsWith(",'=Cy,+14155550203,");
    assertThat(lines[4]).startsWith("+14155550204,skipped,blacklisted,");
    assertThat(lines[5]).startsWith("not-a-number,skipped,invalid_number,");
    String[] cells = lines[1].split(",");
    assertThat(cells[7]).as("provider_message_id").isNotEmpty();
    assertThat(Instant.parse(cells[10])).as("sent_at").isNotNull();
  }

  @Test
  void anotherAccountsCampaignAnswers404OnEveryResultRoute() {
    for (String route : List.of("stats", "recipients", "export")) {
      problem(client.get("/api/v1/campaigns/" + campaignId + "/" + route, otherAdmin), 404);
      problem(
          client.get("/api/v1/campaigns/0190a0b2-0000-7000-8000-000000000000/" + route, admin),
          404);
    }
  }
}
