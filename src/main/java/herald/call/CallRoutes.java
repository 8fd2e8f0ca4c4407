package herald.call;

import herald.call.ivr.IvrStore;
import herald.channel.voice.Voice;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/calls}: place a call through a voice sender ({@code POST}, answered 202 once the
 * call is committed and queued), read and list calls, and end one ({@code DELETE}: a queued call is
 * canceled, a live one hung up).
 */
public final class CallRoutes {
  private static final Set<String> FIELDS = fields();

  private static Set<String> fields() {
    Set<String> all = new java.util.HashSet<>(CallOptions.FIELDS);
    all.add("to");
    all.add("sender_id");
    return Set.copyOf(all);
  }

  private static final Pattern NUMBER = Pattern.compile("^\\+?[0-9]{3,20}$");

  private final Vertx vertx;
  private final CallService service;
  private final CallStore calls;
  private final SenderStore senders;
  private final IvrStore ivrs;

  public CallRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.ivrs = new IvrStore(pool);
    this.service = new CallService(vertx, pool);
    this.calls = new CallStore(pool);
    this.senders = new SenderStore(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("calls:write"))
        .handler(Responses.status(202, this::create));
    router.get("/").handler(Scoped.require("calls:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("calls:read")).respond(this::get);
    router
        .delete("/:id")
        .handler(Scoped.require("calls:write"))
        .handler(Responses.status(202, this::hangup));
    return router;
  }

  /** A validated request, before its sender is checked. */
  private record Request(String to, UUID senderId, JsonObject options) {}

  private static Request read(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, FIELDS);
    String to = in.requiredString("to", 3, 21);
    if (to != null && !NUMBER.matcher(to).matches()) {
      in.error("to", "invalid_value", "'to' must be a phone number: digits, optionally after +");
    }
    String senderText = in.requiredString("sender_id", 36, 36);
    UUID senderId = null;
    if (senderText != null) {
      try {
        senderId = UUID.fromString(senderText);
      } catch (IllegalArgumentException e) {
        in.error("sender_id", "invalid_value", "'sender_id' must be a sender id");
      }
    }
    JsonObject body = ctx.body().asJsonObject();
    List<FieldError> errors = new java.util.ArrayList<>();
    JsonObject options = CallOptions.read(body, "", false, false, errors);
    errors.forEach(e -> in.error(e.field(), e.code(), e.detail()));
    in.check();
    return new Request(to, senderId, options);
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Request request = read(ctx);
    UUID accountId = Requests.principal(ctx).accountId();
    return CallOptions.withIvr(ivrs, accountId, request.options(), "ivr_id")
        .compose(
            options ->
                senders
                    .get(accountId, request.senderId())
                    .compose(
                        sender -> {
                          if (sender == null
                              || !sender.active()
                              || !Voice.CHANNEL.equals(sender.channel())) {
                            throw ApiException.validation(
                                "sender_id",
                                "invalid_value",
                                "'sender_id' must name an active voice sender of this account");
                          }
                          Call call =
                              Call.queued(
                                  Ids.newId(),
                                  accountId,
                                  sender.id(),
                                  request.to(),
                                  sender.settings().getString("caller_id"),
                                  options,
                                  null,
                                  null);
                          return service.queue(call);
                        }))
        .map(Call::toJson);
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Call");
    return calls
        .get(Requests.principal(ctx).accountId(), id)
        .map(call -> Responses.found(call, "Call").toJson());
  }

  private Future<JsonObject> hangup(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Call");
    return service.hangup(Requests.principal(ctx).accountId(), id).map(Call::toJson);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String status = q.string("status", 16);
    UUID senderId = q.uuid("sender_id");
    q.check();
    if (status != null && !Call.LIVE.contains(status) && !Call.FINAL.contains(status)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(new FieldError("status", "invalid_value", "status is not a call status")));
    }
    return calls
        .list(Requests.principal(ctx).accountId(), new CallStore.Filter(status, senderId), page)
        .map(rows -> page.page(rows, Call::id, Call::toJson));
  }
}
