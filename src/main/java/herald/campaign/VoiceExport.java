package herald.campaign;

import herald.platform.csv.CsvCells;
import herald.platform.http.CsvDownload;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /campaigns/{id}/export} of a voice campaign: every number in campaign order with its
 * state, final disposition, attempts, skip or cancel reason, its latest call and that call's CDR
 * (hang-up cause, ring and talk seconds, AMD result, DTMF, end), when it is retried next, then one
 * column per recipient variable. Streamed from a database cursor like the SMS export.
 */
final class VoiceExport {
  private static final List<String> STANDARD =
      List.of(
          "phone_number",
          "status",
          "disposition",
          "attempts",
          "reason",
          "call_id",
          "hangup_cause",
          "ring_seconds",
          "talk_seconds",
          "amd_status",
          "dtmf",
          "ended_at",
          "next_attempt_at");

  private static final String EXPORT =
      VoiceStore.RECIPIENT_SELECT
          + ", d.hangup_cause AS cdr_hangup_cause, d.ring_seconds, d.talk_seconds,"
          + " d.amd_status, d.dtmf, d.ended_at"
          + VoiceStore.RECIPIENT_FROM
          + " LEFT JOIN cdrs d ON d.call_id = r.call_id"
          + " WHERE r.campaign_id = $1 ORDER BY r.seq";

  private VoiceExport() {}

  /** Streams {@code campaign}'s numbers to {@code response}; resets it if it fails midway. */
  static Future<Void> stream(Pool pool, Campaign campaign, HttpServerResponse response) {
    return pool.withTransaction(
        conn ->
            conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute()
                .compose(
                    v -> ResultsStore.dataKeys(conn, campaign.id(), RecipientExport.MAX_VARIABLES))
                .compose(keys -> write(conn, campaign, keys, response)));
  }

  private static Future<Void> write(
      SqlConnection conn, Campaign campaign, List<String> keys, HttpServerResponse response) {
    return conn.prepare(EXPORT)
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
                  row -> line(row, keys));
            });
  }

  private static String header(List<String> keys) {
    Set<String> standard = Set.copyOf(STANDARD);
    List<String> names = new ArrayList<>(STANDARD);
    keys.forEach(key -> names.add(CsvCells.quote(standard.contains(key) ? "data." + key : key)));
    return String.join(",", names) + "\r\n";
  }

  private static String line(Row row, List<String> keys) {
    JsonObject r = VoiceStore.recipient(row);
    List<String> cells = new ArrayList<>(STANDARD.size() + keys.size());
    cells.add(CsvCells.quote(r.getString("phone_number")));
    cells.add(r.getString("status"));
    cells.add(text(r.getString("disposition")));
    cells.add(Integer.toString(r.getInteger("attempts")));
    cells.add(CsvCells.quote(r.getString("reason")));
    cells.add(text(r.getString("call_id")));
    Integer cause = row.getInteger("cdr_hangup_cause");
    cells.add(cause == null ? "" : cause.toString());
    cells.add(number(row.getValue("ring_seconds")));
    cells.add(number(row.getValue("talk_seconds")));
    cells.add(CsvCells.quote(row.getString("amd_status")));
    cells.add(CsvCells.quote(row.getString("dtmf")));
    java.time.OffsetDateTime ended = row.getOffsetDateTime("ended_at");
    cells.add(ended == null ? "" : ended.toInstant().toString());
    cells.add(text(r.getString("next_attempt_at")));
    Object given = r.getValue("data");
    JsonObject data = given instanceof JsonObject o ? o : new JsonObject();
    for (String key : keys) {
      Object value = data.getValue(key);
      cells.add(value == null ? "" : CsvCells.quote(value.toString()));
    }
    return String.join(",", cells) + "\r\n";
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static String number(Object value) {
    return value == null ? "" : value.toString();
  }
}
