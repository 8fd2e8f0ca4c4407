package herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import herald.event.EventQueue;
import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import herald.testing.Await;
import herald.testing.TestClient;
import herald.testing.TestHerald;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook dispatcher as a consumer of the event queue: woken by every commit that writes events
 * (its safety sweep is set to 10 minutes here, so nothing in this class can arrive through it), an
 * endpoint never gets events written before it existed, and another consumer's queue is its own.
 */
class WebhookEventQueueTest {
  private static final Duration WELL_BEFORE_THE_SWEEP = Duration.ofSeconds(20);

  private static TestHerald herald;
  private static TestClient client;
  private static String admin;
  private static Pool pool;

  @BeforeAll
  static void start() {
    herald =
        TestHerald.start(
            new JsonObject()
                .put(
                    "webhooks",
                    new JsonObject()
                        .put("fan_out_sweep_ms", 600_000)
                        .put("dispatcher_instances", 2)));
    client = herald.client();
    admin = client.loginAdmin();
    pool = herald.herald().platform().pool();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static JsonObject endpoint(TestReceiver receiver, String events) {
    HttpResponse<Buffer> created =
        client.post(
            "/api/v1/webhooks",
            admin,
            new JsonObject()
                .put("name", "queue test")
                .put("url", receiver.url())
                .put("events", new JsonArray().add(events)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static JsonObject contact(String phone) {
    HttpResponse<Buffer> created =
        client.post("/api/v1/contacts", admin, new JsonObject().put("phone_number", phone));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static List<Row> query(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(WebhookEventQueueTest::toList).await();
  }

  private static List<Row> toList(Iterable<Row> rows) {
    List<Row> out = new java.util.ArrayList<>();
    rows.forEach(out::add);
    return out;
  }

  /**
   * Verifies that an event committed through the API reaches its endpoint although no sweep runs in
   * this test's lifetime: the commit's {@code events.appended} wakes the fan-out.
   */
  @Test
  void anEventCommittedIsDeliveredWithoutWaitingForASweep() {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      endpoint(receiver, "contact.created");
      String id = contact("+14155550181").getString("id");

      Await.until(
          "contact.created delivered by the wake-up",
          WELL_BEFORE_THE_SWEEP,
          () ->
              receiver.received().stream()
                  .anyMatch(
                      r ->
                          new JsonObject(r.body())
                              .getJsonObject("data")
                              .getString("id")
                              .equals(id)));
    }
  }

  /**
   * Verifies that an event written before an endpoint was created is not delivered to it, even when
   * the fan-out only reaches the event after the endpoint exists, while an event written after the
   * endpoint in the same batch is.
   */
  @Test
  void anEventOlderThanTheEndpointIsNotDeliveredToIt() {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      JsonObject created = endpoint(receiver, "contact.updated");
      UUID accountId =
          query(
                  "SELECT account_id FROM webhook_endpoints WHERE id = $1",
                  Tuple.of(UUID.fromString(created.getString("id"))))
              .get(0)
              .getUUID("account_id");
      UUID before = UUID.randomUUID();
      UUID after = UUID.randomUUID();
      // Queued as the outbox queues them, but one of them dated before the endpoint: as an event
      // committed before the endpoint and fanned out late (a dispatcher that was down) would be.
      pool.withTransaction(
              tx ->
                  tx.preparedQuery(
                          "WITH appended AS (INSERT INTO events (id, account_id, type, subject_id,"
                              + " data, created_at) VALUES"
                              + " ($1::uuid, $3::uuid, 'contact.updated', $1::uuid,"
                              + "  jsonb_build_object('id', $1::uuid), now() - interval '1 hour'),"
                              + " ($2::uuid, $3::uuid, 'contact.updated', $2::uuid,"
                              + "  jsonb_build_object('id', $2::uuid), now()) RETURNING id)"
                              + " INSERT INTO event_queue (consumer, event_id)"
                              + " SELECT 'webhooks', id FROM appended")
                      .execute(Tuple.of(before, after, accountId)))
          .await();
      herald.vertx().eventBus().publish(Addresses.EVENTS_APPENDED, null);

      Await.until(
          "the newer event delivered",
          WELL_BEFORE_THE_SWEEP,
          () -> receiver.received().stream().anyMatch(r -> r.body().contains(after.toString())));
      assertThat(receiver.received()).noneMatch(r -> r.body().contains(before.toString()));
      assertThat(query("SELECT 1 FROM webhook_deliveries WHERE event_id = $1", Tuple.of(before)))
          .isEmpty();
      assertThat(query("SELECT 1 FROM event_queue WHERE event_id = $1", Tuple.of(before)))
          .as("fanned out (to no endpoint), not left waiting")
          .isEmpty();
    }
  }

  /**
   * Verifies that the fan-out makes no more deliveries already leased than the endpoint's pump has
   * room for: the rest are made due, for the pump to claim as it drains (leasing them too would
   * have the pump give them back, one more write each), and the due ones are delivered.
   */
  @Test
  void theFanOutLeasesNoMoreThanThePumpHasRoomFor() {
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      UUID endpointId =
          UUID.fromString(endpoint(receiver, "contacts.import_failed").getString("id"));
      UUID accountId =
          query("SELECT account_id FROM webhook_endpoints WHERE id = $1", Tuple.of(endpointId))
              .get(0)
              .getUUID("account_id");
      Await.until(
          "nothing else queued for the webhooks",
          WELL_BEFORE_THE_SWEEP,
          () -> query("SELECT 1 FROM event_queue WHERE consumer = 'webhooks'", Tuple.tuple()),
          List::isEmpty);
      // Queued as the outbox queues them, but without the wake-up, so only this test fans out.
      query(
          "WITH appended AS (INSERT INTO events (id, account_id, type, subject_id, data)"
              + " SELECT gen_random_uuid(), $1, 'contacts.import_failed', NULL, '{}'::jsonb"
              + " FROM generate_series(1, 20) RETURNING id)"
              + " INSERT INTO event_queue (consumer, event_id) SELECT 'webhooks', id FROM appended",
          Tuple.of(accountId));

      DeliveryStore.FanOut fanOut =
          new DeliveryStore(pool)
              .fanOut(100, EndpointPump.LEASE_MARGIN_SECONDS, java.util.Map.of(endpointId, 5))
              .await();

      assertThat(fanOut.events()).isEqualTo(20);
      assertThat(fanOut.leased().get(endpointId)).hasSize(5);
      assertThat(fanOut.due()).contains(endpointId);
      assertThat(
              query(
                  "SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1", Tuple.of(endpointId)))
          .hasSize(20);
      Await.until(
          "the 15 made due delivered by the endpoint's pump",
          WELL_BEFORE_THE_SWEEP,
          () -> receiver.received().size(),
          n -> n >= 15);
    }
  }

  /**
   * Verifies that a second consumer registered in {@code event_consumers} gets its own queue row
   * for every event (outbox and message-store writers alike), which the webhook fan-out does not
   * take, and that it takes its rows only when its own transaction commits.
   */
  @Test
  void aSecondConsumerHasItsOwnQueue() {
    query("INSERT INTO event_consumers (name) VALUES ('test-relay')", Tuple.tuple());
    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      endpoint(receiver, "contact.deleted");
      String id = contact("+14155550182").getString("id");
      HttpResponse<Buffer> deleted = client.delete("/api/v1/contacts/" + id, admin);
      assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
      Await.until(
          "contact.deleted delivered to the webhook",
          WELL_BEFORE_THE_SWEEP,
          () -> receiver.received().stream().anyMatch(r -> r.body().contains(id)));

      List<String> relayTypes =
          query(
                  "SELECT e.type FROM event_queue q JOIN events e ON e.id = q.event_id"
                      + " WHERE q.consumer = 'test-relay' AND e.subject_id = $1 ORDER BY e.id",
                  Tuple.of(UUID.fromString(id)))
              .stream()
              .map(r -> r.getString("type"))
              .toList();
      assertThat(relayTypes)
          .as("the webhook fan-out took only its own rows")
          .containsExactly(EventType.CONTACT_CREATED.type(), EventType.CONTACT_DELETED.type());

      // a rolled-back take leaves the rows queued
      pool.withConnection(
              conn ->
                  conn.begin()
                      .compose(
                          tx ->
                              EventQueue.take(conn, "test-relay", 1000)
                                  .compose(taken -> tx.rollback().map(taken))))
          .await();
      List<EventQueue.Event> taken =
          pool.withTransaction(tx -> EventQueue.take(tx, "test-relay", 1000)).await();
      assertThat(taken)
          .filteredOn(e -> e.subjectId() != null && e.subjectId().toString().equals(id))
          .extracting(EventQueue.Event::type)
          .containsExactly(EventType.CONTACT_CREATED.type(), EventType.CONTACT_DELETED.type());
      assertThat(query("SELECT 1 FROM event_queue WHERE consumer = 'test-relay'", Tuple.tuple()))
          .isEmpty();

      // message events are written by the message store's own statement: queued for both as well
      HttpResponse<Buffer> sent =
          client.post(
              "/api/v1/messages",
              admin,
              new JsonObject().put("to", "+14155550183").put("body", "relay"));
      assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
      Await.until(
          "message.queued in the relay's queue",
          WELL_BEFORE_THE_SWEEP,
          () ->
              !query(
                      "SELECT 1 FROM event_queue q JOIN events e ON e.id = q.event_id"
                          + " WHERE q.consumer = 'test-relay' AND e.type = 'message.queued'",
                      Tuple.tuple())
                  .isEmpty());
    } finally {
      query("DELETE FROM event_queue WHERE consumer = 'test-relay'", Tuple.tuple());
      query("DELETE FROM event_consumers WHERE name = 'test-relay'", Tuple.tuple());
    }
  }

  /**
   * Verifies that the webhook consumer queues only the events of accounts that created an endpoint
   * (an account without one writes no queue rows for it), from its first endpoint on.
   */
  @Test
  void theWebhookQueueTakesOnlyAccountsThatHaveAnEndpoint() {
    HttpResponse<Buffer> account =
        client.post(
            "/api/v1/accounts",
            admin,
            new JsonObject()
                .put("name", "no endpoints yet")
                .put("admin_username", "queue-scope")
                .put("admin_password", "password-queue-scope"));
    assertThat(account.statusCode()).as(account.bodyAsString()).isEqualTo(201);
    String tenant = client.login("queue-scope", "password-queue-scope");
    String sql =
        "SELECT count(*) AS n FROM event_queue q JOIN events e ON e.id = q.event_id"
            + " WHERE q.consumer = $1 AND e.account_id = (SELECT account_id FROM users"
            + " WHERE username = 'queue-scope')";
    HttpResponse<Buffer> first =
        client.post(
            "/api/v1/contacts", tenant, new JsonObject().put("phone_number", "+14155550191"));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    assertThat(query(sql, Tuple.of(EventQueue.WEBHOOKS)).get(0).getLong("n"))
        .as("queued for webhooks before the account had an endpoint")
        .isZero();

    try (TestReceiver receiver = TestReceiver.start(herald.vertx())) {
      HttpResponse<Buffer> created =
          client.post(
              "/api/v1/webhooks",
              tenant,
              new JsonObject()
                  .put("name", "scope")
                  .put("url", receiver.url())
                  .put("events", new JsonArray().add("contact.created")));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      HttpResponse<Buffer> second =
          client.post(
              "/api/v1/contacts", tenant, new JsonObject().put("phone_number", "+14155550192"));
      assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(201);
      Await.until(
          "the tenant's contact.created delivered",
          WELL_BEFORE_THE_SWEEP,
          () -> receiver.received().size(),
          n -> n >= 1);
    }
  }

  /**
   * Verifies that a commit's wake-up says whether it queued events for any consumer: events of an
   * account no consumer takes wake the dispatchers with {@code false}, so they run no fan-out for
   * them (every message of an account without webhook endpoints would otherwise cost each
   * dispatcher a transaction), and once the webhook consumer takes the account the wake-up says
   * {@code true}.
   */
  private static void appendAnEvent(UUID account) {
    pool.withTransaction(
            tx ->
                Outbox.append(
                    tx, account, EventType.CONTACT_CREATED, Ids.newId(), new JsonObject()))
        .await();
  }

  @Test
  void aWakeUpSaysWhetherAConsumerHasEventsWaiting() {
    UUID account = Ids.newId();
    List<Object> wakes = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> listener =
        herald
            .vertx()
            .eventBus()
            .localConsumer(Addresses.EVENTS_APPENDED, message -> wakes.add(message.body()));
    try {
      appendAnEvent(account);
      Await.until(
          "a wake-up saying nothing was queued",
          WELL_BEFORE_THE_SWEEP,
          () -> wakes.contains(false));

      pool.withTransaction(tx -> Outbox.subscribe(tx, EventQueue.WEBHOOKS, account)).await();
      appendAnEvent(account);
      Await.until(
          "a wake-up saying events were queued", WELL_BEFORE_THE_SWEEP, () -> wakes.contains(true));
    } finally {
      listener.unregister().await();
      query("DELETE FROM event_consumer_accounts WHERE account_id = $1", Tuple.of(account));
    }
  }
}
