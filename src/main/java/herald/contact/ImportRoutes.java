package herald.contact;

import herald.audit.Actor;
import herald.job.Job;
import herald.job.JobCounts;
import herald.job.JobStore;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.config.ContactsConfig;
import herald.platform.config.HeraldConfig;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Uploads;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
  private final Pool pool;
  private final ContactsConfig config;
  private final int idleTimeoutSeconds;
  private final JobStore jobs;
  private final Path dir;

  public ImportRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.pool = platform.pool();
    this.config = platform.config().contacts();
    this.idleTimeoutSeconds = platform.config().http().uploadIdleTimeoutSeconds();
    this.jobs = new JobStore(pool);
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
                pool.withTransaction(
                    tx ->
                        target(tx, actor.accountId(), options, seedList)
                            .compose(
                                group ->
                                    JobStore.insert(
                                        tx,
                                        jobId,
                                        actor.accountId(),
                                        Job.CONTACTS_IMPORT,
                                        options
                                            .withGroup(group)
                                            .toJson()
                                            .put("columns", inspection.columns().describe()),
                                        actor.toJson(),
                                        upload.size()))))
        .compose(this::handOff);
  }

  /** The group the rows join: the client's (422 if not the account's), or seed 000's list. */
  private static Future<UUID> target(
      SqlClient tx, UUID accountId, ImportOptions options, boolean seedList) {
    if (options.groupId() != null) {
      return ImportStore.groupOf(tx, accountId, options.groupId())
          .map(
              found -> {
                if (found == null) {
                  throw ApiException.validation(
                      "group_id", "not_found", "no such group: " + options.groupId());
                }
                return found;
              });
    }
    if (!seedList) {
      return Future.succeededFuture(null);
    }
    String name =
        options.fileName() != null
            ? options.fileName()
            : "CSV upload " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return ImportStore.groupNamed(
        tx,
        accountId,
        name.length() > 200 ? name.substring(0, 200) : name,
        "Uploaded contact list");
  }

  /** Gives the job to this process's importer; if none takes it, the job fails and 503. */
  private Future<Job> handOff(Job job) {
    return vertx
        .eventBus()
        .request(
            Addresses.CONTACTS_IMPORT,
            job.id().toString(),
            new DeliveryOptions().setSendTimeout(5000).setLocalOnly(true))
        .map(reply -> job)
        .recover(
            err ->
                ImportRun.markFailed(
                        pool,
                        job.id(),
                        0,
                        JobCounts.ZERO,
                        "interrupted",
                        "the importer did not take the job (Herald is stopping); nothing was"
                            + " imported")
                    .transform(
                        x ->
                            Future.failedFuture(
                                ApiException.unavailable(
                                    "The importer is not available; try again shortly"))));
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
