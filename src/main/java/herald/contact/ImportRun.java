package herald.contact;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.event.EventType;
import herald.job.Job;
import herald.job.JobCounts;
import herald.job.JobStore;
import herald.platform.database.Outbox;
import herald.platform.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One contact import, driven from the importer's event loop. The reader parses the next batch on a
 * worker thread while up to two earlier ones are written (pipelined on one connection), so the file
 * is read once and never held, and PostgreSQL always has work. All contacts, memberships, groups
 * created by name, the job's completion, the audit entry and the events ({@code contacts.imported},
 * {@code contact_group.members_added}) are written in one transaction: an import is all or nothing,
 * and a crash or a stop leaves nothing of it behind. Refused rows go to {@code job_errors} as they
 * are found, and the job's progress is reported after every batch (its counters stay provisional
 * until it completes). With {@code on_error=reject} the transaction is rolled back at the first
 * invalid row and the rest of the file is only read, to report every invalid row.
 */
final class ImportRun {
  static final EventType COMPLETED_EVENT = EventType.CONTACTS_IMPORTED;
  static final EventType FAILED_EVENT = EventType.CONTACTS_IMPORT_FAILED;

  private static final Logger LOG = LoggerFactory.getLogger(ImportRun.class);
  private static final long PROGRESS_MS = 500;
  private static final int WRITES_IN_FLIGHT = 2;

  /** The job was ended elsewhere (stale sweep) or Herald is stopping. */
  static final class Interrupted extends RuntimeException {
    Interrupted(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final WorkerExecutor worker;
  private final JobStore jobs;
  private final AccountStore accounts;
  private final int batchRows;
  private final UUID jobId;
  private final Path file;
  private final BooleanSupplier stopping;

  private Job job;
  private long startedNanos;
  private ImportOptions options;
  private ImportReader reader;
  private SqlConnection conn;
  private Transaction tx;
  private JobCounts counts = JobCounts.ZERO;
  private long bytesRead;
  private boolean rejecting;
  private final Promise<Void> done = Promise.promise();
  private ImportBatch ready;
  private boolean parsing;
  private boolean ended;
  private int inFlight;
  private Future<Void> writes = Future.succeededFuture();
  private Throwable failure;
  private boolean reporting;
  private boolean swept;
  private long reportedNanos;
  private final Map<String, UUID> groups = new HashMap<>();
  private final List<UUID> createdGroups = new ArrayList<>();
  private final Map<UUID, Long> added = new HashMap<>();

  ImportRun(
      Vertx vertx,
      Pool pool,
      WorkerExecutor worker,
      int batchRows,
      UUID jobId,
      Path file,
      BooleanSupplier stopping) {
    this.vertx = vertx;
    this.pool = pool;
    this.worker = worker;
    this.jobs = new JobStore(pool);
    this.accounts = new AccountStore(pool);
    this.batchRows = batchRows;
    this.jobId = jobId;
    this.file = file;
    this.stopping = stopping;
  }

  /** Runs the job to its end; never fails (a failure is recorded on the job). */
  Future<Void> run() {
    return jobs.start(jobId)
        .compose(
            started -> {
              if (started == null) {
                return Future.succeededFuture(); // no longer queued: it was failed meanwhile
              }
              job = started;
              startedNanos = System.nanoTime();
              options = ImportOptions.fromJson(job.params());
              return execute().recover(this::fail);
            })
        .recover(
            err -> {
              LOG.error("Contact import {} could not record its outcome", jobId, err);
              return Future.succeededFuture();
            })
        .eventually(this::cleanUp);
  }

  private Future<Void> execute() {
    return accounts
        .getCached(job.accountId())
        .map(account -> account == null ? null : account.settings().getString("default_region"))
        .compose(
            region ->
                worker.executeBlocking(
                    () -> ImportReader.open(file, options.mapping(), region, batchRows), false))
        .compose(
            opened -> {
              reader = opened;
              return pool.getConnection();
            })
        .compose(
            connection -> {
              conn = connection;
              return conn.begin();
            })
        .compose(
            begun -> {
              tx = begun;
              return loop();
            })
        .compose(v -> finish());
  }

  /**
   * Parses ahead of the writes and keeps up to {@link #WRITES_IN_FLIGHT} batches pipelined on the
   * connection, so PostgreSQL always has the next statement while this side encodes one. Driven by
   * {@link #pump} from completions, not a chain of nested futures (which would keep every batch
   * reachable until the end). At most one batch parsed ahead plus the batches in flight are held.
   */
  private Future<Void> loop() {
    pump();
    return done.future();
  }

  private void pump() {
    if (failure == null && ready != null && inFlight < WRITES_IN_FLIGHT) {
      ImportBatch batch = ready;
      ready = null;
      inFlight++;
      write(batch)
          .onComplete(
              written -> {
                inFlight--;
                if (written.failed() && failure == null) {
                  failure = written.cause();
                }
                pump();
              });
    }
    if (failure == null && !parsing && ready == null && !ended) {
      if (stopping.getAsBoolean()) {
        failure = new Interrupted("Herald was stopped during the import");
      } else {
        parsing = true;
        worker
            .executeBlocking(reader::next, false)
            .onComplete(
                parsed -> {
                  parsing = false;
                  if (parsed.failed()) {
                    failure = failure == null ? parsed.cause() : failure;
                  } else {
                    ready = parsed.result();
                    ended = ready.last();
                  }
                  pump();
                });
      }
    }
    // The reader is closed after the end, so nothing may still be parsing or writing.
    if (!parsing && inFlight == 0) {
      if (failure != null) {
        done.tryFail(failure);
      } else if (ended && ready == null) {
        done.tryComplete();
      }
    }
  }

  private Future<Void> write(ImportBatch batch) {
    if (swept) {
      return Future.failedFuture(new Interrupted("the job was marked failed while it ran"));
    }
    counts = counts.plus(new JobCounts(batch.rowsRead(), 0, 0, batch.duplicates(), batch.failed()));
    bytesRead = batch.bytesRead();
    Future<Void> rows;
    if (options.reject() && batch.failed() > 0 && !rejecting) {
      rejecting = true;
      // After the writes under way: a statement sent after the rollback would run on its own.
      rows = writes.otherwiseEmpty().compose(v -> tx.rollback());
    } else {
      rows = rejecting ? Future.succeededFuture() : writeRows(batch);
    }
    writes = Future.all(writes.otherwiseEmpty(), rows).mapEmpty();
    return Future.all(jobs.addErrors(jobId, batch.errors()), rows).map(v -> report());
  }

  /**
   * Reports progress at most every {@link #PROGRESS_MS}, without waiting for it; a job found no
   * longer running (swept as stale) stops at the next batch.
   */
  private Void report() {
    long now = System.nanoTime();
    if (reporting || now - reportedNanos < PROGRESS_MS * 1_000_000) {
      return null;
    }
    reporting = true;
    reportedNanos = now;
    jobs.progress(jobId, bytesRead, rejecting ? counts.rolledBack() : counts)
        .onComplete(
            alive -> {
              reporting = false;
              swept |= alive.succeeded() && !alive.result();
            });
    return null;
  }

  private Future<Void> writeRows(ImportBatch batch) {
    Set<String> unknown = new LinkedHashSet<>();
    for (String name : batch.memberGroups()) {
      if (!groups.containsKey(name)) {
        unknown.add(name);
      }
    }
    Future<Void> ready =
        unknown.isEmpty()
            ? Future.succeededFuture()
            : ImportStore.ensureGroups(
                    conn, job.accountId(), unknown, "Created by contact import " + jobId)
                .map(
                    found -> {
                      groups.putAll(found.byName());
                      createdGroups.addAll(found.created());
                      return null;
                    });
    return ready
        .compose(v -> ImportStore.write(conn, job.accountId(), batch, options.update()))
        .compose(
            written -> {
              long kept = batch.size() - written.inserted() - written.updated();
              counts =
                  counts.plus(new JobCounts(0, written.inserted(), written.updated(), kept, 0));
              return members(batch);
            });
  }

  /** The target group takes every valid row; the groups column adds each row's own groups. */
  private Future<Void> members(ImportBatch batch) {
    UUID target = options.groupId();
    int fromTarget = target == null ? 0 : batch.size();
    int n = fromTarget + batch.memberPhones().length;
    if (n == 0) {
      return Future.succeededFuture();
    }
    UUID[] groupIds = new UUID[n];
    String[] phones = new String[n];
    for (int i = 0; i < fromTarget; i++) {
      groupIds[i] = target;
      phones[i] = batch.phones()[i];
    }
    for (int i = 0; i < batch.memberPhones().length; i++) {
      groupIds[fromTarget + i] = groups.get(batch.memberGroups()[i]);
      phones[fromTarget + i] = batch.memberPhones()[i];
    }
    return ImportStore.addMembers(conn, job.accountId(), groupIds, phones)
        .map(
            gained -> {
              gained.forEach((group, count) -> added.merge(group, count, Long::sum));
              return null;
            });
  }

  private Future<Void> finish() {
    if (rejecting) {
      return end(
          counts.rolledBack(),
          "invalid_rows",
          counts.failed()
              + (counts.failed() == 1 ? " row is" : " rows are")
              + " invalid and on_error=reject, so nothing was imported; see errors.csv");
    }
    return ImportStore.memberCounts(conn, added.keySet())
        .compose(this::memberEvents)
        .compose(v -> JobStore.finish(conn, jobId, "completed", bytesRead, counts, null, null))
        .compose(
            done -> {
              if (done == null) {
                return Future.failedFuture(
                    new Interrupted("the job was marked failed while it ran"));
              }
              JsonObject summary =
                  done.toJson()
                      .put(
                          "groups_created",
                          new JsonArray(createdGroups.stream().map(UUID::toString).toList()));
              return AuditStore.record(
                      conn,
                      Actor.fromJson(job.accountId(), job.actor()),
                      "import",
                      "contacts",
                      jobId,
                      null,
                      summary)
                  .compose(
                      x -> Outbox.append(conn, job.accountId(), COMPLETED_EVENT, jobId, summary));
            })
        .compose(v -> tx.commit())
        .onSuccess(
            v ->
                LOG.info(
                    "Contact import {} completed in {} ms: {} rows, {} imported, {} updated, {}"
                        + " skipped, {} failed",
                    jobId,
                    (System.nanoTime() - startedNanos) / 1_000_000,
                    counts.read(),
                    counts.imported(),
                    counts.updated(),
                    counts.skipped(),
                    counts.failed()));
  }

  /** One {@code contact_group.members_added} per group that gained members, with the count. */
  private Future<Void> memberEvents(Map<UUID, Long> memberCounts) {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<UUID, Long> entry : added.entrySet()) {
      if (entry.getValue() == 0) {
        continue;
      }
      JsonObject data =
          GroupService.membershipEvent(
                  entry.getKey(), entry.getValue(), memberCounts.get(entry.getKey()), "import")
              .put("job_id", jobId.toString());
      chain =
          chain.compose(
              v ->
                  Outbox.append(
                      conn, job.accountId(), GroupService.MEMBERS_ADDED, entry.getKey(), data));
    }
    return chain;
  }

  /** Rolls the import back and records why the job failed. */
  private Future<Void> fail(Throwable err) {
    String code;
    String detail;
    Throwable problem = err instanceof Exception e ? ImportReader.problem(e) : err;
    if (problem instanceof ApiException api) {
      code = api.code().replace('-', '_');
      detail = api.getMessage() + "; nothing was imported";
    } else if (problem instanceof Interrupted) {
      code = "interrupted";
      detail = problem.getMessage() + "; nothing was imported";
    } else {
      LOG.error("Contact import {} failed", jobId, err);
      code = "internal";
      detail = "The import failed on our side and nothing was imported; quote job " + jobId;
    }
    Future<Void> rolledBack =
        tx == null || rejecting ? Future.succeededFuture() : tx.rollback().otherwiseEmpty();
    return rolledBack.compose(v -> end(counts.rolledBack(), code, detail));
  }

  private Future<Void> end(JobCounts finalCounts, String code, String detail) {
    LOG.info("Contact import {} failed: {}", jobId, detail);
    return markFailed(pool, jobId, bytesRead, finalCounts, code, detail);
  }

  /**
   * Marks an unfinished job failed, with its {@code contacts.import_failed} event, in a transaction
   * of its own; does nothing to a job that has ended already.
   */
  static Future<Void> markFailed(
      Pool pool, UUID jobId, long bytesRead, JobCounts counts, String code, String detail) {
    return pool.withTransaction(
        t ->
            JobStore.finish(t, jobId, "failed", bytesRead, counts, code, detail)
                .compose(
                    done ->
                        done == null
                            ? Future.succeededFuture()
                            : Outbox.append(
                                t, done.accountId(), FAILED_EVENT, jobId, done.toJson())));
  }

  private Future<Void> cleanUp() {
    Future<Void> closed =
        reader == null
            ? Future.succeededFuture()
            : worker
                .executeBlocking(
                    () -> {
                      reader.close();
                      return null;
                    },
                    false)
                .mapEmpty();
    return closed
        .otherwiseEmpty()
        .compose(v -> conn == null ? Future.succeededFuture() : conn.close().otherwiseEmpty())
        .compose(v -> vertx.fileSystem().delete(file.toString()).otherwiseEmpty());
  }
}
