package herald.campaign;

import herald.call.CampaignCalls;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The API's views of a voice campaign's recipients: pages, and one recipient's attempts. */
final class VoiceResults {
  private VoiceResults() {}

  /** A page of voice recipients (the status filter is SMS's and is refused here). */
  static JsonObject page(RecipientPage page, List<JsonObject> rows) {
    if (page.status() != null) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "status",
                  "not_supported",
                  "a voice campaign's recipients have no status filter")));
    }
    boolean more = rows.size() > page.limit();
    List<JsonObject> shown = more ? rows.subList(0, page.limit()) : rows;
    return new JsonObject()
        .put("data", new JsonArray(new java.util.ArrayList<>(shown)))
        .put(
            "next_cursor",
            more ? RecipientPage.encode(shown.get(shown.size() - 1).getLong("seq")) : null);
  }

  /** The recipient's calls, oldest first, each with its CDR id once it has ended. */
  static Future<JsonArray> attempts(Pool pool, Campaign campaign, long seq) {
    return CampaignCalls.ofRecipient(pool, campaign.accountId(), campaign.id(), seq)
        .compose(
            calls ->
                pool.preparedQuery(
                        "SELECT id, call_id FROM cdrs WHERE campaign_id = $1 AND recipient_seq = $2")
                    .execute(Tuple.of(campaign.id(), seq))
                    .map(
                        rows -> {
                          Map<String, String> cdrs = new HashMap<>();
                          rows.forEach(
                              row ->
                                  cdrs.put(
                                      row.getUUID("call_id").toString(),
                                      row.getUUID("id").toString()));
                          JsonArray out = new JsonArray();
                          int n = 0;
                          for (var call : calls) {
                            JsonObject json = call.toJson();
                            json.put("attempt", ++n).put("cdr_id", cdrs.get(json.getString("id")));
                            out.add(json);
                          }
                          return out;
                        }));
  }

  /**
   * The status document of a voice campaign: its dialler figures ({@link VoiceStore#stats}) with
   * the share of numbers that have reached an end (a disposition, skipped or canceled) as {@code
   * percentage}.
   */
  static JsonObject status(JsonObject stats) {
    JsonObject r = stats.getJsonObject("recipients");
    long total = r.getLong("total");
    long ended = r.getLong("done") + r.getLong("skipped") + r.getLong("canceled");
    return stats.put("percentage", total == 0 ? 100.0 : Math.round(1000.0 * ended / total) / 10.0);
  }
}
