package herald.job;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * Work Herald does in the background for an account, such as a contact CSV import: its state
 * ({@code queued → running → completed | failed}), progress and row counters.
 *
 * @param params what the job was asked to do (for an import: the file name and the options)
 * @param bytesTotal size of the input; progress is {@code bytesRead} of it
 * @param errorCode why a failed job failed (null otherwise), with {@code errorDetail} for people
 */
public record Job(
    UUID id,
    UUID accountId,
    String type,
    String state,
    JsonObject params,
    JsonObject actor,
    long bytesTotal,
    long bytesRead,
    JobCounts counts,
    String errorCode,
    String errorDetail,
    String createdAt,
    String startedAt,
    String finishedAt) {

  public static final String CONTACTS_IMPORT = "contacts.import";

  static final String COLUMNS =
      "id, account_id, type, state, params, actor, bytes_total, bytes_read, rows_read,"
          + " rows_imported, rows_updated, rows_skipped, rows_failed, error_code, error_detail,"
          + " created_at, started_at, finished_at";

  static Job from(Row row) {
    return new Job(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("type"),
        row.getString("state"),
        row.getJsonObject("params"),
        row.getJsonObject("actor"),
        row.getLong("bytes_total"),
        row.getLong("bytes_read"),
        new JobCounts(
            row.getLong("rows_read"),
            row.getLong("rows_imported"),
            row.getLong("rows_updated"),
            row.getLong("rows_skipped"),
            row.getLong("rows_failed")),
        row.getString("error_code"),
        row.getString("error_detail"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "started_at"),
        Rows.iso(row, "finished_at"));
  }

  public boolean finished() {
    return state.equals("completed") || state.equals("failed");
  }

  /** Percent of the input read: 100 once completed. */
  public int progress() {
    if (state.equals("completed")) {
      return 100;
    }
    return bytesTotal <= 0 ? 0 : (int) Math.min(99, bytesRead * 100 / bytesTotal);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("type", type)
        .put("state", state)
        .put("progress", progress())
        .put("params", params.copy())
        .put("size_bytes", bytesTotal)
        .put("rows_read", counts.read())
        .put("imported", counts.imported())
        .put("updated", counts.updated())
        .put("skipped", counts.skipped())
        .put("failed", counts.failed())
        .put(
            "error",
            errorCode == null
                ? null
                : new JsonObject().put("code", errorCode).put("detail", errorDetail))
        .put("errors_url", "/api/v1/jobs/" + id + "/errors.csv")
        .put("created_at", createdAt)
        .put("started_at", startedAt)
        .put("finished_at", finishedAt);
  }
}
