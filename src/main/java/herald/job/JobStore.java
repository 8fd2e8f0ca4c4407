package herald.job;

import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** All SQL about jobs and the rows they refused. */
public final class JobStore {
  /** The errors of one job in file order, for {@code errors.csv} (a cursor over {@code $1}). */
  private static final String ERRORS =
      "SELECT row_number, line, column_name, reason FROM job_errors WHERE job_id = $1"
          + " ORDER BY row_number, position";

  private static final String UNFINISHED = "state IN ('queued', 'running')";

  private final Pool pool;

  public JobStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Streams the job's row errors in file order ({@code row_number, line, column_name, reason}) to
   * {@code consumer}, in a read-only transaction that a cursor needs and that ends when the
   * consumer's future does.
   */
  Future<Void> streamErrors(UUID jobId, Function<RowStream<Row>, Future<Void>> consumer) {
    return pool.withTransaction(
        conn ->
            conn.prepare(ERRORS)
                .compose(
                    statement -> consumer.apply(statement.createStream(500, Tuple.of(jobId)))));
  }

  /** List filters; null fields do not filter. */
  public record Filter(String type, String state) {}

  public Future<List<Job>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where =
        new Where("account_id = ", accountId)
            .and("type = ", filter.type())
            .and("state = ", filter.state())
            .and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + Job.COLUMNS
                + " FROM jobs WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Job::from));
  }

  /** The account's job, or null (another account's job is not found either). */
  public Future<Job> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + Job.COLUMNS + " FROM jobs WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Job::from));
  }

  /** Creates a queued job. */
  public static Future<Job> insert(
      SqlClient tx,
      UUID id,
      UUID accountId,
      String type,
      JsonObject params,
      JsonObject actor,
      long bytesTotal) {
    return tx.preparedQuery(
            "INSERT INTO jobs (id, account_id, type, params, actor, bytes_total)"
                + " VALUES ($1, $2, $3, $4, $5, $6) RETURNING "
                + Job.COLUMNS)
        .execute(Tuple.of(id, accountId, type, params, actor, bytesTotal))
        .map(rows -> Rows.first(rows, Job::from));
  }

  /** Moves a queued job to running; null if it is no longer queued (it was swept meanwhile). */
  public Future<Job> start(UUID id) {
    return pool.preparedQuery(
            "UPDATE jobs SET state = 'running', started_at = now(), heartbeat_at = now()"
                + " WHERE id = $1 AND state = 'queued' RETURNING "
                + Job.COLUMNS)
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Job::from));
  }

  /**
   * Reports how far a running job got (its counters are provisional until it completes); false when
   * the job is no longer running (it was failed meanwhile).
   */
  public Future<Boolean> progress(UUID id, long bytesRead, JobCounts counts) {
    return pool.preparedQuery(
            "UPDATE jobs SET bytes_read = $2, rows_read = $3, rows_imported = $4,"
                + " rows_updated = $5, rows_skipped = $6, rows_failed = $7, heartbeat_at = now()"
                + " WHERE id = $1 AND state = 'running'")
        .execute(
            Tuple.of(
                id,
                bytesRead,
                counts.read(),
                counts.imported(),
                counts.updated(),
                counts.skipped(),
                counts.failed()))
        .map(rows -> rows.rowCount() > 0);
  }

  /**
   * Ends an unfinished job as {@code completed} or {@code failed}, in the caller's transaction
   * (which may have begun long before: the times are the clock's, not the transaction's); null when
   * it had already ended (swept as stale, say), so the caller can roll its work back.
   */
  public static Future<Job> finish(
      SqlClient tx,
      UUID id,
      String state,
      long bytesRead,
      JobCounts counts,
      String errorCode,
      String errorDetail) {
    return tx.preparedQuery(
            "UPDATE jobs SET state = $2, bytes_read = $3, rows_read = $4, rows_imported = $5,"
                + " rows_updated = $6, rows_skipped = $7, rows_failed = $8, error_code = $9,"
                + " error_detail = $10, finished_at = clock_timestamp(),"
                + " started_at = coalesce(started_at, clock_timestamp()) WHERE id = $1 AND "
                + UNFINISHED
                + " RETURNING "
                + Job.COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  id,
                  state,
                  bytesRead,
                  counts.read(),
                  counts.imported(),
                  counts.updated(),
                  counts.skipped(),
                  counts.failed(),
                  errorCode,
                  errorDetail
                }))
        .map(rows -> Rows.first(rows, Job::from));
  }

  /** Tells other processes that the jobs this one holds are alive. */
  public Future<Void> touch(List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(
            "UPDATE jobs SET heartbeat_at = now() WHERE id = ANY($1) AND " + UNFINISHED)
        .execute(Tuple.of(ids.toArray(new UUID[0])))
        .mapEmpty();
  }

  /**
   * Fails, in the caller's transaction, every unfinished job not heard of for {@code stale}: its
   * process died. Returns them.
   */
  public static Future<List<Job>> failStale(SqlClient tx, Duration stale, String detail) {
    return tx.preparedQuery(
            "UPDATE jobs SET state = 'failed', error_code = 'interrupted', error_detail = $2,"
                + " rows_imported = 0, rows_updated = 0, rows_skipped = 0, finished_at = now()"
                + " WHERE "
                + UNFINISHED
                + " AND heartbeat_at < now() - make_interval(secs => $1) RETURNING "
                + Job.COLUMNS)
        .execute(Tuple.of((double) stale.toSeconds(), detail))
        .map(rows -> Rows.map(rows, Job::from));
  }

  /** The states of those of {@code ids} that are jobs. */
  public Future<Map<UUID, String>> states(List<UUID> ids) {
    return pool.preparedQuery("SELECT id, state FROM jobs WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(new UUID[0])))
        .map(
            rows -> {
              Map<UUID, String> out = new HashMap<>();
              rows.forEach(row -> out.put(row.getUUID("id"), row.getString("state")));
              return out;
            });
  }

  /** Records refused rows, one statement per call. */
  public Future<Void> addErrors(UUID jobId, List<JobError> errors) {
    if (errors.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = errors.size();
    Long[] rows = new Long[n];
    Long[] lines = new Long[n];
    Short[] positions = new Short[n];
    String[] columns = new String[n];
    String[] reasons = new String[n];
    for (int i = 0; i < n; i++) {
      JobError e = errors.get(i);
      rows[i] = e.row();
      lines[i] = e.line();
      positions[i] = (short) Math.min(e.position(), Short.MAX_VALUE);
      columns[i] = e.column();
      reasons[i] = e.reason();
    }
    return pool.preparedQuery(
            "INSERT INTO job_errors (job_id, row_number, line, position, column_name, reason)"
                + " SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::smallint[],"
                + " $5::text[], $6::text[]) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(jobId, rows, lines, positions, columns, reasons))
        .mapEmpty();
  }
}
