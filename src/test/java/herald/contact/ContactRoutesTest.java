package herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contacts, contact groups and the contact export over the real gateway and database. */
class ContactRoutesTest {
  private static TestHerald herald;
  private static TestClient client;
  private static String alpha;
  private static String beta;
  private static Pool pool;

  @BeforeAll
  static void start() {
    herald = TestHerald.start();
    client = herald.client();
    pool = herald.herald().platform().pool();
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
                  .put("settings", new JsonObject().put("default_region", "FR")));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    }
    alpha = client.login("alpha-admin", "password-alpha");
    beta = client.login("beta-admin", "password-beta");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject create(String token, JsonObject contact) {
    HttpResponse<Buffer> created = client.post("/api/v1/contacts", token, contact);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static JsonObject group(String token, String name) {
    HttpResponse<Buffer> created =
        client.post("/api/v1/contact-groups", token, new JsonObject().put("name", name));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static List<String> events(String subjectId) {
    List<String> types = new ArrayList<>();
    pool.preparedQuery("SELECT type FROM events WHERE subject_id = $1 ORDER BY id")
        .execute(Tuple.of(UUID.fromString(subjectId)))
        .await()
        .forEach(row -> types.add(row.getString("type")));
    return types;
  }

  private static long count(String sql, Object... args) {
    Row row = pool.preparedQuery(sql).execute(Tuple.from(args)).await().iterator().next();
    return row.getLong(0);
  }

  private static List<String> ids(HttpResponse<Buffer> list) {
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    return list.bodyAsJsonObject().getJsonArray("data").stream()
        .map(c -> ((JsonObject) c).getString("id"))
        .toList();
  }

  @Test
  void aContactIsStoredInE164WithTheAccountsRegionAndEmitsEventsThroughItsLife() {
    JsonObject contact =
        create(
            alpha,
            new JsonObject()
                .put("phone_number", "06 12 34 56 78")
                .put("name", "Jean Dupont")
                .put("first_name", "Jean")
                .put("last_name", "Dupont")
                .put("email", "jean@example.com")
                .put("timezone", "Europe/Paris")
                .put("language", "fr")
                .put("custom_fields", new JsonObject().put("company", "Acme").put("vip", true)));
    assertThat(contact.getString("phone_number")).isEqualTo("+33612345678");
    assertThat(contact.getString("status")).isEqualTo("active");
    assertThat(contact.getJsonObject("custom_fields").getBoolean("vip")).isTrue();
    String id = contact.getString("id");

    HttpResponse<Buffer> patched =
        client.patch(
            "/api/v1/contacts/" + id,
            alpha,
            new JsonObject().put("status", "inactive").putNull("email"));
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    assertThat(patched.bodyAsJsonObject().getString("status")).isEqualTo("inactive");
    assertThat(patched.bodyAsJsonObject().getString("email")).isNull();
    assertThat(patched.bodyAsJsonObject().getString("name")).isEqualTo("Jean Dupont");

    assertThat(client.delete("/api/v1/contacts/" + id, alpha).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/v1/contacts/" + id, alpha).statusCode()).isEqualTo(404);
    assertThat(events(id)).containsExactly("contact.created", "contact.updated", "contact.deleted");
    assertThat(count("SELECT count(*) FROM audit_logs WHERE resource_id = $1", id)).isEqualTo(3);
  }

  @Test
  void aSecondContactWithTheSameNumberInAnyFormatIsAConflict() {
    create(alpha, new JsonObject().put("phone_number", "+33 6 11 11 11 11"));
    HttpResponse<Buffer> again =
        client.post("/api/v1/contacts", alpha, new JsonObject().put("phone_number", "0611111111"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("type")).endsWith("duplicate-contact");
    assertThat(again.getHeader("Content-Type")).startsWith("application/problem+json");
    // another account may hold the same number
    create(beta, new JsonObject().put("phone_number", "0611111111"));
  }

  @Test
  void invalidFieldsAreAllReportedAndNothingIsWritten() {
    long before = count("SELECT count(*) FROM contacts");
    HttpResponse<Buffer> bad =
        client.post(
            "/api/v1/contacts",
            alpha,
            new JsonObject()
                .put("phone_number", "12")
                .put("email", "not-an-email")
                .put("timezone", "Mars/Olympus")
                .put("language", "french!")
                .put("status", "sleeping")
                .put("custom_fields", new JsonObject().put("nested", new JsonObject()))
                .put("group_ids", new JsonArray().add(UUID.randomUUID().toString())));
    assertThat(bad.statusCode()).isEqualTo(422);
    List<String> fields =
        bad.bodyAsJsonObject().getJsonArray("errors").stream()
            .map(e -> ((JsonObject) e).getString("field"))
            .toList();
    assertThat(fields)
        .contains(
            "phone_number", "email", "timezone", "language", "status", "custom_fields.nested");
    HttpResponse<Buffer> unknownGroup =
        client.post(
            "/api/v1/contacts",
            alpha,
            new JsonObject()
                .put("phone_number", "+33699999999")
                .put("group_ids", new JsonArray().add(UUID.randomUUID().toString())));
    assertThat(unknownGroup.statusCode()).isEqualTo(422);
    assertThat(unknownGroup.bodyAsString()).contains("group_ids[0]");
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(before);
    assertThat(
            client
                .post("/api/v1/contacts", alpha, new JsonObject().put("phone", "+33699999999"))
                .statusCode())
        .isEqualTo(422);
    assertThat(client.get("/api/v1/contacts?status=gone", alpha).statusCode()).isEqualTo(400);
    assertThat(client.get("/api/v1/contacts?custom.a-b=1", alpha).statusCode()).isEqualTo(400);
    assertThat(client.get("/api/v1/contacts?created_after=yesterday", alpha).statusCode())
        .isEqualTo(400);
  }

  @Test
  void theListFiltersByGroupStatusTextCustomFieldAndCreationTimeAndPages() {
    JsonObject vip = group(alpha, "filters-vip");
    String g = vip.getString("id");
    JsonObject ann =
        create(
            alpha,
            new JsonObject()
                .put("phone_number", "+33620000001")
                .put("name", "Ann Filterson")
                .put("custom_fields", new JsonObject().put("company", "Globex"))
                .put("group_ids", new JsonArray().add(g)));
    JsonObject bob =
        create(
            alpha,
            new JsonObject()
                .put("phone_number", "+33620000002")
                .put("name", "Bob Filterson")
                .put("email", "bob@globex.example")
                .put("status", "inactive")
                .put("custom_fields", new JsonObject().put("company", "Initech")));
    assertThat(ann.getJsonArray("group_ids").getList()).containsExactly(g);
    assertThat(ids(client.get("/api/v1/contacts?group_id=" + g, alpha)))
        .containsExactly(ann.getString("id"));
    assertThat(ids(client.get("/api/v1/contacts?q=filterson&status=inactive", alpha)))
        .containsExactly(bob.getString("id"));
    assertThat(ids(client.get("/api/v1/contacts?q=GLOBEX", alpha)))
        .containsExactly(bob.getString("id"));
    assertThat(ids(client.get("/api/v1/contacts?q=%2B3362000000", alpha))).hasSize(2);
    assertThat(ids(client.get("/api/v1/contacts?custom.company=Globex", alpha)))
        .containsExactly(ann.getString("id"));
    assertThat(ids(client.get("/api/v1/contacts?q=50%25", alpha))).isEmpty();
    String after = ann.getString("created_at");
    assertThat(
            ids(
                client.get(
                    "/api/v1/contacts?q=filterson&created_before=" + after.replace("+", "%2B"),
                    alpha)))
        .isEmpty();
    HttpResponse<Buffer> first = client.get("/api/v1/contacts?q=filterson&limit=1", alpha);
    assertThat(ids(first)).containsExactly(bob.getString("id"));
    String cursor = first.bodyAsJsonObject().getString("next_cursor");
    HttpResponse<Buffer> second =
        client.get("/api/v1/contacts?q=filterson&limit=1&cursor=" + cursor, alpha);
    assertThat(ids(second)).containsExactly(ann.getString("id"));
    assertThat(second.bodyAsJsonObject().getString("next_cursor")).isNull();
    // the beta account sees none of them
    assertThat(ids(client.get("/api/v1/contacts?q=filterson", beta))).isEmpty();
  }

  @Test
  void groupMembershipReplacesOnPatchAndCountsFollowDeletes() {
    String a = group(alpha, "patch-a").getString("id");
    String b = group(alpha, "patch-b").getString("id");
    JsonObject c =
        create(
            alpha,
            new JsonObject()
                .put("phone_number", "+33630000001")
                .put("group_ids", new JsonArray().add(a)));
    String id = c.getString("id");
    HttpResponse<Buffer> moved =
        client.patch(
            "/api/v1/contacts/" + id,
            alpha,
            new JsonObject().put("group_ids", new JsonArray().add(b)));
    assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
    assertThat(moved.bodyAsJsonObject().getJsonArray("group_ids").getList()).containsExactly(b);
    assertThat(memberCount(a)).isZero();
    assertThat(memberCount(b)).isEqualTo(1);
    assertThat(client.delete("/api/v1/contacts/" + id, alpha).statusCode()).isEqualTo(204);
    assertThat(memberCount(b)).isZero();
  }

  private static long memberCount(String groupId) {
    HttpResponse<Buffer> got = client.get("/api/v1/contact-groups/" + groupId, alpha);
    assertThat(got.statusCode()).as(got.bodyAsString()).isEqualTo(200);
    return got.bodyAsJsonObject().getLong("member_count");
  }

  @Test
  void aHundredThousandContactsAreAddedAndRemovedInOneCallWithExactCounts() {
    pool.preparedQuery(
            "INSERT INTO contacts (id, account_id, phone_number)"
                + " SELECT gen_random_uuid(), a.id, '+336' || lpad(i::text, 8, '0')"
                + " FROM accounts a, generate_series(50000000, 50099999) AS i WHERE a.name = 'alpha'")
        .execute()
        .await();
    JsonArray ids = new JsonArray();
    pool.query(
            "SELECT c.id FROM contacts c JOIN accounts a ON a.id = c.account_id"
                + " WHERE a.name = 'alpha' AND c.phone_number LIKE '+3365%' ORDER BY c.id")
        .execute()
        .await()
        .forEach(row -> ids.add(row.getUUID("id").toString()));
    assertThat(ids.size()).isEqualTo(100_000);
    String g = group(alpha, "bulk").getString("id");

    JsonArray firstHalf = new JsonArray(new ArrayList<>(ids.getList().subList(0, 50_000)));
    HttpResponse<Buffer> half =
        client.post(
            "/api/v1/contact-groups/" + g + "/contacts/add",
            alpha,
            new JsonObject().put("contact_ids", firstHalf));
    assertThat(half.statusCode()).as(half.bodyAsString()).isEqualTo(200);
    assertThat(half.bodyAsJsonObject().getInteger("added")).isEqualTo(50_000);

    HttpResponse<Buffer> all =
        client.post(
            "/api/v1/contact-groups/" + g + "/contacts/add",
            alpha,
            new JsonObject().put("contact_ids", ids));
    assertThat(all.statusCode()).as(all.bodyAsString()).isEqualTo(200);
    JsonObject result = all.bodyAsJsonObject();
    assertThat(result.getInteger("requested")).isEqualTo(100_000);
    assertThat(result.getInteger("added")).isEqualTo(50_000);
    assertThat(result.getInteger("already_members")).isEqualTo(50_000);
    assertThat(result.getLong("member_count")).isEqualTo(100_000);
    assertThat(memberCount(g)).isEqualTo(100_000);

    JsonArray some = new JsonArray(new ArrayList<>(ids.getList().subList(0, 10)));
    HttpResponse<Buffer> removed =
        client.post(
            "/api/v1/contact-groups/" + g + "/contacts/remove",
            alpha,
            new JsonObject().put("contact_ids", some.copy().add(some.getString(0))));
    assertThat(removed.statusCode()).as(removed.bodyAsString()).isEqualTo(200);
    assertThat(removed.bodyAsJsonObject().getInteger("removed")).isEqualTo(10);
    assertThat(memberCount(g)).isEqualTo(99_990);
    assertThat(
            count(
                "SELECT count(*) FROM contact_group_members WHERE group_id = $1",
                UUID.fromString(g)))
        .isEqualTo(99_990);

    HttpResponse<Buffer> page =
        client.get("/api/v1/contact-groups/" + g + "/contacts?limit=200", alpha);
    assertThat(ids(page)).hasSize(200);
    assertThat(page.bodyAsJsonObject().getString("next_cursor")).isNotNull();
  }

  @Test
  void unknownOrForeignIdsChangeNothingAndAreNamed() {
    String g = group(alpha, "strict").getString("id");
    String mine =
        create(alpha, new JsonObject().put("phone_number", "+33640000001")).getString("id");
    String theirs =
        create(beta, new JsonObject().put("phone_number", "+33640000002")).getString("id");
    HttpResponse<Buffer> mixed =
        client.post(
            "/api/v1/contact-groups/" + g + "/contacts/add",
            alpha,
            new JsonObject().put("contact_ids", new JsonArray().add(mine).add(theirs).add("nope")));
    assertThat(mixed.statusCode()).isEqualTo(422);
    assertThat(mixed.bodyAsString()).contains("nope");
    HttpResponse<Buffer> foreign =
        client.post(
            "/api/v1/contact-groups/" + g + "/contacts/add",
            alpha,
            new JsonObject().put("contact_ids", new JsonArray().add(mine).add(theirs)));
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(foreign.bodyAsString()).contains(theirs).doesNotContain(mine);
    assertThat(memberCount(g)).isZero();
    assertThat(
            client
                .post(
                    "/api/v1/contact-groups/" + g + "/contacts/add",
                    alpha,
                    new JsonObject().put("contact_ids", "x"))
                .statusCode())
        .isEqualTo(422);
  }

  @Test
  void anotherAccountsContactOrGroupAnswers404OnEveryRoute() {
    String contact =
        create(alpha, new JsonObject().put("phone_number", "+33680000001")).getString("id");
    String g = group(alpha, "private").getString("id");
    JsonObject patch = new JsonObject().put("name", "x");
    assertThat(client.get("/api/v1/contacts/" + contact, beta).statusCode()).isEqualTo(404);
    assertThat(client.patch("/api/v1/contacts/" + contact, beta, patch).statusCode())
        .isEqualTo(404);
    assertThat(client.delete("/api/v1/contacts/" + contact, beta).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/contact-groups/" + g, beta).statusCode()).isEqualTo(404);
    assertThat(client.patch("/api/v1/contact-groups/" + g, beta, patch).statusCode())
        .isEqualTo(404);
    assertThat(client.get("/api/v1/contact-groups/" + g + "/contacts", beta).statusCode())
        .isEqualTo(404);
    JsonObject ids = new JsonObject().put("contact_ids", new JsonArray().add(contact));
    assertThat(client.post("/api/v1/contact-groups/" + g + "/contacts/add", beta, ids).statusCode())
        .isEqualTo(404);
    assertThat(
            client.post("/api/v1/contact-groups/" + g + "/contacts/remove", beta, ids).statusCode())
        .isEqualTo(404);
    assertThat(client.delete("/api/v1/contact-groups/" + g, beta).statusCode()).isEqualTo(404);
    assertThat(client.get("/api/v1/contacts/" + contact, alpha).statusCode()).isEqualTo(200);
    assertThat(client.get("/api/v1/contact-groups/" + g, alpha).statusCode()).isEqualTo(200);
    assertThat(client.get("/api/v1/contacts/not-an-id", alpha).statusCode()).isEqualTo(404);
  }

  @Test
  void groupsHaveUniqueNamesAndDeletingOneKeepsItsContacts() {
    JsonObject g = group(alpha, "Newsletter");
    HttpResponse<Buffer> again =
        client.post("/api/v1/contact-groups", alpha, new JsonObject().put("name", "Newsletter"));
    assertThat(again.statusCode()).isEqualTo(409);
    String contact =
        create(
                alpha,
                new JsonObject()
                    .put("phone_number", "+33660000001")
                    .put("group_ids", new JsonArray().add(g.getString("id"))))
            .getString("id");
    HttpResponse<Buffer> renamed =
        client.patch(
            "/api/v1/contact-groups/" + g.getString("id"),
            alpha,
            new JsonObject().put("name", "Weekly news").put("description", "every Monday"));
    assertThat(renamed.statusCode()).as(renamed.bodyAsString()).isEqualTo(200);
    assertThat(renamed.bodyAsJsonObject().getLong("member_count")).isEqualTo(1);
    assertThat(client.delete("/api/v1/contact-groups/" + g.getString("id"), alpha).statusCode())
        .isEqualTo(204);
    HttpResponse<Buffer> still = client.get("/api/v1/contacts/" + contact, alpha);
    assertThat(still.statusCode()).isEqualTo(200);
    assertThat(still.bodyAsJsonObject().getJsonArray("group_ids")).isEmpty();
  }

  @Test
  void theExportStreamsMatchingContactsWithCustomFieldsAsColumns() {
    String g = group(alpha, "export").getString("id");
    create(
        alpha,
        new JsonObject()
            .put("phone_number", "+33670000001")
            .put("name", "Dupont, Jean")
            .put("custom_fields", new JsonObject().put("company", "Acme").put("email", "x@y.z"))
            .put("group_ids", new JsonArray().add(g)));
    create(
        alpha,
        new JsonObject()
            .put("phone_number", "+33670000002")
            .put("name", "=cmd()")
            .put("custom_fields", new JsonObject().put("city", "Lyon"))
            .put("group_ids", new JsonArray().add(g)));
    create(alpha, new JsonObject().put("phone_number", "+33670000003").put("name", "outsider"));
    HttpResponse<Buffer> csv =
        client.get("/api/v1/contacts/export?format=csv&group_id=" + g, alpha);
    assertThat(csv.statusCode()).as(csv.bodyAsString()).isEqualTo(200);
    assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
    String[] lines = csv.bodyAsString().split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0])
        .isEqualTo(
            "id,phone_number,name,first_name,last_name,email,status,timezone,language,"
                + "group_ids,created_at,updated_at,city,company,custom.email");
    assertThat(lines[1]).contains("+33670000002,'=cmd(),").endsWith(",Lyon,,");
    assertThat(lines[2]).contains("+33670000001,\"Dupont, Jean\",").endsWith(",,Acme,x@y.z");
    assertThat(client.get("/api/v1/contacts/export?format=xml", alpha).statusCode()).isEqualTo(400);
    assertThat(
            client.get("/api/v1/contacts/export?group_id=" + g, beta).bodyAsString().split("\r\n"))
        .hasSize(1);
  }

  @Test
  void concurrentOverlappingAddsAndRemovesKeepTheCountExact() throws Exception {
    pool.preparedQuery(
            "INSERT INTO contacts (id, account_id, phone_number)"
                + " SELECT gen_random_uuid(), a.id, '+336' || lpad(i::text, 8, '0')"
                + " FROM accounts a, generate_series(51000000, 51001999) AS i WHERE a.name = 'alpha'")
        .execute()
        .await();
    List<String> ids = new ArrayList<>();
    pool.query(
            "SELECT c.id FROM contacts c JOIN accounts a ON a.id = c.account_id"
                + " WHERE a.name = 'alpha' AND c.phone_number LIKE '+3365100%' ORDER BY c.id")
        .execute()
        .await()
        .forEach(row -> ids.add(row.getUUID("id").toString()));
    assertThat(ids).hasSize(2000);
    String g = group(alpha, "concurrent").getString("id");
    var first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> change(g, "add", ids.subList(0, 1500)));
    var second =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> change(g, "add", ids.subList(500, 2000)));
    int added = first.get().getInteger("added") + second.get().getInteger("added");
    assertThat(added).isEqualTo(2000);
    assertThat(memberCount(g)).isEqualTo(2000);

    var removeSome =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> change(g, "remove", ids.subList(0, 1000)));
    var removeOverlap =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> change(g, "remove", ids.subList(800, 1200)));
    int removed =
        removeSome.get().getInteger("removed") + removeOverlap.get().getInteger("removed");
    assertThat(removed).isEqualTo(1200);
    assertThat(memberCount(g)).isEqualTo(800);
    assertThat(
            count(
                "SELECT count(*) FROM contact_group_members WHERE group_id = $1",
                UUID.fromString(g)))
        .isEqualTo(800);
  }

  private static JsonObject change(String groupId, String action, List<String> ids) {
    HttpResponse<Buffer> response =
        client.post(
            "/api/v1/contact-groups/" + groupId + "/contacts/" + action,
            alpha,
            new JsonObject().put("contact_ids", new JsonArray(new ArrayList<>(ids))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  void membershipChangesEmitOneEventWithTheCountNotTheIds() {
    String groupId = group(alpha, "Counted").getString("id");
    JsonArray ids = new JsonArray();
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> created =
          client.post(
              "/api/v1/contacts", alpha, new JsonObject().put("phone_number", "+3361299100" + i));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      ids.add(created.bodyAsJsonObject().getString("id"));
    }
    String path = "/api/v1/contact-groups/" + groupId + "/contacts/";
    assertThat(
            client.post(path + "add", alpha, new JsonObject().put("contact_ids", ids)).statusCode())
        .isEqualTo(200);
    assertThat(
            client.post(path + "add", alpha, new JsonObject().put("contact_ids", ids)).statusCode())
        .isEqualTo(200); // already members: no event
    JsonArray two = new JsonArray().add(ids.getString(0)).add(ids.getString(1));
    assertThat(
            client
                .post(path + "remove", alpha, new JsonObject().put("contact_ids", two))
                .statusCode())
        .isEqualTo(200);
    List<JsonObject> added = eventData("contact_group.members_added", groupId);
    assertThat(added).hasSize(1);
    assertThat(added.get(0).getMap())
        .containsEntry("group_id", groupId)
        .containsEntry("count", 3)
        .containsEntry("member_count", 3)
        .containsEntry("source", "api");
    List<JsonObject> removed = eventData("contact_group.members_removed", groupId);
    assertThat(removed).hasSize(1);
    assertThat(removed.get(0).getInteger("count")).isEqualTo(2);
    assertThat(removed.get(0).getInteger("member_count")).isEqualTo(1);
  }

  private static List<JsonObject> eventData(String type, String subjectId) {
    List<JsonObject> out = new ArrayList<>();
    pool.preparedQuery("SELECT data FROM events WHERE type = $1 AND subject_id = $2 ORDER BY id")
        .execute(Tuple.of(type, UUID.fromString(subjectId)))
        .await()
        .forEach(row -> out.add(row.getJsonObject("data")));
    return out;
  }
}
