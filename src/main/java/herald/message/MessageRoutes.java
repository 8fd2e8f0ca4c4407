package herald.message;

import herald.channel.ContentFormat;
import herald.channel.registry.Channels;
import herald.platform.bus.Addresses;
import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.IdempotencyStore;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.platform.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/messages}: send one message or up to {@value #MAX_BATCH} at once (committed in one
 * transaction before the 202), read them with their status history, list and export them, dry-run a
 * send, and cancel one that has not left yet.
 */
public final class MessageRoutes {
  public static final int MAX_BATCH = 10_000;

  private final Vertx vertx;
  private final Pool pool;
  private final MessageStore messages;
  private final MessageIntake intake;
  private final MessageService service;
  private final IdempotencyStore idempotency;
  private final IntakeCommitter committer;

  public MessageRoutes(Vertx vertx, Pool pool, herald.platform.metrics.Metrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.messages = new MessageStore(pool);
    this.intake = new MessageIntake(pool);
    this.service = new MessageService(pool, messages);
    this.idempotency = new IdempotencyStore(pool);
    this.committer = new IntakeCommitter(pool, metrics);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.post("/").handler(bodies.bulk());
    router.post("/test").handler(bodies.bulk());
    router.route().handler(bodies.standard());
    router.post("/").handler(Scoped.require("messages:send")).handler(this::send);
    router.post("/test").handler(Scoped.require("messages:send")).respond(this::dryRun);
    router.get("/").handler(Scoped.require("messages:read")).respond(this::list);
    router
        .get("/export")
        .handler(Scoped.require("messages:read"))
        .handler(new MessageExport(pool)::handle);
    router.get("/stats").handler(Scoped.require("messages:read")).respond(this::stats);
    router.get("/:id").handler(Scoped.require("messages:read")).respond(this::get);
    router.delete("/:id").handler(Scoped.require("messages:send")).respond(this::cancel);
    return router;
  }

  private void send(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    String key = IdempotencyStore.key(ctx);
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    // Only a request with an Idempotency-Key is ever compared with another one.
    byte[] hash = key == null ? null : IdempotencyStore.hash(raw);
    List<Object> items = MessageIntake.items(ctx, raw);
    Future<IdempotencyStore.Stored> previous =
        key == null ? Future.succeededFuture() : idempotency.find(principal.accountId(), key);
    previous
        .compose(
            stored ->
                stored != null
                    ? Future.succeededFuture(IdempotencyStore.replay(stored, hash))
                    : intake
                        .check(principal.accountId(), items)
                        .compose(checked -> commit(principal, key, hash, checked)))
        .onSuccess(
            result ->
                ctx.response()
                    .setStatusCode(result.status())
                    .putHeader("Content-Type", "application/json")
                    .end(result.response().encode()))
        .onFailure(
            err -> {
              if (key != null && Rows.isUniqueViolation(err)) {
                // A concurrent request with the same key committed first: answer what it answered.
                idempotency
                    .find(principal.accountId(), key)
                    .onSuccess(
                        stored ->
                            ctx.response()
                                .setStatusCode(IdempotencyStore.replay(stored, hash).status())
                                .putHeader("Content-Type", "application/json")
                                .end(stored.response().encode()))
                    .onFailure(ctx::fail);
              } else {
                ctx.fail(err);
              }
            });
  }

  /**
   * Sends one message (an item as {@code POST /api/v1/messages} takes it) for {@code principal}'s
   * account without an idempotency key; answers that endpoint's 202 body, or fails with its 422
   * when the message is refused.
   */
  public Future<JsonObject> sendOne(Principal principal, JsonObject item) {
    return intake
        .check(principal.accountId(), List.of(item))
        .compose(checked -> commit(principal, null, null, checked))
        .map(IdempotencyStore.Stored::response);
  }

  private Future<IdempotencyStore.Stored> commit(
      Principal principal, String key, byte[] hash, MessageIntake.Checked checked) {
    if (checked.accepted().isEmpty()) {
      List<FieldError> errors =
          checked.errors().stream()
              .map(
                  e ->
                      new FieldError(
                          "[" + e.index() + "]" + (e.field().isEmpty() ? "" : "." + e.field()),
                          e.code(),
                          e.detail()))
              .toList();
      return Future.failedFuture(ApiException.validation(errors));
    }
    JsonArray data = new JsonArray();
    for (MessageStore.NewMessage m : checked.accepted()) {
      data.add(
          new JsonObject()
              .put("id", m.id().toString())
              .put("status", "queued")
              .put("to", m.to())
              .put("segments", m.segments())
              .put("encoding", m.encoding())
              .put("sender_id", m.senderId().toString()));
    }
    JsonArray errors = new JsonArray();
    checked.errors().forEach(e -> errors.add(e.toJson()));
    JsonObject response =
        new JsonObject()
            .put("data", data)
            .put("accepted", checked.accepted().size())
            .put("rejected", checked.errors().size())
            .put("errors", errors);
    return committer
        .commit(
            principal.accountId(),
            checked.accepted(),
            channels(checked.senders()),
            key,
            hash,
            response)
        .map(
            v -> {
              checked
                  .senders()
                  .keySet()
                  .forEach(
                      id -> vertx.eventBus().publish(Addresses.MESSAGES_QUEUED, id.toString()));
              return new IdempotencyStore.Stored(hash, 202, response);
            });
  }

  private Future<JsonObject> dryRun(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    List<Object> items = MessageIntake.items(ctx, ctx.body().buffer());
    return intake
        .check(principal.accountId(), items)
        .map(
            checked -> {
              JsonArray data = new JsonArray();
              for (int i = 0; i < checked.accepted().size(); i++) {
                MessageStore.NewMessage m = checked.accepted().get(i);
                data.add(
                    new JsonObject()
                        .put("to", m.to())
                        .put("from", m.from())
                        .put("body", m.body())
                        .put("content", m.content())
                        .put("encoding", m.encoding())
                        .put("segments", m.segments())
                        .put("parts", new JsonArray(parts(checked, m)))
                        .put("sender_id", m.senderId().toString())
                        .put("would_send", true));
              }
              JsonArray errors = new JsonArray();
              checked.errors().forEach(e -> errors.add(e.toJson()));
              return new JsonObject()
                  .put("data", data)
                  .put("accepted", data.size())
                  .put("rejected", errors.size())
                  .put("errors", errors)
                  .put("simulated", true);
            });
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    UUID id = Requests.pathId(ctx, "id", "Message");
    return messages
        .get(accountId, id)
        .compose(
            message -> {
              Responses.found(message, "Message");
              return messages
                  .history(accountId, id)
                  .map(history -> message.toJson().put("history", new JsonArray(history)));
            });
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    MessageStore.Filter filter = filter(ctx);
    return messages
        .list(Requests.principal(ctx).accountId(), filter, page)
        .map(rows -> page.page(rows, Message::id, Message::toJson));
  }

  private Future<JsonObject> stats(RoutingContext ctx) {
    MessageStore.Filter filter = filter(ctx);
    return messages.countByStatus(Requests.principal(ctx).accountId(), filter);
  }

  /** The list and export filters from the query string. */
  static MessageStore.Filter filter(RoutingContext ctx) {
    QueryParams q = new QueryParams(ctx);
    MessageStore.Filter filter =
        new MessageStore.Filter(
            q.string("status", 20),
            q.string("channel", 20),
            q.uuid("sender_id"),
            q.string("to", 32),
            q.uuid("campaign_id"),
            q.instant("created_after"),
            q.instant("created_before"),
            q.string("direction", 10));
    q.check();
    return filter;
  }

  private Future<JsonObject> cancel(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    UUID id = Requests.pathId(ctx, "id", "Message");
    return service.cancel(accountId, id).map(Message::toJson);
  }

  /** The parts a message is sent in, as its channel splits it. */
  private static List<String> parts(MessageIntake.Checked checked, MessageStore.NewMessage m) {
    ContentFormat format = Channels.contentFormat(checked.senders().get(m.senderId()).channel());
    return format.parts(
        new ContentFormat.Prepared(m.body(), m.content(), m.encoding(), m.segments(), false));
  }

  /** Each sender's channel, for counting what was queued. */
  private static java.util.Map<UUID, String> channels(
      java.util.Map<UUID, herald.sender.Sender> senders) {
    java.util.Map<UUID, String> channels = new java.util.HashMap<>();
    senders.forEach((id, sender) -> channels.put(id, sender.channel()));
    return channels;
  }
}
