package herald.message;

import herald.account.AccountStore;
import herald.auth.Principal;
import herald.platform.Addresses;
import herald.platform.Ids;
import herald.platform.database.Rows;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.IdempotencyStore;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final SenderStore senders;
  private final AccountStore accounts;
  private final IdempotencyStore idempotency;

  public MessageRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
    this.messages = new MessageStore(pool);
    this.senders = new SenderStore(pool);
    this.accounts = new AccountStore(pool);
    this.idempotency = new IdempotencyStore(pool);
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.post("/").handler(Scoped.require("messages:send")).handler(this::send);
    router.post("/test").handler(Scoped.require("messages:send")).respond(this::dryRun);
    router.get("/").handler(Scoped.require("messages:read")).respond(this::list);
    router
        .get("/export")
        .handler(Scoped.require("messages:read"))
        .handler(new MessageExport(pool)::handle);
    router.get("/:id").handler(Scoped.require("messages:read")).respond(this::get);
    router.delete("/:id").handler(Scoped.require("messages:send")).respond(this::cancel);
    return router;
  }

  /** The validated items of a request, and the problems of the others. */
  private record Checked(
      List<MessageStore.NewMessage> accepted,
      List<SendRequest.Draft> drafts,
      Map<UUID, Sender> senders,
      List<SendRequest.ItemError> errors) {}

  private void send(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    String key = IdempotencyStore.key(ctx);
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    byte[] hash = IdempotencyStore.hash(raw);
    List<Object> items = items(ctx, raw);
    Future<IdempotencyStore.Stored> previous =
        key == null ? Future.succeededFuture() : idempotency.find(principal.accountId(), key);
    previous
        .compose(
            stored ->
                stored != null
                    ? Future.succeededFuture(IdempotencyStore.replay(stored, hash))
                    : check(principal.accountId(), items)
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

  private Future<IdempotencyStore.Stored> commit(
      Principal principal, String key, byte[] hash, Checked checked) {
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
              .put("encoding", m.encoding().wireName())
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
    return pool.withTransaction(
            tx ->
                MessageStore.insert(
                        tx,
                        principal.accountId(),
                        "outbound",
                        "queued",
                        checked.accepted(),
                        "message.queued")
                    .compose(
                        v ->
                            key == null
                                ? Future.succeededFuture()
                                : IdempotencyStore.save(
                                    tx, principal.accountId(), key, hash, 202, response)))
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

  /** Validates every item, resolves senders and the blacklist, and builds the rows to insert. */
  private Future<Checked> check(UUID accountId, List<Object> items) {
    return accounts
        .get(accountId)
        .compose(
            account -> {
              String region =
                  account == null ? null : account.settings().getString("default_region");
              List<SendRequest.Draft> drafts = new ArrayList<>();
              List<SendRequest.ItemError> errors = new ArrayList<>();
              for (int i = 0; i < items.size(); i++) {
                SendRequest.Result result = SendRequest.parse(i, items.get(i), region);
                if (result.error() != null) {
                  errors.add(result.error());
                } else {
                  drafts.add(result.draft());
                }
              }
              return resolveSenders(accountId, drafts)
                  .compose(
                      found -> {
                        Set<String> numbers = new HashSet<>();
                        drafts.forEach(d -> numbers.add(d.to()));
                        return messages
                            .blacklisted(accountId, List.copyOf(numbers))
                            .map(
                                blocked -> {
                                  Set<String> blacklisted = new HashSet<>(blocked);
                                  List<MessageStore.NewMessage> accepted = new ArrayList<>();
                                  Map<UUID, Sender> used = new HashMap<>();
                                  for (SendRequest.Draft d : drafts) {
                                    Sender sender =
                                        found.get(d.senderId() == null ? DEFAULT : d.senderId());
                                    if (sender == null) {
                                      errors.add(
                                          new SendRequest.ItemError(
                                              d.index(),
                                              "sender_id",
                                              d.senderId() == null ? "no_sender" : "unknown_sender",
                                              d.senderId() == null
                                                  ? "the account has no default SMS sender; pass sender_id"
                                                  : "no active SMS sender with this id"));
                                    } else if (blacklisted.contains(d.to())) {
                                      errors.add(
                                          new SendRequest.ItemError(
                                              d.index(),
                                              "to",
                                              "blacklisted",
                                              d.to() + " is on the account's blacklist"));
                                    } else {
                                      used.put(sender.id(), sender);
                                      accepted.add(
                                          new MessageStore.NewMessage(
                                              Ids.newId(),
                                              sender.id(),
                                              d.to(),
                                              sender.from(),
                                              d.body(),
                                              d.encoding(),
                                              d.segments(),
                                              d.scheduledAt(),
                                              d.metadata(),
                                              d.callbackUrl()));
                                    }
                                  }
                                  errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
                                  return new Checked(accepted, drafts, used, errors);
                                });
                      });
            });
  }

  private static final UUID DEFAULT = new UUID(0, 0);

  /** The senders the drafts name (those that exist, are active and carry SMS), plus the default. */
  private Future<Map<UUID, Sender>> resolveSenders(UUID accountId, List<SendRequest.Draft> drafts) {
    Set<UUID> wanted = new HashSet<>();
    drafts.stream()
        .map(SendRequest.Draft::senderId)
        .filter(java.util.Objects::nonNull)
        .forEach(wanted::add);
    boolean needDefault = drafts.stream().anyMatch(d -> d.senderId() == null);
    List<Future<Sender>> lookups = new ArrayList<>();
    wanted.forEach(id -> lookups.add(senders.get(accountId, id)));
    if (needDefault) {
      lookups.add(senders.defaultFor(accountId, "sms"));
    }
    return Future.all(lookups)
        .map(
            all -> {
              Map<UUID, Sender> found = new HashMap<>();
              for (int i = 0; i < lookups.size(); i++) {
                Sender sender = lookups.get(i).result();
                if (sender != null && sender.active() && sender.channel().equals("sms")) {
                  found.put(needDefault && i == lookups.size() - 1 ? DEFAULT : sender.id(), sender);
                }
              }
              return found;
            });
  }

  /** The request body as a list of items: one object, or an array of up to {@value #MAX_BATCH}. */
  private static List<Object> items(RoutingContext ctx, Buffer raw) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw ApiException.unsupportedMediaType("Expected Content-Type: application/json");
    }
    if (raw == null || raw.length() == 0) {
      throw ApiException.badRequest(
          "Request body is empty; send a message object or an array of them");
    }
    Object parsed;
    try {
      parsed = raw.toJsonValue();
    } catch (DecodeException e) {
      throw ApiException.badRequest("Request body is not valid JSON");
    }
    if (parsed instanceof JsonObject object) {
      return List.of(object);
    }
    if (!(parsed instanceof JsonArray array)) {
      throw ApiException.badRequest("Request body must be a message object or an array of them");
    }
    if (array.isEmpty()) {
      throw ApiException.validation("", "empty", "The array holds no messages");
    }
    if (array.size() > MAX_BATCH) {
      throw ApiException.validation(
          "",
          "too_many_items",
          "At most " + MAX_BATCH + " messages per request; got " + array.size());
    }
    List<Object> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(array.getValue(i));
    }
    return items;
  }

  private Future<JsonObject> dryRun(RoutingContext ctx) {
    Principal principal = Requests.principal(ctx);
    List<Object> items = items(ctx, ctx.body().buffer());
    return check(principal.accountId(), items)
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
                        .put("encoding", m.encoding().wireName())
                        .put("segments", m.segments())
                        .put("parts", new JsonArray(m.encoding().split(m.body())))
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
    return pool.withTransaction(tx -> messages.cancel(tx, accountId, id))
        .map(
            message -> {
              Responses.found(message, "Message");
              if (!message.status().equals("canceled")) {
                throw ApiException.conflict(
                    "Message is " + message.status() + "; only queued messages can be canceled");
              }
              return message.toJson();
            });
  }
}
