package herald.campaign;

import herald.platform.csv.CsvCells;
import herald.platform.http.CsvDownload;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /campaigns/{id}/export}: every recipient of a campaign as CSV, in campaign order, with
 * its status, reason, variant, operator, attempts, message and provider ids, error and timestamps,
 * then one column per variable (named after it, or {@code data.<name>} when that would clash). Rows
 * come from a database cursor that is paused while the client is slow, so memory stays flat however
 * large the campaign; the variable names are found in a first pass in the same snapshot.
 */
final class RecipientExport {
  static final int MAX_VARIABLES = 200;
  private static final List<String> STANDARD =
      List.of(
          "phone_number",
          "status",
          "reason",
          "variant",
          "operator",
          "attempts",
          "message_id",
          "provider_message_id",
          "error_code",
          "error_message",
          "sent_at",
          "done_at",
          "timezone");

  private RecipientExport() {}

  /** Streams {@code campaign}'s recipients to {@code response}; resets it if it fails midway. */
  static Future<Void> stream(Pool pool, Campaign campaign, HttpServerResponse response) {
    return pool.withTransaction(
        conn ->
            conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute()
                .compose(v -> ResultsStore.dataKeys(conn, campaign.id(), MAX_VARIABLES))
                .compose(keys -> write(conn, campaign, keys, response)));
  }

  private static Future<Void> write(
      SqlConnection conn, Campaign campaign, List<String> keys, HttpServerResponse response) {
    return conn.prepare(ResultsStore.EXPORT)
        .compose(
            statement -> {
              response
                  .setChunked(true)
                  .putHeader("Content-Type", "text/csv; charset=utf-8")
                  .putHeader(
                      "Content-Disposition",
                      "attachment; filename=\"campaign-" + campaign.id() + ".csv\"");
              response.write(header(keys));
              return CsvDownload.pipe(
                  statement.createStream(500, Tuple.of(campaign.id())),
                  response,
                  row -> line(RecipientResult.from(row), keys));
            });
  }

  private static String header(List<String> keys) {
    Set<String> standard = Set.copyOf(STANDARD);
    List<String> names = new ArrayList<>(STANDARD);
    keys.forEach(key -> names.add(CsvCells.quote(standard.contains(key) ? "data." + key : key)));
    return String.join(",", names) + "\r\n";
  }

  private static String line(RecipientResult r, List<String> keys) {
    List<String> cells = new ArrayList<>(STANDARD.size() + keys.size());
    cells.add(CsvCells.quote(r.phoneNumber()));
    cells.add(r.status());
    cells.add(CsvCells.quote(r.reason()));
    cells.add(CsvCells.quote(r.variant()));
    cells.add(CsvCells.quote(r.operator()));
    cells.add(Integer.toString(r.attempts()));
    cells.add(r.messageId() == null ? "" : r.messageId().toString());
    cells.add(CsvCells.quote(r.providerMessageId()));
    cells.add(CsvCells.quote(r.errorCode()));
    cells.add(CsvCells.quote(r.errorMessage()));
    cells.add(CsvCells.quote(r.sentAt()));
    cells.add(CsvCells.quote(r.doneAt()));
    cells.add(CsvCells.quote(r.timezone()));
    JsonObject data = r.data() == null ? new JsonObject() : r.data();
    for (String key : keys) {
      Object value = data.getValue(key);
      cells.add(value == null ? "" : CsvCells.quote(value.toString()));
    }
    return String.join(",", cells) + "\r\n";
  }
}
