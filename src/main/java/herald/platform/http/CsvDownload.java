package herald.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * Streams database rows to an HTTP response as CSV lines with back-pressure: the row stream pauses
 * while the response's write queue is full, so an export of any size holds only what is in flight.
 */
public final class CsvDownload {
  private CsvDownload() {}

  /**
   * Answers {@code ctx} with the CSV file {@code filename}: {@code header}, then {@code line} of
   * each row of {@code sql} with {@code args}, read through a cursor in one transaction. A failure
   * before the first byte goes to the error handler; after it, the connection is reset, so a
   * cut-off file never passes for a complete one.
   */
  public static void send(
      RoutingContext ctx,
      Pool pool,
      String sql,
      Tuple args,
      String filename,
      String header,
      Function<Row, String> line) {
    HttpServerResponse response = ctx.response();
    pool.withTransaction(
            conn ->
                conn.prepare(sql)
                    .compose(
                        statement -> {
                          response
                              .setChunked(true)
                              .putHeader("Content-Type", "text/csv; charset=utf-8")
                              .putHeader(
                                  "Content-Disposition",
                                  "attachment; filename=\"" + filename + "\"");
                          response.write(header);
                          return pipe(statement.createStream(500, args), response, line);
                        }))
        .onSuccess(v -> response.end())
        .onFailure(
            err -> {
              if (response.headWritten()) {
                response.reset();
              } else {
                ctx.fail(err);
              }
            });
  }

  /**
   * Writes {@code line} of every row; completes when the rows end, fails when either side fails or
   * the client goes away. The row stream is closed either way.
   */
  public static Future<Void> pipe(
      RowStream<Row> rows, HttpServerResponse response, Function<Row, String> line) {
    Promise<Void> done = Promise.promise();
    rows.exceptionHandler(done::tryFail);
    rows.endHandler(v -> done.tryComplete());
    response.exceptionHandler(done::tryFail);
    response.closeHandler(v -> done.tryFail("client went away"));
    rows.handler(
        row -> {
          response.write(line.apply(row));
          if (response.writeQueueFull()) {
            rows.pause();
            response.drainHandler(x -> rows.resume());
          }
        });
    return done.future().eventually(rows::close);
  }
}
