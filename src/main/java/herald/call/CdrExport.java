package herald.call;

import herald.platform.csv.CsvCells;
import herald.platform.database.Where;
import herald.platform.http.ApiException;
import herald.platform.http.CsvDownload;
import herald.platform.http.Requests;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code GET /api/v1/cdrs/export?format=csv}: every matching CDR as CSV, streamed from a database
 * cursor (paused while the client is slow). Takes the list's filters.
 */
final class CdrExport {
  private static final String HEADER =
      "id,call_id,sender_id,to,caller_id,started_at,answered_at,ended_at,ring_seconds,"
          + "talk_seconds,disposition,hangup_cause,hangup_cause_text,amd_status,amd_cause,dtmf,"
          + "recording\r\n";

  private final Pool pool;

  CdrExport(Pool pool) {
    this.pool = pool;
  }

  void handle(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    if (format != null && !format.equals("csv")) {
      ctx.fail(ApiException.badRequest("format must be csv"));
      return;
    }
    Where where;
    try {
      where = CdrStore.where(Requests.principal(ctx).accountId(), CdrRoutes.filter(ctx));
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    String sql = "SELECT * FROM cdrs WHERE " + where.sql() + " ORDER BY id DESC";
    CsvDownload.send(
        ctx, pool, sql, Tuple.from(where.args()), "cdrs.csv", HEADER, row -> line(Cdr.from(row)));
  }

  private static String line(Cdr c) {
    return String.join(
            ",",
            c.id().toString(),
            c.callId().toString(),
            c.senderId().toString(),
            CsvCells.quote(c.to()),
            CsvCells.quote(c.callerId()),
            c.startedAt(),
            CsvCells.quote(c.answeredAt()),
            c.endedAt(),
            Double.toString(c.ringSeconds()),
            Double.toString(c.talkSeconds()),
            c.disposition(),
            c.hangupCause() == null ? "" : c.hangupCause().toString(),
            CsvCells.quote(c.hangupCauseText()),
            CsvCells.quote(c.amdStatus()),
            CsvCells.quote(c.amdCause()),
            CsvCells.quote(c.dtmf()),
            CsvCells.quote(c.recording()))
        + "\r\n";
  }
}
