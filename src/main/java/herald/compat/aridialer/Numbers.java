package herald.compat.aridialer;

import herald.compat.aridialer.Envelope.Failure;
import herald.compat.aridialer.Envelope.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Seed 001's numbers: a campaign's Herald recipients, with their calls and CDRs. */
final class Numbers {
  private static final Pattern NUMBER_ID = Pattern.compile("^([0-9a-fA-F-]{36})-([0-9]{1,18})$");
  private static final Map<String, String> NUMBER_NAMES = Map.of("recipients", "phone_number");

  private final Dialer api;

  Numbers(Dialer api) {
    this.api = api;
  }

  private static JsonObject numberView(String campaignId, JsonObject r) {
    Object given = r.getValue("data");
    JsonObject data = given instanceof JsonObject o ? o.copy() : new JsonObject();
    data.remove("number");
    data.remove("phone");
    data.remove("phone_number");
    return new JsonObject()
        .put("id", campaignId + "-" + r.getLong("seq"))
        .put("campaign_id", campaignId)
        .put("phone_number", r.getString("phone_number"))
        .put("data", data)
        .put("status", r.getString("status"))
        .put("disposition", r.getString("disposition"))
        .put("attempts", r.getInteger("attempts"))
        .put("reason", r.getString("reason"))
        .put("last_call_id", r.getString("call_id"))
        .put("next_attempt_at", Envelope.time(r.getString("next_attempt_at")));
  }

  Future<Reply> listNumbers(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Paging paging = Paging.from(ctx);
    return api.campaign(ctx, id)
        .compose(c -> api.get(ctx, "/api/v1/campaigns/" + Dialer.enc(id) + "/stats"))
        .compose(
            stats ->
                api.page(ctx, "/api/v1/campaigns/" + Dialer.enc(id) + "/recipients", paging)
                    .map(
                        rows -> {
                          JsonArray data = new JsonArray();
                          rows.forEach(r -> data.add(numberView(id, r)));
                          long total = stats.getJsonObject("recipients").getLong("total");
                          return new Reply(200, "Numbers retrieved", data, paging.object(total));
                        }));
  }

  /** A seed number ({@code {phone_number, data}} or a bare number) as a Herald recipient. */
  private static Object recipient(Object given, String field) {
    if (given instanceof String || given instanceof Number) {
      return String.valueOf(given);
    }
    if (!(given instanceof JsonObject n) || n.getValue("phone_number") == null) {
      throw Failure.field(400, "Validation failed", field, "phone_number is required");
    }
    Object data = n.getValue("data");
    if (data != null && !(data instanceof JsonObject)) {
      throw Failure.field(400, "Validation failed", field + ".data", "data must be an object");
    }
    JsonObject out = data == null ? new JsonObject() : ((JsonObject) data).copy();
    return out.put("phone_number", String.valueOf(n.getValue("phone_number")));
  }

  Future<Reply> addNumber(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Future.all(Dialer.body(ctx), api.campaign(ctx, id))
        .compose(
            both -> {
              JsonObject in = both.resultAt(0);
              Dialer.only(in, Set.of("phone_number", "data"));
              Object r = recipient(in, "phone_number");
              return api.call(
                  ctx,
                  HttpMethod.POST,
                  "/api/v1/campaigns/" + Dialer.enc(id) + "/recipients",
                  new JsonObject().put("recipients", new JsonArray().add(r)),
                  NUMBER_NAMES);
            })
        .compose(
            added -> {
              JsonArray seqs = added.getJsonArray("seqs", new JsonArray());
              if (seqs.isEmpty()) {
                throw Failure.field(
                    409,
                    "The number is already in this campaign",
                    "phone_number",
                    "already in this campaign");
              }
              return number(ctx, id, seqs.getLong(0));
            })
        .map(n -> new Reply(201, "Number added", n));
  }

  Future<Reply> addNumbers(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Future.all(Dialer.body(ctx), api.campaign(ctx, id))
        .compose(
            both -> {
              JsonObject in = both.resultAt(0);
              Dialer.only(in, Set.of("numbers"));
              if (!(in.getValue("numbers") instanceof JsonArray numbers) || numbers.isEmpty()) {
                throw Failure.field(
                    400, "Validation failed", "numbers", "numbers must be a non-empty array");
              }
              JsonArray recipients = new JsonArray();
              for (int i = 0; i < numbers.size(); i++) {
                recipients.add(recipient(numbers.getValue(i), "numbers[" + i + "]"));
              }
              return api.call(
                  ctx,
                  HttpMethod.POST,
                  "/api/v1/campaigns/" + Dialer.enc(id) + "/recipients",
                  new JsonObject().put("recipients", recipients),
                  Map.of("recipients", "numbers"));
            })
        .map(
            added -> {
              JsonArray ids = null;
              if (added.getJsonArray("seqs") != null) {
                ids = new JsonArray();
                for (Object seq : added.getJsonArray("seqs")) {
                  ids.add(id + "-" + seq);
                }
              }
              return new Reply(
                  201,
                  "Numbers added",
                  new JsonObject()
                      .put("received", added.getInteger("received"))
                      .put("added", added.getInteger("added"))
                      .put("duplicates", added.getInteger("duplicates"))
                      .put("invalid", added.getLong("invalid"))
                      .put("ids", ids));
            });
  }

  /** A number with its attempts (each a call with its CDR id). */
  private Future<JsonObject> number(RoutingContext ctx, String campaignId, long seq) {
    return api.get(
            ctx, "/api/v1/campaigns/" + Dialer.enc(campaignId) + "/recipients/" + seq + "/calls")
        .map(
            r -> {
              JsonArray attempts = new JsonArray();
              for (Object o : r.getJsonArray("calls", new JsonArray())) {
                JsonObject call = (JsonObject) o;
                attempts.add(
                    new JsonObject()
                        .put("attempt", call.getInteger("attempt"))
                        .put("call_id", call.getString("id"))
                        .put("status", call.getString("status"))
                        .put("created_at", Envelope.time(call.getString("created_at")))
                        .put("answered_at", Envelope.time(call.getString("answered_at")))
                        .put("ended_at", Envelope.time(call.getString("ended_at")))
                        .put("cdr_id", call.getString("cdr_id")));
              }
              return numberView(campaignId, r).put("attempt_history", attempts);
            });
  }

  /** The campaign id and sequence of a seed number id, or a 404. */
  private static String[] numberId(String id) {
    Matcher m = NUMBER_ID.matcher(id);
    if (!m.matches()) {
      throw new Failure(404, "Number not found", null);
    }
    return new String[] {m.group(1), m.group(2)};
  }

  Future<Reply> getNumber(RoutingContext ctx) {
    String[] id = numberId(ctx.pathParam("id"));
    return number(ctx, id[0], Long.parseLong(id[1]))
        .recover(err -> Future.failedFuture(Dialer.notFound(err, "Number not found")))
        .map(n -> new Reply(200, "Number retrieved", n));
  }

  Future<Reply> deleteNumber(RoutingContext ctx) {
    String[] id = numberId(ctx.pathParam("id"));
    return api.call(
            ctx,
            HttpMethod.DELETE,
            "/api/v1/campaigns/" + Dialer.enc(id[0]) + "/recipients/" + id[1],
            null,
            Map.of())
        .recover(err -> Future.failedFuture(Dialer.notFound(err, "Number not found")))
        .map(x -> new Reply(200, "Number deleted", null));
  }
}
