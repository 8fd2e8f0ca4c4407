package herald.job;

/**
 * One problem with one input row, as {@code errors.csv} lists it.
 *
 * @param row the record's number, the header being row 1 (what a spreadsheet shows)
 * @param line the line of the file where the record starts (differs from {@code row} after quoted
 *     line breaks)
 * @param position order of this problem among the row's problems
 * @param column the column's header as written in the file, or null for the whole row
 */
public record JobError(long row, long line, int position, String column, String reason) {}
