package herald.campaign;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Loads an uploaded CSV file into a campaign's recipients inside the caller's transaction, {@value
 * #CHUNK} rows at a time: a worker parses the next chunk while the event loop inserts the current
 * one, so at most two chunks are in memory and no thread ever waits on another. Invalid numbers
 * become recipients skipped as {@code invalid_number}; rows without a number and repeated numbers
 * are counted, not added.
 */
final class CsvUpload {
  static final int CHUNK = RecipientStore.CHUNK;
  static final int ERRORS_SHOWN = CsvPreview.ERRORS_SHOWN;

  private final Vertx vertx;
  private final SqlClient tx;
  private final UUID campaignId;
  private final RecipientCsv csv;
  private final JsonArray errors = new JsonArray();
  private Future<List<RecipientCsv.Line>> parsing;
  private long rows;
  private long added;
  private long invalid;
  private long duplicates;
  private long missingPhone;

  private CsvUpload(Vertx vertx, SqlClient tx, UUID campaignId, RecipientCsv csv) {
    this.vertx = vertx;
    this.tx = tx;
    this.campaignId = campaignId;
    this.csv = csv;
  }

  /**
   * What an upload read and added.
   *
   * @param added recipients added (invalid numbers included, as skipped recipients)
   * @param errors the first {@value #ERRORS_SHOWN} rows with a problem
   */
  record Totals(
      long rows,
      long added,
      long invalidNumbers,
      long duplicates,
      long missingPhone,
      JsonArray errors) {

    /** The campaign's skipped counts that are not recipients of their own. */
    JsonObject skipped() {
      JsonObject out = new JsonObject();
      if (duplicates > 0) {
        out.put("duplicate", duplicates);
      }
      if (missingPhone > 0) {
        out.put("missing_phone", missingPhone);
      }
      return out;
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("rows", rows)
          .put("recipients_added", added)
          .put("invalid_numbers", invalidNumbers)
          .put("duplicates", duplicates)
          .put("missing_phone", missingPhone)
          .put("errors", errors);
    }
  }

  /**
   * Reads the rest of {@code csv} into {@code campaignId}'s recipients. Completes only once no
   * parse is running, so the caller may close {@code csv} then; fails with the parser's 400 when
   * the file turns out not to be CSV text (the caller's transaction then rolls back).
   */
  static Future<Totals> load(Vertx vertx, SqlClient tx, UUID campaignId, RecipientCsv csv) {
    CsvUpload upload = new CsvUpload(vertx, tx, campaignId, csv);
    Promise<Void> done = Promise.promise();
    upload.step(upload.parse(), done);
    return done.future()
        .transform(
            result ->
                upload.parsing.transform(
                    x ->
                        result.succeeded()
                            ? Future.succeededFuture(upload.totals())
                            : Future.failedFuture(result.cause())));
  }

  private Future<List<RecipientCsv.Line>> parse() {
    parsing = vertx.executeBlocking(() -> csv.next(CHUNK), false);
    return parsing;
  }

  /**
   * Inserts {@code chunk} once parsed while the next one is parsed, then goes on with that one.
   * Callbacks rather than a chain of {@code compose}: a chain would keep every chunk reachable
   * until the last one is in.
   */
  private void step(Future<List<RecipientCsv.Line>> chunk, Promise<Void> done) {
    chunk.onComplete(
        parsed -> {
          if (parsed.failed()) {
            done.fail(parsed.cause());
            return;
          }
          if (parsed.result().isEmpty()) {
            done.complete();
            return;
          }
          Future<List<RecipientCsv.Line>> next = parse();
          List<RecipientStore.NewRecipient> recipients = tally(parsed.result());
          Future<Integer> inserted =
              recipients.isEmpty()
                  ? Future.succeededFuture(0)
                  : RecipientStore.add(tx, campaignId, recipients);
          inserted.onComplete(
              n -> {
                if (n.failed()) {
                  done.fail(n.cause());
                  return;
                }
                added += n.result();
                duplicates += recipients.size() - n.result();
                step(next, done);
              });
        });
  }

  private List<RecipientStore.NewRecipient> tally(List<RecipientCsv.Line> lines) {
    List<RecipientStore.NewRecipient> out = new ArrayList<>(lines.size());
    for (RecipientCsv.Line line : lines) {
      rows++;
      if (line.recipient() != null) {
        out.add(line.recipient());
      } else {
        missingPhone++;
      }
      if (!line.valid()) {
        if (line.recipient() != null) {
          invalid++;
        }
        if (errors.size() < ERRORS_SHOWN) {
          errors.add(
              new JsonObject()
                  .put("row", line.row())
                  .put("line", line.line())
                  .put("code", line.code())
                  .put("detail", line.detail()));
        }
      }
    }
    return out;
  }

  private Totals totals() {
    return new Totals(rows, added, invalid, duplicates, missingPhone, errors);
  }
}
