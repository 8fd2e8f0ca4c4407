package herald.blacklist;

import herald.phone.PhoneNumbers;
import herald.platform.csv.CsvReader;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a blacklist CSV upload: checks that it is UTF-8 text (by content, whatever its name or
 * type), finds the phone column by its header ({@code phone}, {@code phone_number}, {@code number},
 * {@code mobile}, {@code telephone}, {@code msisdn}, ...) and an optional {@code reason} column,
 * and normalises every number to E.164. Blocking work (libphonenumber): run it on a worker.
 */
final class BlacklistImport {
  static final Set<String> PHONE_HEADERS =
      Set.of(
          "phone",
          "phone_number",
          "phonenumber",
          "number",
          "mobile",
          "telephone",
          "téléphone",
          "tel",
          "msisdn");
  static final Set<String> REASON_HEADERS = Set.of("reason", "motif", "note");
  static final int MAX_ROWS = 100_000;
  static final int ERRORS_SHOWN = 100;

  /** One refused row. */
  record RowError(long line, String column, String reason) {
    JsonObject toJson() {
      return new JsonObject().put("line", line).put("column", column).put("reason", reason);
    }
  }

  /**
   * The readable rows, de-duplicated by number (first reason wins), and the refused ones.
   *
   * @param rows data rows read (header excluded)
   */
  record Parsed(long rows, Map<String, String> numbers, List<RowError> errors) {
    JsonArray errorsJson() {
      JsonArray out = new JsonArray();
      errors.stream().limit(ERRORS_SHOWN).forEach(e -> out.add(e.toJson()));
      return out;
    }
  }

  private BlacklistImport() {}

  static Parsed read(Buffer body, String defaultRegion) {
    String text = text(body);
    List<CsvReader.Row> all = new ArrayList<>();
    CsvReader reader =
        new CsvReader(
            row -> {
              if (all.size() > MAX_ROWS) {
                throw ApiException.payloadTooLarge(
                    "A blacklist upload holds at most " + MAX_ROWS + " rows");
              }
              all.add(row);
            },
            1000);
    try {
      reader.feed(text);
      reader.end();
    } catch (CsvReader.CsvException e) {
      throw ApiException.badRequest("The file is not valid CSV: " + e.getMessage());
    }
    if (all.isEmpty()) {
      throw ApiException.badRequest("The file is empty; a header line and rows are expected");
    }
    List<String> header = all.get(0).fields();
    int phone = column(header, PHONE_HEADERS);
    int reason = column(header, REASON_HEADERS);
    if (phone < 0) {
      throw ApiException.validation(
          "file",
          "no_phone_column",
          "No phone column: the header needs one of "
              + String.join(", ", PHONE_HEADERS.stream().sorted().toList()));
    }
    String phoneName = header.get(phone).trim();
    Map<String, String> numbers = new LinkedHashMap<>();
    List<RowError> errors = new ArrayList<>();
    for (CsvReader.Row row : all.subList(1, all.size())) {
      List<String> f = row.fields();
      String raw = phone < f.size() ? f.get(phone).trim() : "";
      if (raw.isEmpty()) {
        errors.add(new RowError(row.line(), phoneName, "no phone number"));
        continue;
      }
      PhoneNumbers.Parsed parsed = PhoneNumbers.parse(raw, defaultRegion);
      if (!parsed.ok()) {
        errors.add(new RowError(row.line(), phoneName, parsed.error()));
        continue;
      }
      String why = reason >= 0 && reason < f.size() ? f.get(reason).trim() : "";
      if (why.length() > 500) {
        errors.add(
            new RowError(row.line(), header.get(reason).trim(), "reason is longer than 500"));
        continue;
      }
      numbers.putIfAbsent(parsed.e164(), why.isEmpty() ? null : why);
    }
    return new Parsed(all.size() - 1L, numbers, errors);
  }

  private static int column(List<String> header, Set<String> names) {
    for (int i = 0; i < header.size(); i++) {
      if (names.contains(header.get(i).trim().toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  /** Strict UTF-8 text without NUL bytes, or 400: binary files are refused by content. */
  private static String text(Buffer body) {
    byte[] bytes = body.getBytes();
    for (byte b : bytes) {
      if (b == 0) {
        throw ApiException.badRequest("The file is not text (it contains NUL bytes); CSV expected");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("The file is not UTF-8 text; CSV in UTF-8 expected");
    }
  }

  static List<FieldError> fieldErrors(List<RowError> errors) {
    return errors.stream()
        .limit(ERRORS_SHOWN)
        .map(e -> new FieldError("line " + e.line() + ": " + e.column(), "invalid_row", e.reason()))
        .toList();
  }
}
