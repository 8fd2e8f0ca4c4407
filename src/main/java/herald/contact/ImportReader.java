package herald.contact;

import herald.job.JobError;
import herald.phone.PhoneNumbers;
import herald.platform.csv.CsvReader;
import herald.platform.csv.CsvStream;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a spooled import file row by row and turns it into {@link ImportBatch}es: each row checked
 * as the contacts API checks a contact (E.164 through libphonenumber with the account's default
 * region, lengths, e-mail, time zone, language, status, custom values), refused rows reported with
 * their row number, and a number already seen earlier in the file reported as a duplicate of that
 * row. Memory stays flat: one 64 KB chunk, one batch, and the numbers seen ({@link PhoneIndex}).
 * Blocking (file I/O, libphonenumber): worker threads only, one at a time.
 */
final class ImportReader implements Closeable {
  /** Longest cell read; a runaway quote fails here instead of filling memory. */
  static final int MAX_CELL = 10_000;

  static final int MAX_GROUP_NAMES = 1000;

  private final CsvStream csv;
  private final ImportColumns columns;
  private final String region;
  private final int batchRows;
  private final PhoneIndex seen = new PhoneIndex();
  private final Set<String> groupNames = new HashSet<>();
  private final String phoneHeader;
  private final long fileSize;
  private long row = 1; // the header

  private ImportReader(
      CsvStream csv, ImportColumns columns, String region, int batchRows, long fileSize) {
    this.csv = csv;
    this.fileSize = fileSize;
    this.columns = columns;
    this.region = region;
    this.batchRows = batchRows;
    this.phoneHeader = columns.headerOf(ImportColumns.Field.PHONE);
  }

  /** What the POST can tell at once about a file, from its first bytes. */
  record Inspection(ImportColumns columns, long rowsSeen, boolean complete) {}

  /**
   * Opens {@code file} and plans its columns from the header.
   *
   * @throws ApiException 400, 415 or 422 when the file cannot be imported at all
   */
  static ImportReader open(Path file, Map<String, String> mapping, String region, int batchRows)
      throws IOException {
    CsvStream csv = new CsvStream(Files.newInputStream(file), MAX_CELL);
    try {
      CsvReader.Row header = csv.next();
      if (header == null) {
        throw ApiException.badRequest("The file is empty; a header line and rows are expected");
      }
      return new ImportReader(
          csv, ImportColumns.of(header.fields(), mapping), region, batchRows, Files.size(file));
    } catch (RuntimeException | IOException e) {
      csv.close();
      throw problem(e);
    }
  }

  /**
   * The checks a POST answers synchronously: the file is UTF-8 text, its header names a phone
   * column, and its first {@code prefixBytes} are well-formed CSV. A file no longer than that is
   * checked whole, so an unterminated quote or a file without rows answers at once.
   *
   * @throws ApiException 400, 415 or 422 naming the problem
   */
  static Inspection inspect(Path file, Map<String, String> mapping, long prefixBytes)
      throws IOException {
    try (ImportReader reader = open(file, mapping, null, 1)) {
      long rows = 0;
      try {
        while (reader.csv.bytesRead() < prefixBytes) {
          if (reader.csv.next() == null) {
            if (rows == 0) {
              throw ApiException.validation(
                  "file", "no_rows", "The file has a header but no rows to import");
            }
            return new Inspection(reader.columns, rows, true);
          }
          rows++;
        }
      } catch (RuntimeException e) {
        throw problem(e);
      }
      return new Inspection(reader.columns, rows, false);
    }
  }

  /** The client-facing form of a file-level problem; other failures pass unchanged. */
  static RuntimeException problem(Exception e) {
    if (e instanceof CsvStream.NotTextException notText) {
      return new ApiException(
          415,
          "not-csv",
          "Not a CSV file",
          "The file is not CSV text: "
              + notText.getMessage().replaceFirst("^the file is not (UTF-8 )?text: ", "")
              + ". Upload CSV in UTF-8 (spreadsheets: save as 'CSV UTF-8')");
    }
    if (e instanceof CsvReader.CsvException malformed) {
      return new ApiException(
          400,
          "malformed-csv",
          "Malformed CSV",
          "The file is not valid CSV: " + malformed.getMessage());
    }
    if (e instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(e);
  }

  ImportColumns columns() {
    return columns;
  }

  /**
   * The next batch: up to {@code batchRows} rows read.
   *
   * @throws CsvReader.CsvException or {@link CsvStream.NotTextException} when the file turns out
   *     malformed or binary further on
   */
  ImportBatch next() throws IOException {
    Rows out = new Rows(batchRows);
    List<JobError> errors = new ArrayList<>();
    long read = 0;
    long failed = 0;
    long duplicates = 0;
    CsvReader.Row record = null;
    while (read < batchRows && (record = csv.next()) != null) {
      row++;
      read++;
      List<String> cells = record.fields();
      Problems problems = new Problems(row, record.line(), errors);
      ParsedRow parsed = parse(cells, problems);
      if (problems.count > 0) {
        failed++;
        continue;
      }
      int earlier = (int) seen.putIfAbsent(PhoneIndex.key(parsed.phone), row);
      if (earlier != 0) {
        problems.add(
            phoneHeader,
            "duplicate of row " + earlier + " (" + parsed.phone + "); this row was skipped");
        duplicates++;
        continue;
      }
      out.add(parsed);
    }
    if (row - 1 == read && record != null) {
      // After the first batch: size the duplicate index for the whole file from its row length.
      seen.reserve(fileSize * read / Math.max(1, csv.bytesRead()) * 11 / 10);
    }
    return out.batch(errors, read, failed, duplicates, csv.bytesRead(), record == null);
  }

  /** Collects one row's problems, in column order. */
  private static final class Problems {
    final long row;
    final long line;
    final List<JobError> errors;
    int count;

    Problems(long row, long line, List<JobError> errors) {
      this.row = row;
      this.line = line;
      this.errors = errors;
    }

    void add(String column, String reason) {
      errors.add(new JobError(row, line, count++, column, reason));
    }
  }

  private record ParsedRow(
      String phone,
      String name,
      String firstName,
      String lastName,
      String email,
      String status,
      String timezone,
      String language,
      String customFields,
      List<String> groups) {}

  private ParsedRow parse(List<String> cells, Problems problems) {
    int width = columns.header().size();
    for (int i = width; i < cells.size(); i++) {
      if (!cells.get(i).isBlank()) {
        problems.add(null, "the row has " + cells.size() + " fields but the header has " + width);
        break;
      }
    }
    String phone = null;
    String raw = cell(cells, ImportColumns.Field.PHONE);
    if (raw == null) {
      problems.add(phoneHeader, "no phone number");
    } else {
      PhoneNumbers.Parsed parsed = PhoneNumbers.parse(raw, region);
      if (parsed.ok()) {
        phone = parsed.e164();
      } else {
        problems.add(phoneHeader, parsed.error());
      }
    }
    String name = text(cells, ImportColumns.Field.NAME, 200, problems);
    String firstName = text(cells, ImportColumns.Field.FIRST_NAME, 100, problems);
    String lastName = text(cells, ImportColumns.Field.LAST_NAME, 100, problems);
    String email = text(cells, ImportColumns.Field.EMAIL, 254, problems);
    if (email != null && !ContactInput.isEmail(email)) {
      problems.add(columns.headerOf(ImportColumns.Field.EMAIL), "not an e-mail address");
    }
    String status = cell(cells, ImportColumns.Field.STATUS);
    if (status != null) {
      status = status.toLowerCase(Locale.ROOT);
      if (!ContactInput.STATUSES.contains(status)) {
        problems.add(
            columns.headerOf(ImportColumns.Field.STATUS), "status must be active or inactive");
      }
    }
    String timezone = cell(cells, ImportColumns.Field.TIMEZONE);
    if (timezone != null && !ContactInput.ZONES.contains(timezone)) {
      problems.add(
          columns.headerOf(ImportColumns.Field.TIMEZONE),
          "not an IANA time zone such as Europe/Paris");
    }
    String language = cell(cells, ImportColumns.Field.LANGUAGE);
    if (language != null
        && (language.length() > 35 || !ContactInput.LANGUAGE.matcher(language).matches())) {
      problems.add(
          columns.headerOf(ImportColumns.Field.LANGUAGE), "not a language tag such as fr or en-GB");
    }
    StringBuilder custom = null;
    for (ImportColumns.Custom c : columns.custom()) {
      String value = c.column() < cells.size() ? cells.get(c.column()).trim() : "";
      if (value.length() > 1000) {
        problems.add(columns.header().get(c.column()).trim(), "longer than 1000 characters");
      } else if (!value.isEmpty()) {
        custom = custom == null ? new StringBuilder("{") : custom.append(',');
        appendJsonString(custom, c.key()).append(':');
        appendJsonString(custom, value);
      }
    }
    List<String> groups = groups(cells, problems);
    return new ParsedRow(
        phone,
        name,
        firstName,
        lastName,
        email,
        status,
        timezone,
        language,
        custom == null ? null : custom.append('}').toString(),
        groups);
  }

  /**
   * A JSON string (RFC 8259), written by hand: custom fields are flat text, and Jackson's general
   * encoder cost a tenth of the reader's time.
   */
  static StringBuilder appendJsonString(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** Group names, separated by {@code ;} or {@code |}; new names count against the file's cap. */
  private List<String> groups(List<String> cells, Problems problems) {
    String value = cell(cells, ImportColumns.Field.GROUPS);
    if (value == null) {
      return List.of();
    }
    String header = columns.headerOf(ImportColumns.Field.GROUPS);
    List<String> names = new ArrayList<>();
    for (String part : value.split("[;|]")) {
      String name = part.trim();
      if (name.isEmpty() || names.contains(name)) {
        continue;
      }
      if (name.length() > 200) {
        problems.add(header, "a group name is longer than 200 characters");
        return List.of();
      }
      names.add(name);
    }
    if (names.size() > ContactInput.MAX_GROUPS) {
      problems.add(header, "more than " + ContactInput.MAX_GROUPS + " groups");
      return List.of();
    }
    long unknown = names.stream().filter(n -> !groupNames.contains(n)).count();
    if (groupNames.size() + unknown > MAX_GROUP_NAMES) {
      problems.add(header, "the file names more than " + MAX_GROUP_NAMES + " different groups");
      return List.of();
    }
    if (problems.count == 0) {
      groupNames.addAll(names);
    }
    return names;
  }

  private String cell(List<String> cells, ImportColumns.Field field) {
    int column = columns.column(field);
    if (column < 0 || column >= cells.size()) {
      return null;
    }
    String value = cells.get(column).trim();
    return value.isEmpty() ? null : value;
  }

  private String text(List<String> cells, ImportColumns.Field field, int max, Problems problems) {
    String value = cell(cells, field);
    if (value != null && value.length() > max) {
      problems.add(columns.headerOf(field), "longer than " + max + " characters");
      return null;
    }
    return value;
  }

  /** Valid rows gathered column by column. */
  private static final class Rows {
    final List<ParsedRow> rows;

    Rows(int capacity) {
      rows = new ArrayList<>(capacity);
    }

    void add(ParsedRow row) {
      rows.add(row);
    }

    ImportBatch batch(
        List<JobError> errors,
        long read,
        long failed,
        long duplicates,
        long bytesRead,
        boolean last) {
      int n = rows.size();
      UUID[] ids = new UUID[n];
      String[][] columns = new String[9][n];
      List<String> memberPhones = new ArrayList<>();
      List<String> memberGroups = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ParsedRow r = rows.get(i);
        ids[i] = Ids.newId();
        columns[0][i] = r.phone();
        columns[1][i] = r.name();
        columns[2][i] = r.firstName();
        columns[3][i] = r.lastName();
        columns[4][i] = r.email();
        columns[5][i] = r.status();
        columns[6][i] = r.timezone();
        columns[7][i] = r.language();
        columns[8][i] = r.customFields();
        for (String group : r.groups()) {
          memberPhones.add(r.phone());
          memberGroups.add(group);
        }
      }
      return new ImportBatch(
          ids,
          columns[0],
          columns[1],
          columns[2],
          columns[3],
          columns[4],
          columns[5],
          columns[6],
          columns[7],
          columns[8],
          memberPhones.toArray(new String[0]),
          memberGroups.toArray(new String[0]),
          errors,
          read,
          failed,
          duplicates,
          bytesRead,
          last);
    }
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
