package herald.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import java.util.function.Function;

/**
 * Streams database rows to an HTTP response as CSV lines with back-pressure: the row stream pauses
 * while the response's write queue is full, so an export of any size holds only what is in flight.
 */
public final class CsvDownload {
  private CsvDownload() {}

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
