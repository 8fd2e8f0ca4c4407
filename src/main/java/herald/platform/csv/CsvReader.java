package herald.platform.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An RFC 4180 CSV reader fed text in pieces of any size ({@link #feed}), so a file can be read as
 * it arrives without holding it. Handles a UTF-8 byte-order mark, {@code ,}, {@code ;} or tab
 * separators (detected on the first line: the most frequent outside quotes, comma on a tie), quoted
 * fields with embedded separators, line breaks and doubled quotes, CRLF or LF line ends, and skips
 * blank lines. Each record goes to the consumer with its 1-based line number (the line it starts
 * on). Not thread-safe.
 */
public final class CsvReader {
  /** A record and the line it starts on. */
  public record Row(long line, List<String> fields) {}

  /** Malformed CSV, with the line where the problem starts. */
  public static final class CsvException extends RuntimeException {
    private final long line;

    CsvException(long line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    public long line() {
      return line;
    }
  }

  private final Consumer<Row> rows;
  private final int maxFieldLength;
  private final StringBuilder pending = new StringBuilder();
  private final StringBuilder field = new StringBuilder();
  private List<String> fields = new ArrayList<>();
  private char separator;
  private boolean started;
  private boolean quoted;
  private boolean afterQuote;
  private boolean fieldStarted;
  private long line = 1;
  private long recordLine = 1;

  /**
   * @param maxFieldLength longest field accepted; longer fails (guards memory against a runaway
   *     quote)
   */
  public CsvReader(Consumer<Row> rows, int maxFieldLength) {
    this.rows = rows;
    this.maxFieldLength = maxFieldLength;
  }

  /** The detected separator, or 0 before the first line is complete. */
  public char separator() {
    return separator;
  }

  /** Reads more text; complete records are passed on, the rest is kept until the next piece. */
  public void feed(CharSequence text) {
    if (separator == 0) {
      pending.append(text);
      int end = firstLineEnd(pending);
      if (end < 0) {
        if (pending.length() > maxFieldLength * 4L) {
          throw new CsvException(1, "the first line is too long");
        }
        return;
      }
      separator = detect(pending, end);
      String all = pending.toString();
      pending.setLength(0);
      consume(all);
      return;
    }
    consume(text);
  }

  /** Ends the input: the last record (without a final line break) is passed on. */
  public void end() {
    if (separator == 0) {
      separator = detect(pending, pending.length());
      String all = pending.toString();
      pending.setLength(0);
      consume(all);
    }
    if (quoted) {
      throw new CsvException(
          recordLine, "a quoted field starting on line " + recordLine + " never ends");
    }
    if (fieldStarted || !fields.isEmpty()) {
      endRecord();
    }
  }

  private void consume(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!started) {
        started = true;
        if (c == '\uFEFF') {
          continue;
        }
      }
      if (quoted) {
        if (c == '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (c == '\n') {
            line++;
          }
          append(c);
        }
        continue;
      }
      if (afterQuote && c == '"') {
        // a doubled quote inside a quoted field
        quoted = true;
        afterQuote = false;
        append('"');
        continue;
      }
      if (c == separator) {
        endField();
      } else if (c == '\n') {
        endRecord();
        line++;
        recordLine = line;
      } else if (c == '\r') {
        // CR of CRLF, or a lone CR: ignored; LF ends the record
      } else if (c == '"' && !fieldStarted) {
        quoted = true;
        fieldStarted = true;
      } else if (afterQuote) {
        throw new CsvException(
            line,
            "unexpected text after a closing quote on line " + line + " (quotes must be doubled)");
      } else {
        fieldStarted = true;
        append(c);
      }
    }
  }

  private void append(char c) {
    if (field.length() >= maxFieldLength) {
      throw new CsvException(recordLine, "a field on line " + recordLine + " is too long");
    }
    field.append(c);
  }

  private void endField() {
    fields.add(field.toString());
    field.setLength(0);
    fieldStarted = false;
    afterQuote = false;
  }

  private void endRecord() {
    boolean blank = fields.isEmpty() && !fieldStarted && field.length() == 0;
    if (!blank) {
      endField();
      rows.accept(new Row(recordLine, fields));
      fields = new ArrayList<>(fields.size()); // records are mostly as wide as the last one
    }
    fieldStarted = false;
    afterQuote = false;
  }

  /** Index of the end of the first line outside quotes, or -1 if it is not complete yet. */
  private static int firstLineEnd(CharSequence text) {
    boolean inQuotes = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        inQuotes = !inQuotes;
      } else if (c == '\n' && !inQuotes) {
        return i;
      }
    }
    return -1;
  }

  private static char detect(CharSequence text, int end) {
    int commas = 0;
    int semicolons = 0;
    int tabs = 0;
    boolean inQuotes = false;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        inQuotes = !inQuotes;
      } else if (!inQuotes) {
        if (c == ',') {
          commas++;
        } else if (c == ';') {
          semicolons++;
        } else if (c == '\t') {
          tabs++;
        }
      }
    }
    if (semicolons > commas && semicolons >= tabs) {
      return ';';
    }
    if (tabs > commas && tabs > semicolons) {
      return '\t';
    }
    return ',';
  }
}
