package herald.message;

import herald.platform.csv.CsvCells;
import herald.platform.database.Where;
import herald.platform.http.ApiException;
import herald.platform.http.CsvDownload;
import herald.platform.http.Requests;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code GET /api/v1/messages/export?format=csv}: streams every matching message as CSV straight
 * from a database cursor, pausing the cursor while the client is slow, so memory stays flat however
 * many rows match. Takes the same filters as the list.
 */
final class MessageExport {
  private static final String HEADER =
      "id,created_at,direction,status,to,from,sender_id,campaign_id,encoding,segments,attempts,"
          + "provider_message_id,error_code,error_message,sent_at,done_at,body\r\n";

  private final Pool pool;

  MessageExport(Pool pool) {
    this.pool = pool;
  }

  void handle(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    if (format != null && !format.equals("csv")) {
      ctx.fail(ApiException.badRequest("format must be csv"));
      return;
    }
    MessageStore.Filter filter = MessageRoutes.filter(ctx);
    Where where = MessageStore.where(Requests.principal(ctx).accountId(), filter);
    String sql =
        "SELECT "
            + MessageStore.COLUMNS
            + " FROM messages WHERE "
            + where.sql()
            + " ORDER BY id DESC";
    CsvDownload.send(
        ctx,
        pool,
        sql,
        Tuple.from(where.args()),
        "messages.csv",
        HEADER,
        row -> line(Message.from(row)));
  }

  private static String line(Message m) {
    return String.join(
            ",",
            m.id().toString(),
            m.createdAt(),
            m.direction(),
            m.status(),
            m.to(),
            CsvCells.quote(m.from()),
            m.senderId() == null ? "" : m.senderId().toString(),
            m.campaignId() == null ? "" : m.campaignId().toString(),
            m.encoding(),
            Integer.toString(m.segments()),
            Integer.toString(m.attempts()),
            CsvCells.quote(m.providerMessageId()),
            CsvCells.quote(m.errorCode()),
            CsvCells.quote(m.errorMessage()),
            CsvCells.quote(m.sentAt()),
            CsvCells.quote(m.doneAt()),
            CsvCells.quote(m.body()))
        + "\r\n";
  }
}
