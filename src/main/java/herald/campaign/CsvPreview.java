package herald.campaign;

import herald.template.Renderer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * {@code POST /campaigns/preview-csv}'s answer: the whole file is read (so row and error counts are
 * exact) but only its first rows are shown, each rendered with {@code message} when one is given,
 * and only the first {@value #ERRORS_SHOWN} errors are listed. Duplicate numbers are not counted
 * here (that needs every number in memory); the upload counts them. Blocking: run on a worker.
 */
final class CsvPreview {
  static final int ERRORS_SHOWN = 100;
  private static final int CHUNK = 5000;

  private CsvPreview() {}

  /**
   * @param shown how many rows to show
   * @param message template text to render for the shown rows, or null
   */
  static JsonObject read(Path file, String region, int shown, String message) {
    try (RecipientCsv csv = RecipientCsv.open(file, region)) {
      RecipientCsv.Header header = csv.header();
      JsonArray recipients = new JsonArray();
      JsonArray errors = new JsonArray();
      long total = 0;
      long invalid = 0;
      for (var chunk = csv.next(CHUNK); !chunk.isEmpty(); chunk = csv.next(CHUNK)) {
        for (RecipientCsv.Line line : chunk) {
          total++;
          if (!line.valid()) {
            invalid++;
            if (errors.size() < ERRORS_SHOWN) {
              errors.add(error(line, header));
            }
          }
          if (recipients.size() < shown) {
            recipients.add(recipient(line, message));
          }
        }
      }
      JsonArray variables = new JsonArray();
      header.variables().stream().filter(v -> v != null).forEach(variables::add);
      return new JsonObject()
          .put("columns", new JsonArray(header.columns()))
          .put("phone_column", header.phoneColumn())
          .put("timezone_column", header.timezoneColumn())
          .put("variables", variables)
          .put("total_rows", total)
          .put("valid_rows", total - invalid)
          .put("invalid_rows", invalid)
          .put("recipients", recipients)
          .put("errors", errors);
    }
  }

  private static JsonObject error(RecipientCsv.Line line, RecipientCsv.Header header) {
    return new JsonObject()
        .put("row", line.row())
        .put("line", line.line())
        .put("column", header.phoneColumn())
        .put("code", line.code())
        .put("detail", line.detail());
  }

  private static JsonObject recipient(RecipientCsv.Line line, String message) {
    RecipientStore.NewRecipient r = line.recipient();
    JsonObject data = r == null ? new JsonObject() : r.data();
    JsonObject out =
        new JsonObject()
            .put("row", line.row())
            .put("line", line.line())
            .put("phone_number", r == null ? null : r.phone())
            .put("valid", line.valid())
            .put("error", line.code())
            .put("timezone", r == null ? null : r.timezone())
            .put("data", data);
    if (message != null && r != null) {
      Renderer.Result rendered =
          Renderer.render(
              message,
              Renderer.Variables.of(new JsonObject().put("phone_number", r.phone())).with(data));
      out.put("message", rendered.text()).put("missing_variables", rendered.missing());
    }
    return out;
  }
}
