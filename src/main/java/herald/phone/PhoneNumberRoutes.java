package herald.phone;

import herald.account.AccountStore;
import herald.platform.http.Bodies;
import herald.platform.http.JsonInput;
import herald.platform.http.Requests;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code POST /api/v1/phone-numbers/analyze} (and seed 003's {@code POST
 * /api/v1/messages/analyze}): E.164 form, validity, region, number type and the carrier of up to
 * 1,000 numbers, for any country (national numbers read with the account's default region).
 */
public final class PhoneNumberRoutes {
  private static final int MAX_NUMBERS = 1000;

  private final Vertx vertx;
  private final AccountStore accounts;

  public PhoneNumberRoutes(Vertx vertx, AccountStore accounts) {
    this.vertx = vertx;
    this.accounts = accounts;
  }

  /**
   * Mounts {@code /phone-numbers/analyze} and seed 003's {@code /messages/analyze} (the same
   * analysis) on {@code api}.
   */
  public void mount(Router api, Bodies bodies) {
    for (String path : new String[] {"/phone-numbers/analyze", "/messages/analyze"}) {
      api.post(path)
          .handler(bodies.standard())
          .handler(Scoped.require("messages:read"))
          .respond(this::analyze);
    }
  }

  /**
   * Analyses {@code numbers} (seed 003's {@code phone_numbers} too) or one {@code phone_number}:
   * each number's details in {@code data}, and a {@code summary} with the totals and the count per
   * operator and per region. Also mounted as seed 003's {@code POST /messages/analyze}.
   */
  public Future<JsonObject> analyze(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, Set.of("numbers", "phone_numbers", "phone_number"));
    List<String> numbers = in.optionalStringList("numbers", MAX_NUMBERS, 64);
    List<String> seedNumbers = in.optionalStringList("phone_numbers", MAX_NUMBERS, 64);
    String single = in.optionalString("phone_number", 1, 64);
    int given =
        (numbers != null ? 1 : 0) + (seedNumbers != null ? 1 : 0) + (single != null ? 1 : 0);
    if (given == 0) {
      in.error(
          "numbers",
          "required",
          "send 'numbers' or 'phone_numbers' (up to " + MAX_NUMBERS + ") or 'phone_number'");
    } else if (given > 1) {
      in.error(
          "numbers", "conflict", "send only one of 'numbers', 'phone_numbers', 'phone_number'");
    }
    in.check();
    List<String> all =
        numbers != null ? numbers : seedNumbers != null ? seedNumbers : List.of(single);
    return accounts
        .get(Requests.principal(ctx).accountId())
        .map(
            account -> {
              String region =
                  account == null ? null : account.settings().getString("default_region");
              JsonArray data = new JsonArray();
              Map<String, Integer> byOperator = new TreeMap<>();
              Map<String, Integer> byRegion = new TreeMap<>();
              int valid = 0;
              for (String number : all) {
                JsonObject result = PhoneNumbers.analyze(number, region);
                data.add(result);
                if (result.getBoolean("valid")) {
                  valid++;
                  String carrier = result.getString("carrier");
                  byOperator.merge(carrier == null ? "unknown" : carrier, 1, Integer::sum);
                  byRegion.merge(result.getString("region"), 1, Integer::sum);
                }
              }
              JsonObject summary =
                  new JsonObject()
                      .put("total", all.size())
                      .put("valid", valid)
                      .put("invalid", all.size() - valid)
                      .put("by_operator", new JsonObject(new LinkedHashMap<>(byOperator)))
                      .put("by_region", new JsonObject(new LinkedHashMap<>(byRegion)));
              return new JsonObject().put("data", data).put("summary", summary);
            });
  }
}
