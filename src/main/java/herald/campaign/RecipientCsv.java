package herald.campaign;

import herald.phone.PhoneNumbers;
import herald.platform.csv.CsvReader;
import herald.platform.http.ApiException;
import io.vertx.core.json.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Campaign recipients read from an uploaded CSV file, a chunk at a time, so a file of any length is
 * read with the memory of one chunk. The file must be UTF-8 text (checked by content: NUL bytes or
 * invalid UTF-8 answer 400, wherever they are) with a header line naming a phone column ({@code
 * phone}, {@code phone_number}, {@code number}, {@code mobile}, {@code telephone}, {@code tel},
 * {@code msisdn}); a {@code timezone} column is the recipient's time zone and every other named
 * column one of its variables. Numbers are normalised to E.164 with the account's default region.
 *
 * <p>Blocking (disk, libphonenumber): use on a worker thread, by one caller at a time.
 */
final class RecipientCsv implements Closeable {
  static final Set<String> PHONE_HEADERS =
      Set.of("phone", "phone_number", "number", "mobile", "telephone", "tel", "msisdn");
  static final Set<String> TIMEZONE_HEADERS = Set.of("timezone", "time_zone", "tz");
  static final int MAX_COLUMNS = 100;
  static final int MAX_FIELD = 1600;
  private static final int BLOCK = 16_384;

  /**
   * The header: every column name, the phone and time zone columns (-1 when absent), and each
   * column's variable name (null for the phone and time zone columns, blank or repeated names).
   */
  record Header(List<String> columns, int phone, int timezone, List<String> variables) {
    String phoneColumn() {
      return columns.get(phone);
    }

    String timezoneColumn() {
      return timezone < 0 ? null : columns.get(timezone);
    }
  }

  /**
   * One data row: its 1-based number (header excluded) and the file line it starts on, the
   * recipient it gives (null when it has no phone number), and what is wrong with it (null when
   * nothing is; {@code invalid_number} rows still give a recipient, skipped for that reason).
   */
  record Line(
      long row, long line, RecipientStore.NewRecipient recipient, String code, String detail) {
    boolean valid() {
      return code == null;
    }
  }

  private final Reader reader;
  private final String region;
  private final ArrayDeque<CsvReader.Row> parsed = new ArrayDeque<>();
  private final CsvReader csv = new CsvReader(parsed::add, MAX_FIELD);
  private final char[] block = new char[BLOCK];
  private Header header;
  private boolean ended;
  private long rows;

  private RecipientCsv(Reader reader, String region) {
    this.reader = reader;
    this.region = region;
  }

  /**
   * Opens {@code file} and reads its header.
   *
   * @throws ApiException 400 for an empty file or one that is not CSV text, 422 without a phone
   *     column or with more than {@value #MAX_COLUMNS} columns
   */
  static RecipientCsv open(Path file, String defaultRegion) {
    Reader reader;
    try {
      reader =
          new InputStreamReader(
              Files.newInputStream(file),
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RecipientCsv csv = new RecipientCsv(reader, defaultRegion);
    try {
      csv.readHeader();
      return csv;
    } catch (RuntimeException e) {
      csv.close();
      throw e;
    }
  }

  Header header() {
    return header;
  }

  private void readHeader() {
    fill(1);
    if (parsed.isEmpty()) {
      throw ApiException.badRequest("The file is empty; a header line and rows are expected");
    }
    List<String> columns = parsed.poll().fields().stream().map(String::trim).toList();
    if (columns.size() > MAX_COLUMNS) {
      throw ApiException.validation(
          "file", "too_many_columns", "The file has more than " + MAX_COLUMNS + " columns");
    }
    int phone = find(columns, PHONE_HEADERS);
    if (phone < 0) {
      throw ApiException.validation(
          "file",
          "no_phone_column",
          "No phone column: the header needs one of "
              + String.join(", ", PHONE_HEADERS.stream().sorted().toList()));
    }
    int timezone = find(columns, TIMEZONE_HEADERS);
    List<String> variables = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i);
      boolean usable =
          i != phone && i != timezone && !name.isEmpty() && seen.add(name.toLowerCase(Locale.ROOT));
      variables.add(usable ? name : null);
    }
    header = new Header(columns, phone, timezone, variables);
  }

  private static int find(List<String> columns, Set<String> names) {
    for (int i = 0; i < columns.size(); i++) {
      if (names.contains(columns.get(i).toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The next {@code max} rows at most; empty at the end of the file.
   *
   * @throws ApiException 400 when the rest of the file is not CSV text
   */
  List<Line> next(int max) {
    fill(max);
    List<Line> out = new ArrayList<>(Math.min(max, parsed.size()));
    while (out.size() < max && !parsed.isEmpty()) {
      out.add(line(parsed.poll()));
    }
    return out;
  }

  /** Reads blocks until {@code wanted} rows are parsed or the file ends. */
  private void fill(int wanted) {
    try {
      while (parsed.size() < wanted && !ended) {
        int n = reader.read(block);
        if (n < 0) {
          ended = true;
          csv.end();
          break;
        }
        for (int i = 0; i < n; i++) {
          if (block[i] == 0) {
            throw ApiException.badRequest(
                "The file is not text (it contains NUL bytes); CSV expected");
          }
        }
        csv.feed(CharBuffer.wrap(block, 0, n));
      }
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("The file is not UTF-8 text; CSV in UTF-8 expected");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CsvReader.CsvException e) {
      throw ApiException.badRequest("The file is not valid CSV: " + e.getMessage());
    }
  }

  private Line line(CsvReader.Row row) {
    rows++;
    List<String> f = row.fields();
    JsonObject data = new JsonObject();
    for (int i = 0; i < f.size() && i < header.variables().size(); i++) {
      String name = header.variables().get(i);
      String value = f.get(i).trim();
      if (name != null && !value.isEmpty()) {
        data.put(name, value);
      }
    }
    String zone = cell(f, header.timezone());
    if (zone != null && zone.length() > 64) {
      zone = zone.substring(0, 64);
    }
    String raw = cell(f, header.phone());
    if (raw == null) {
      return new Line(rows, row.line(), null, "missing_phone", "no phone number");
    }
    PhoneNumbers.Parsed number = PhoneNumbers.parse(raw, region);
    if (!number.ok()) {
      String kept = raw.length() > 64 ? raw.substring(0, 64) : raw;
      return new Line(
          rows,
          row.line(),
          new RecipientStore.NewRecipient(kept, data, zone, "invalid_number"),
          "invalid_number",
          number.error());
    }
    return new Line(
        rows,
        row.line(),
        new RecipientStore.NewRecipient(number.e164(), data, zone, null),
        null,
        null);
  }

  private static String cell(List<String> fields, int index) {
    if (index < 0 || index >= fields.size()) {
      return null;
    }
    String value = fields.get(index).trim();
    return value.isEmpty() ? null : value;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // nothing was written; a failed close of a read-only file loses nothing
    }
  }
}
