package herald.template;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Templates over the real gateway: CRUD, categories, usage and previews. */
class TemplateRoutesTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String alpha;
  private static String beta;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    String platformAdmin = client.loginAdmin();
    for (String name : List.of("alpha", "beta")) {
      HttpResponse<Buffer> created =
          client.post(
              "/api/v1/accounts",
              platformAdmin,
              new JsonObject()
                  .put("name", name)
                  .put("admin_username", name + "-admin")
                  .put("admin_password", "password-" + name)
                  .put("settings", new JsonObject().put("default_region", "GA")));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    }
    alpha = client.login("alpha-admin", "password-alpha");
    beta = client.login("beta-admin", "password-beta");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject create(String token, JsonObject template) {
    HttpResponse<Buffer> created = client.post("/api/v1/templates", token, template);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> preview(String token, String id, JsonObject body) {
    return client.post("/api/v1/templates/" + id + "/preview", token, body);
  }

  @Test
  void aSeed003TemplateIsCreatedPreviewedWithSampleDataAndCounted() {
    JsonObject t =
        create(
            alpha,
            new JsonObject()
                .put("name", "Welcome Message")
                .put("content", "Bonjour {nom}, bienvenue chez nous! Votre email: {email}")
                .put("category", "notifications")
                .put("is_public", false));
    assertThat(t.getString("channel")).isEqualTo("sms");
    assertThat(t.getLong("usage_count")).isZero();
    assertThat(t.getJsonArray("variables").getList()).containsExactly("nom", "email");
    String id = t.getString("id");

    HttpResponse<Buffer> shown =
        preview(
            alpha,
            id,
            new JsonObject()
                .put(
                    "sample_data",
                    new JsonObject()
                        .put("{nom}", "Jean Dupont")
                        .put("{email}", "jean@example.com")));
    assertThat(shown.statusCode()).as(shown.bodyAsString()).isEqualTo(200);
    JsonObject p = shown.bodyAsJsonObject();
    assertThat(p.getString("rendered"))
        .isEqualTo("Bonjour Jean Dupont, bienvenue chez nous! Votre email: jean@example.com");
    assertThat(p.getString("encoding")).isEqualTo("GSM-7");
    assertThat(p.getInteger("segments")).isEqualTo(1);

    HttpResponse<Buffer> missing =
        preview(alpha, id, new JsonObject().put("data", new JsonObject().put("nom", "Jean")));
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(
            missing.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("data.email");

    assertThat(client.post("/api/v1/templates/" + id + "/use", alpha, null).statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> used = client.post("/api/v1/templates/" + id + "/use", alpha, null);
    assertThat(used.bodyAsJsonObject().getLong("usage_count")).isEqualTo(2);
  }

  @Test
  void aPreviewWithAContactUsesItsFieldsAndReportsUcs2Segments() {
    HttpResponse<Buffer> contact =
        client.post(
            "/api/v1/contacts",
            alpha,
            new JsonObject()
                .put("phone_number", "062000000")
                .put("first_name", "Zoë")
                .put("last_name", "Ndong")
                .put("custom_fields", new JsonObject().put("company", "Acme")));
    assertThat(contact.statusCode()).as(contact.bodyAsString()).isEqualTo(201);
    String contactId = contact.bodyAsJsonObject().getString("id");
    String text = "Hi {{Name}} from {custom.company} 🎉 {telephone}. " + "x".repeat(60);
    String id =
        create(
                alpha,
                new JsonObject()
                    .put("name", "Party")
                    .put("content", text)
                    .put("category", "promotions"))
            .getString("id");
    HttpResponse<Buffer> shown = preview(alpha, id, new JsonObject().put("contact_id", contactId));
    assertThat(shown.statusCode()).as(shown.bodyAsString()).isEqualTo(200);
    JsonObject p = shown.bodyAsJsonObject();
    assertThat(p.getString("rendered")).startsWith("Hi Zoë Ndong from Acme 🎉 +24162000000. ");
    assertThat(p.getString("encoding")).isEqualTo("UCS-2");
    assertThat(p.getInteger("segments")).isEqualTo(2);
    assertThat(p.getString("contact_id")).isEqualTo(contactId);
    // another account's contact cannot be used
    String betaTemplate =
        create(beta, new JsonObject().put("name", "Party").put("content", text)).getString("id");
    HttpResponse<Buffer> foreign =
        preview(beta, betaTemplate, new JsonObject().put("contact_id", contactId));
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(foreign.bodyAsString()).contains("contact_id");
  }

  @Test
  void templatesAreReplacedListedByCategoryAndDeleted() {
    String id =
        create(
                alpha,
                new JsonObject()
                    .put("name", "Reminder")
                    .put("content", "See you {when|soon}")
                    .put("category", "reminders"))
            .getString("id");
    HttpResponse<Buffer> replaced =
        client.send(
            io.vertx.core.http.HttpMethod.PUT,
            "/api/v1/templates/" + id,
            alpha,
            new JsonObject()
                .put("name", "Reminder")
                .put("content", "See you tomorrow")
                .put("category", "alerts")
                .put("is_public", true)
                .put("channel", "whatsapp"));
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(200);
    assertThat(replaced.bodyAsJsonObject().getString("category")).isEqualTo("alerts");
    JsonArray alerts =
        client
            .get("/api/v1/templates?category=alerts&is_public=true", alpha)
            .bodyAsJsonObject()
            .getJsonArray("data");
    assertThat(alerts.size()).isEqualTo(1);
    assertThat(alerts.getJsonObject(0).getString("id")).isEqualTo(id);
    JsonObject whatsappPreview = preview(alpha, id, new JsonObject()).bodyAsJsonObject();
    assertThat(whatsappPreview.getString("rendered")).isEqualTo("See you tomorrow");
    assertThat(whatsappPreview.containsKey("segments")).isFalse();

    JsonArray categories =
        client.get("/api/v1/templates/categories", alpha).bodyAsJsonObject().getJsonArray("data");
    assertThat(categories.stream().map(c -> ((JsonObject) c).getString("name")))
        .containsExactly(
            "marketing",
            "notifications",
            "alerts",
            "reminders",
            "confirmations",
            "promotions",
            "other");
    assertThat(
            categories.stream()
                .filter(c -> ((JsonObject) c).getString("name").equals("alerts"))
                .findFirst()
                .map(c -> ((JsonObject) c).getLong("template_count")))
        .contains(1L);

    assertThat(
            client
                .post(
                    "/api/v1/templates",
                    alpha,
                    new JsonObject().put("name", "Reminder").put("content", "dup"))
                .statusCode())
        .isEqualTo(409);
    assertThat(client.delete("/api/v1/templates/" + id, alpha).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/v1/templates/" + id, alpha).statusCode()).isEqualTo(404);
  }

  @Test
  void badTemplatesAreFieldErrors() {
    HttpResponse<Buffer> bad =
        client.post(
            "/api/v1/templates",
            alpha,
            new JsonObject()
                .put("name", "")
                .put("category", "spam")
                .put("channel", "fax")
                .put("is_public", "yes"));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(
            bad.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .contains("name", "content", "category", "channel", "is_public");
    assertThat(client.get("/api/v1/templates?category=spam", alpha).statusCode()).isEqualTo(400);
    assertThat(
            client
                .post(
                    "/api/v1/templates",
                    alpha,
                    new JsonObject().put("name", "long").put("content", "x".repeat(5000)))
                .statusCode())
        .isEqualTo(422);
  }

  @Test
  void anotherAccountsTemplateAnswers404OnEveryRoute() {
    String id =
        create(alpha, new JsonObject().put("name", "Private").put("content", "hi")).getString("id");
    JsonObject body = new JsonObject().put("name", "x").put("content", "y");
    assertThat(client.get("/api/v1/templates/" + id, beta).statusCode()).isEqualTo(404);
    assertThat(
            client
                .send(io.vertx.core.http.HttpMethod.PUT, "/api/v1/templates/" + id, beta, body)
                .statusCode())
        .isEqualTo(404);
    assertThat(client.post("/api/v1/templates/" + id + "/use", beta, null).statusCode())
        .isEqualTo(404);
    assertThat(preview(beta, id, new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(client.delete("/api/v1/templates/" + id, beta).statusCode()).isEqualTo(404);
    JsonObject still = client.get("/api/v1/templates/" + id, alpha).bodyAsJsonObject();
    assertThat(still.getString("content")).isEqualTo("hi");
    assertThat(still.getLong("usage_count")).isZero();
  }
}
