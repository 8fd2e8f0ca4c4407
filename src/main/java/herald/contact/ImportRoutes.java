package herald.contact;

import herald.audit.Actor;
import herald.job.Job;
import herald.job.JobStore;
import herald.platform.Platform;
import herald.platform.config.ContactsConfig;
import herald.platform.config.HeraldConfig;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Uploads;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/contacts/import}: a CSV file, as the {@code file} field of a multipart form
 * or as a {@code text/csv} body, becomes a {@code contacts.import} job. The upload is streamed to
 * {@code <data_dir>/imports/<job id>.csv} (a file over {@code contacts.import_max_bytes} answers
 * 413); what can be told from the first megabyte is answered at once (415 not text, 400 malformed,
 * 422 no phone column or bad options); then the job is queued and the answer is 202 with the job
 * and its {@code Location}. Seed 000's {@code POST /api/csv/upload} is the same upload into a
 * contact list (a group named after the file) and waits for the job to answer in its shape.
 */
public final class ImportRoutes {
  static final Set<String> CSV_TYPES =
      Set.of(
          "text/csv",
          "application/csv",
          "text/plain",
          "text/comma-separated-values",
          "application/vnd.ms-excel");

  /** How much of a file the POST checks before answering. */
  private static final long INSPECTED_BYTES = 1 << 20;

  /** How long seed 000's upload waits for its job before answering 202 instead. */
  private static final long SEED_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final ImportService service;
  private final ContactsConfig config;
  private final int idleTimeoutSeconds;
  private final JobStore jobs;
  private final Path dir;

  public ImportRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.service = new ImportService(vertx, platform.pool());
    this.config = platform.config().contacts();
    this.idleTimeoutSeconds = platform.config().http().uploadIdleTimeoutSeconds();
    this.jobs = new JobStore(platform.pool());
    this.dir = directory(platform.config());
  }

  /** Where uploads are spooled until their job ends. */
  public static Path directory(HeraldConfig config) {
    return config.dataDir().resolve("imports");
  }

  static Path file(Path dir, UUID jobId) {
    return dir.resolve(jobId + ".csv");
  }

  /** {@code POST /api/v1/contacts/import}: 202 with the queued job. */
  public void create(RoutingContext ctx) {
    accept(ctx, false)
        .onSuccess(
            job ->
                ctx.response()
                    .setStatusCode(202)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Location", "/api/v1/jobs/" + job.id())
                    .end(job.toJson().encode()))
        .onFailure(err -> fail(ctx, err));
  }

  /**
   * Seed 000's {@code POST /api/csv/upload}: the file goes into a contact list, the group named
   * after the file (or {@code group_id}); answers {@code {success, filename, contacts_imported,
   * list_id}} once the job completes (200), 422 or 503 problem+json if it fails, or 202 with {@code
   * contacts_imported: null} and the job if it is still running after 30 s.
   */
  public void seedUpload(RoutingContext ctx) {
    accept(ctx, true)
        .compose(this::await)
        .onSuccess(
            job -> {
              if (job.state().equals("failed")) {
                boolean ours =
                    "internal".equals(job.errorCode()) || "interrupted".equals(job.errorCode());
                fail(
                    ctx,
                    new ApiException(
                        ours ? 503 : 422,
                        "import-failed",
                        "Import failed",
                        job.errorDetail() + " (job " + job.id() + ")"));
                return;
              }
              boolean done = job.state().equals("completed");
              JsonObject body =
                  new JsonObject()
                      .put("success", true)
                      .put("filename", job.params().getString("file_name"))
                      .put(
                          "contacts_imported",
                          done ? job.counts().imported() + job.counts().updated() : null)
                      .put("list_id", job.params().getString("group_id"))
                      .put("job_id", job.id().toString())
                      .put("job", job.toJson());
              ctx.response()
                  .setStatusCode(done ? 200 : 202)
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Location", "/api/v1/jobs/" + job.id())
                  .end(body.encode());
            })
        .onFailure(err -> fail(ctx, err));
  }

  /** Answers the failure, unless the client has gone away (a cut-off upload). */
  private static void fail(RoutingContext ctx, Throwable err) {
    if (!ctx.response().closed()) {
      ctx.fail(err);
    }
  }

  private Future<Job> accept(RoutingContext ctx, boolean seedList) {
    Actor actor;
    try {
      actor = Actor.of(ctx);
      ImportOptions.read(ctx.queryParams(), null, null); // bad query options fail before the upload
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    UUID jobId = Ids.newId();
    Path file = file(dir, jobId);
    return Uploads.receive(
            ctx, file, "file", CSV_TYPES, config.importMaxBytes(), idleTimeoutSeconds)
        .compose(
            upload ->
                queue(ctx, actor, jobId, upload, seedList)
                    .recover(
                        err ->
                            vertx
                                .fileSystem()
                                .delete(file.toString())
                                .otherwiseEmpty()
                                .compose(v -> Future.failedFuture(err))));
  }

  private Future<Job> queue(
      RoutingContext ctx, Actor actor, UUID jobId, Uploads.Upload upload, boolean seedList) {
    ImportOptions options = ImportOptions.read(ctx.queryParams(), upload.form(), upload.fileName());
    if (upload.size() == 0) {
      throw ApiException.badRequest("The file is empty; a header line and rows are expected");
    }
    return vertx
        .executeBlocking(
            () -> ImportReader.inspect(upload.file(), options.mapping(), INSPECTED_BYTES), false)
        .compose(
            inspection ->
                service.queue(actor, jobId, options, inspection, upload.size(), seedList));
  }

  /** The job once it has ended, or as it is after {@link #SEED_WAIT_MS}. */
  private Future<Job> await(Job job) {
    Promise<Job> result = Promise.promise();
    long deadline = System.currentTimeMillis() + SEED_WAIT_MS;
    poll(job, deadline, result);
    return result.future();
  }

  private void poll(Job job, long deadline, Promise<Job> result) {
    vertx.setTimer(
        100,
        t ->
            jobs.get(job.accountId(), job.id())
                .onFailure(result::tryFail)
                .onSuccess(
                    now -> {
                      if (now.finished() || System.currentTimeMillis() > deadline) {
                        result.tryComplete(now);
                      } else {
                        poll(now, deadline, result);
                      }
                    }));
  }
}
