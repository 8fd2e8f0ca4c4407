package herald.message;

import herald.account.AccountStore;
import herald.platform.http.JsonInput;
import herald.platform.http.Requests;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /api/v1/phone-numbers/analyze}: E.164 form, validity, region, number type and the
 * carrier of up to 1,000 numbers, for any country (national numbers read with the account's default
 * region).
 */
public final class PhoneNumberRoutes {
  private static final int MAX_NUMBERS = 1000;

  private final Vertx vertx;
  private final AccountStore accounts;

  public PhoneNumberRoutes(Vertx vertx, AccountStore accounts) {
    this.vertx = vertx;
    this.accounts = accounts;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.post("/analyze").handler(Scoped.require("messages:read")).respond(this::analyze);
    return router;
  }

  private Future<JsonObject> analyze(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("numbers", "phone_number"));
    List<String> numbers = in.optionalStringList("numbers", MAX_NUMBERS, 64);
    String single = in.optionalString("phone_number", 1, 64);
    if (numbers == null && single == null) {
      in.error(
          "numbers", "required", "send 'numbers' (up to " + MAX_NUMBERS + ") or 'phone_number'");
    }
    in.check();
    List<String> all = numbers != null ? numbers : List.of(single);
    return accounts
        .get(Requests.principal(ctx).accountId())
        .map(
            account -> {
              String region =
                  account == null ? null : account.settings().getString("default_region");
              JsonArray data = new JsonArray();
              all.forEach(n -> data.add(PhoneNumbers.analyze(n, region)));
              return new JsonObject().put("data", data);
            });
  }
}
