package herald.platform.database;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause built from optional filters: each {@link #and} with a null value adds nothing, so
 * list queries take exactly the filters the client gave, as numbered parameters.
 */
public final class Where {
  private final StringBuilder sql = new StringBuilder();
  private final List<Object> args = new ArrayList<>();

  /** Starts with a mandatory condition such as {@code "account_id = "} and its value. */
  public Where(String clause, Object value) {
    args.add(value);
    sql.append(clause).append("$1");
  }

  /** Adds {@code AND <clause>$n} when {@code value} is not null; instants become UTC timestamps. */
  public Where and(String clause, Object value) {
    if (value != null) {
      args.add(value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
      sql.append(" AND ").append(clause).append('$').append(args.size());
    }
    return this;
  }

  /**
   * Adds {@code AND <clause>$n<suffix>} when {@code value} is not null, for conditions whose
   * parameter sits inside them, such as a sub-select.
   */
  public Where and(String clause, Object value, String suffix) {
    if (value != null) {
      and(clause, value);
      sql.append(suffix);
    }
    return this;
  }

  public String sql() {
    return sql.toString();
  }

  public List<Object> args() {
    return args;
  }
}
