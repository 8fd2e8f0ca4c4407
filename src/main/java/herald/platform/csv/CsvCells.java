package herald.platform.csv;

/** Writing CSV cells. */
public final class CsvCells {
  private CsvCells() {}

  /**
   * RFC 4180 quoting of one cell (empty for null); text a spreadsheet would run as a formula
   * ({@code =}, {@code +}, {@code -}, {@code @} first, other than a plain number) gets a leading
   * apostrophe.
   */
  public static String quote(String value) {
    if (value == null) {
      return "";
    }
    String text =
        !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("[+-]?[0-9]+")
            ? "'" + value
            : value;
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
