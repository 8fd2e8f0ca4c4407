package herald.platform.database;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Small conversions shared by the stores' row mappers. */
public final class Rows {
  private Rows() {}

  /** ISO-8601 UTC text of a timestamptz column, or null. */
  public static String iso(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }

  public static String id(Row row, String column) {
    UUID value = row.getUUID(column);
    return value == null ? null : value.toString();
  }

  public static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(mapper.apply(row)));
    return out;
  }

  /** The first row mapped, or null when there is none. */
  public static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
    var it = rows.iterator();
    return it.hasNext() ? mapper.apply(it.next()) : null;
  }

  /** True when {@code failure} is PostgreSQL's unique violation (SQLSTATE 23505). */
  public static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState());
  }
}
